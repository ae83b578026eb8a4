package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobKind;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.SliceRequest;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Instant;

/**
 * The restore orchestrator, the backup's mirror image: lists the blobs with {@link ListBackup}, fans out one
 * {@link RestoreBlobToFile} per blob (large backups in {@link RestoreSlice} sub-orchestrations, as a backup
 * does), and returns the total bytes restored. Blobs that cannot be restored for an expected reason (a name
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
        return end(ctx, context, started, planned.plus(restored).finished(JobKind.RESTORE, restored.getFailures()),
                restored.getBytesDone());
    }

    private static long end(TaskOrchestrationContext ctx, ExecutionContext context, Instant started,
                            JobProgress status, long bytes) {
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.RESTORE, started, status);
        return bytes;
    }
}
