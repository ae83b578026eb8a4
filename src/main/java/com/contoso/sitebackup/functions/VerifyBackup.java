package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.BackupProgress;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.ContentCheck;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.SliceRequest;
import com.contoso.sitebackup.backup.VerifyPlan;
import com.contoso.sitebackup.backup.VerifyReport;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.util.List;

/**
 * The verify orchestrator: compares a directory with its backup and returns a {@link VerifyReport} (missing,
 * extra, different, identical). It uploads and writes nothing. {@link CompareBackup} settles what listings
 * can; with {@code compareContent}, files of equal size are checked by content, one {@link CheckFileContent}
 * per file against the Content-MD5 its blob had in the listing, in {@link VerifySlice} sub-orchestrations
 * for a large tree. The custom status ({@link BackupProgress}, phase CHECKING then COMPLETED) counts the
 * content checks planned and done, the files the listings found identical ({@code filesUnchanged}) and
 * every difference ({@code problemCount}, exact; the first ones named in {@code problems}).
 */
public final class VerifyBackup {
    public static final String NAME = "VerifyBackup";

    @FunctionName(NAME)
    public VerifyReport run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        BackupRequest request = ctx.getInput(BackupRequest.class);
        if (request == null) {
            throw new IllegalArgumentException("input: a verify request with rootDirectory is required");
        }
        request.validate();
        ctx.setCustomStatus(BackupProgress.listing());
        VerifyPlan plan = ctx.callActivity(CompareBackup.NAME, request, BackupSiteContent.ACTIVITY_RETRY,
                VerifyPlan.class).await();
        if (plan.getReport().getError() != null) {
            throw new IllegalArgumentException(plan.getReport().getError());
        }
        VerifyReport byListing = plan.getReport();
        FileListing toCheck = plan.getToCheck();
        BackupProgress planned = BackupProgress.planned(toCheck.getFilesPlanned(), toCheck.getBytesPlanned(),
                byListing.getIdentical(), 0, byListing.differenceCount(), byListing.listedDifferences())
                .in(BackupProgress.Phase.CHECKING);
        ctx.setCustomStatus(planned);
        List<FileEntry> files = toCheck.getFiles();
        CopySummary checked = toCheck.getManifest() == null
                ? FanOut.files(ctx, CheckFileContent.NAME,
                        files.stream().map(f -> ContentCheck.of(toCheck.getRootDirectory(), f)).toList(),
                        files.stream().map(FileEntry::getPath).toList())
                : FanOut.slices(ctx, VerifySlice.NAME, toCheck.getSliceCount(), toCheck.getManifest(),
                        index -> new SliceRequest(request, toCheck.getRootDirectory(), toCheck.getManifest(), index),
                        soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        BackupProgress summary = planned.plus(checked);
        if (!checked.getFailures().isEmpty()) {
            ctx.setCustomStatus(summary.in(BackupProgress.Phase.FAILED));
            throw new IllegalStateException(BackupSiteContent.failureMessage(checked.getFailures(),
                    toCheck.getFilesPlanned()).replace("Backup incomplete", "Verification incomplete")
                    .replace("could not be copied", "could not be checked"));
        }
        ctx.setCustomStatus(summary.in(BackupProgress.Phase.COMPLETED));
        return byListing.plusChecked(checked.getFilesCopied(), checked.getProblems());
    }
}
