package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.BackupProgress;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.CompositeTaskFailedException;
import com.microsoft.durabletask.RetryPolicy;
import com.microsoft.durabletask.Task;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOptions;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The backup orchestrator: lists the files with {@link GetFileList}, fans out one {@link CopyFileToBlob}
 * per file with {@code allOf}, and returns the total bytes uploaded. The custom status carries a
 * {@link BackupProgress}: the plan, then the summary.
 *
 * <p>Deterministic: no I/O, clock or environment; logging only when not replaying. A file whose copy
 * still fails after {@link #ACTIVITY_RETRY} ends the instance Failed with a message naming every such
 * file; files that were skipped for an expected reason (unreadable, vanished) are listed in the summary.
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
        List<FileEntry> files = listing.getFiles();
        long bytesPlanned = files.stream().mapToLong(FileEntry::getSize).sum();
        BackupProgress progress = BackupProgress.planned(files.size(), bytesPlanned,
                listing.getFilesUnchanged(), listing.getBytesUnchanged(), listing.getProblems());
        ctx.setCustomStatus(progress);
        log(ctx, "planned " + files.size() + " files, " + bytesPlanned + " bytes; "
                + listing.getFilesUnchanged() + " unchanged");
        if (request.isDryRun()) {
            ctx.setCustomStatus(progress.in(BackupProgress.Phase.DRY_RUN_COMPLETED));
            return 0;
        }

        List<Task<CopyResult>> copies = new ArrayList<>(files.size());
        for (FileEntry file : files) {
            CopyRequest copy = CopyRequest.of(request, listing.getRootDirectory(), file);
            copies.add(ctx.callActivity(CopyFileToBlob.NAME, copy, ACTIVITY_RETRY, CopyResult.class));
        }
        try {
            ctx.allOf(copies).await();
        } catch (CompositeTaskFailedException e) {
            // Every task has finished; which ones failed is read from each task below.
        }

        long bytes = 0;
        long copied = 0;
        List<FileProblem> notCopied = new ArrayList<>();
        List<FileProblem> failed = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
            String path = files.get(i).getPath();
            try {
                CopyResult result = copies.get(i).await();
                if (result.getProblem() == null) {
                    bytes += result.getBytes();
                    copied++;
                } else {
                    notCopied.add(new FileProblem(path, result.getProblem()));
                }
            } catch (TaskFailedException e) {
                failed.add(new FileProblem(path, "copy failed: " + e.getErrorDetails().getErrorMessage()));
            }
        }
        List<FileProblem> problems = new ArrayList<>(failed);
        problems.addAll(notCopied);
        progress = progress.plus(copied, bytes, problems);
        if (!failed.isEmpty()) {
            ctx.setCustomStatus(progress.in(BackupProgress.Phase.FAILED));
            throw new IllegalStateException(failureMessage(failed, files.size()));
        }
        ctx.setCustomStatus(progress.in(BackupProgress.Phase.COMPLETED));
        log(ctx, "copied " + copied + " files, " + bytes + " bytes");
        return bytes;
    }

    static String failureMessage(List<FileProblem> failed, int planned) {
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
