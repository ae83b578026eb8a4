package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.BackupProgress;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.RestoreFileRequest;
import com.contoso.sitebackup.backup.RestoreRequest;
import com.contoso.sitebackup.backup.RestoreSliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.util.List;

/**
 * The restore orchestrator, the backup's mirror image: lists the blobs with {@link ListBackup}, fans out one
 * {@link RestoreBlobToFile} per blob (large backups in {@link RestoreSlice} sub-orchestrations, as a backup
 * does), and returns the total bytes restored. Blobs that cannot be restored for an expected reason (a name
 * leading outside the target, an existing file, corrupted content) are listed in the custom status; a blob
 * whose restore still fails after the retries ends the instance Failed with a message naming it.
 */
public final class RestoreSiteContent {
    public static final String NAME = "RestoreSiteContent";

    @FunctionName(NAME)
    public long run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        RestoreRequest request = ctx.getInput(RestoreRequest.class);
        if (request == null) {
            throw new IllegalArgumentException("input: a restore request with container and targetDirectory is required");
        }
        request.validate();
        ctx.setCustomStatus(BackupProgress.listing());
        FileListing listing = ctx.callActivity(ListBackup.NAME, request, BackupSiteContent.ACTIVITY_RETRY,
                FileListing.class).await();
        if (listing.getError() != null) {
            throw new IllegalArgumentException(listing.getError());
        }
        BackupProgress planned = BackupProgress.planned(listing.getFilesPlanned(), listing.getBytesPlanned(), 0, 0,
                listing.getProblems()).in(BackupProgress.Phase.RESTORING);
        ctx.setCustomStatus(planned);

        List<FileEntry> files = listing.getFiles();
        CopySummary restored = listing.getManifest() == null
                ? FanOut.files(ctx, RestoreBlobToFile.NAME,
                        files.stream().map(f -> RestoreFileRequest.of(request, listing.getRootDirectory(), f)).toList(),
                        files.stream().map(FileEntry::getPath).toList())
                : FanOut.slices(ctx, RestoreSlice.NAME, listing.getSliceCount(), listing.getManifest(),
                        index -> new RestoreSliceRequest(request, listing.getRootDirectory(), listing.getManifest(), index),
                        soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        BackupProgress summary = planned.plus(restored);
        if (!restored.getFailures().isEmpty()) {
            ctx.setCustomStatus(summary.in(BackupProgress.Phase.FAILED));
            throw new IllegalStateException(BackupSiteContent.failureMessage(restored.getFailures(),
                    listing.getFilesPlanned()).replace("Backup incomplete", "Restore incomplete"));
        }
        ctx.setCustomStatus(summary.in(BackupProgress.Phase.COMPLETED));
        return restored.getBytesCopied();
    }
}
