package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobKind;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemBatch;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.RecordProblems;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.FileProblem;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Instant;
import java.util.List;

/**
 * The restore orchestrator, the backup's mirror image: lists the blobs with {@link ListBackup}, fans out one
 * {@link RestoreBlobToFile} per blob (large backups in {@link RestoreSlice} sub-orchestrations, as a backup
 * does), and returns the total bytes restored. A restore of a backup snapshot ({@link RestoreRequest#getSnapshot},
 * {@link RestoreRequest#getAsOf}) restores the entries of the snapshot's manifest the listing chose (files from their
 * blob snapshots, links as links), then runs {@link FinishDirectories} once every file is in place, which creates the
 * snapshot's folders and gives them their recorded mode and mtime, deepest first. Blobs that cannot be restored for an expected reason (a name
 * leading outside the target, an existing file, corrupted content) are counted and named in the custom
 * status (phase COMPLETED_WITH_PROBLEMS); blobs whose restore still fails after every retry make the phase
 * FAILED. Nothing is thrown for either. Every path that ends a run logs the completion event
 * ({@link JobLog#completed}) through {@code context}, this invocation's logger.
 */
public final class RestoreSiteContent {
    public static final String NAME = "RestoreSiteContent";

    @FunctionName(NAME)
    public long run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                    ExecutionContext context) {
        Instant started = ctx.getCurrentInstant();
        String report = ProblemReport.nameFor(ctx.getInstanceId(), started);
        RestoreRequest request = ctx.getInput(RestoreRequest.class);
        if (request == null) {
            return end(ctx, context, started,
                    JobProgress.rejected(JobKind.RESTORE, "the input must be a restore request", report), 0);
        }
        ctx.setCustomStatus(JobProgress.listing(report));
        JobPlan plan;
        try {
            plan = FanOut.call(ctx, ListBackup.NAME, request.withReport(report), JobPlan.class);
        } catch (TaskFailedException e) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.RESTORE,
                    "the listing failed: " + e.getErrorDetails().getErrorMessage(), report), 0);
        }
        if (plan.getError() != null) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.RESTORE, plan.getError(), report), 0);
        }
        JobProgress planned = JobProgress.planned(JobKind.RESTORE, plan, report);
        ctx.setCustomStatus(planned);

        SliceRequest slices = SliceRequest.of(plan.getManifest(), plan.getDirectory(), request.getContainer(),
                request.getBlobPrefix(), request.isOverwrite(), report);
        FanOutSummary restored = plan.getManifest() == null
                ? FanOut.files(ctx, RestoreBlobToFile.NAME,
                        plan.getFiles().stream().map(file -> RestoreFileRequest.of(slices, file)).toList(),
                        RestoreFileRequest::getPath, report, "inline")
                : FanOut.slices(ctx, RestoreSlice.NAME, slices, plan.getSliceCount(),
                        soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        if (plan.getSnapshot() != null) {
            ctx.setCustomStatus(planned.plus(restored));
            restored = restored.plus(finishDirectories(ctx, request.withReport(report).withSnapshot(plan.getSnapshot())));
        }
        return end(ctx, context, started, planned.plus(restored).finished(JobKind.RESTORE, restored.getFailures()),
                restored.getBytesDone());
    }

    /**
     * The snapshot's folders, once every file is in place; a call that still fails after every retry is one failure
     * that names the folders, recorded in the run's report like a file's.
     */
    private static FanOutSummary finishDirectories(TaskOrchestrationContext ctx, RestoreRequest request) {
        try {
            return FanOut.call(ctx, FinishDirectories.NAME, request, FanOutSummary.class);
        } catch (TaskFailedException e) {
            FileProblem failure = new FileProblem(FinishDirectories.EVERY_FOLDER,
                    "failed: " + e.getErrorDetails().getErrorMessage());
            FanOut.call(ctx, RecordProblems.NAME, new ProblemBatch(request.getReport(), "directories failed",
                    List.of(failure)), Integer.class);
            return FanOutSummary.of(0, 0, List.of(), List.of(failure));
        }
    }

    private static long end(TaskOrchestrationContext ctx, ExecutionContext context, Instant started,
                            JobProgress status, long bytes) {
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.RESTORE, started, status);
        return bytes;
    }
}
