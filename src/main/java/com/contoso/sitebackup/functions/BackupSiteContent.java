package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.BackupProgress;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import com.contoso.sitebackup.backup.SliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.RetryPolicy;
import com.microsoft.durabletask.TaskOptions;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The backup orchestrator: lists the files with {@link GetFileList}, fans out one {@link CopyFileToBlob}
 * per file with {@code allOf}, and returns the total bytes uploaded.
 *
 * <p>A large tree comes back from {@link GetFileList} as a manifest of slices instead of a list; each slice
 * is then copied by a {@link BackupSlice} sub-orchestration (the same fan-out), at most
 * {@link FanOut#MAX_SLICES_IN_FLIGHT} at a time, so no history grows with the size of the tree and the custom
 * status ({@link BackupProgress}) moves as each slice finishes.
 *
 * <p>Deterministic: no I/O, clock or environment; logging only when not replaying. A file whose copy
 * still fails after {@link #ACTIVITY_RETRY} ends the instance Failed with a message naming every such
 * file; files skipped for an expected reason (unreadable, vanished) are listed in the summary.
 */
public final class BackupSiteContent {
    public static final String NAME = "BackupSiteContent";

    /** Retries transient failures (storage throttling, timeouts, a file changing mid-copy) with backoff. */
    public static final TaskOptions ACTIVITY_RETRY = new TaskOptions(new RetryPolicy(5, Duration.ofSeconds(5))
            .setBackoffCoefficient(2.0)
            .setMaxRetryInterval(Duration.ofMinutes(1)));

    /** How many failed files the failure message names before it says "and N more". */
    static final int MAX_NAMED_FAILURES = 20;

    private static final Logger LOG = Logger.getLogger(BackupSiteContent.class.getName());

    @FunctionName(NAME)
    public long run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        BackupRequest request = ctx.getInput(BackupRequest.class);
        if (request == null) {
            throw new IllegalArgumentException("input: a backup request with rootDirectory is required");
        }
        request.validate();
        ctx.setCustomStatus(BackupProgress.listing());

        FileListing listing = ctx.callActivity(GetFileList.NAME, request, ACTIVITY_RETRY, FileListing.class).await();
        if (listing.getError() != null) {
            throw new IllegalArgumentException(listing.getError());
        }
        BackupProgress progress = BackupProgress.planned(listing.getFilesPlanned(), listing.getBytesPlanned(),
                listing.getFilesUnchanged(), listing.getBytesUnchanged(), listing.getProblems());
        ctx.setCustomStatus(progress);
        log(ctx, "planned " + listing.getFilesPlanned() + " files, " + listing.getBytesPlanned() + " bytes in "
                + Math.max(1, listing.getSliceCount()) + " slice(s); " + listing.getFilesUnchanged() + " unchanged");
        if (request.isDryRun()) {
            ctx.setCustomStatus(progress.in(BackupProgress.Phase.DRY_RUN_COMPLETED));
            return 0;
        }

        List<String> paths = new ArrayList<>();
        List<CopyRequest> copies = new ArrayList<>();
        for (FileEntry file : listing.getFiles()) {
            paths.add(file.getPath());
            copies.add(CopyRequest.of(request, listing.getRootDirectory(), file));
        }
        BackupProgress planned = progress;
        CopySummary copied = listing.getManifest() == null
                ? FanOut.files(ctx, CopyFileToBlob.NAME, copies, paths)
                : FanOut.slices(ctx, BackupSlice.NAME, listing.getSliceCount(), listing.getManifest(),
                        index -> new SliceRequest(request, listing.getRootDirectory(), listing.getManifest(), index),
                        soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        progress = planned.plus(copied);

        if (!copied.getFailures().isEmpty()) {
            ctx.setCustomStatus(progress.in(BackupProgress.Phase.FAILED));
            throw new IllegalStateException(failureMessage(copied.getFailures(), listing.getFilesPlanned()));
        }
        ctx.setCustomStatus(progress.in(BackupProgress.Phase.COMPLETED));
        log(ctx, "copied " + copied.getFilesCopied() + " files, " + copied.getBytesCopied() + " bytes");
        return copied.getBytesCopied();
    }

    static String failureMessage(List<FileProblem> failed, long planned) {
        StringBuilder message = new StringBuilder("Backup incomplete: ").append(failed.size()).append(" of ")
                .append(planned).append(" files could not be copied: ");
        for (int i = 0; i < Math.min(failed.size(), MAX_NAMED_FAILURES); i++) {
            message.append(i == 0 ? "" : "; ").append(failed.get(i));
        }
        if (failed.size() > MAX_NAMED_FAILURES) {
            message.append("; and ").append(failed.size() - MAX_NAMED_FAILURES).append(" more (see custom status)");
        }
        return message.toString();
    }

    private static void log(TaskOrchestrationContext ctx, String message) {
        if (!ctx.getIsReplaying()) {
            LOG.info(() -> NAME + " " + ctx.getInstanceId() + ": " + message);
        }
    }
}
