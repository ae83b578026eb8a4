package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobKind;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemRecord;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.RecordProblems;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Instant;
import java.util.List;

/**
 * The restore orchestrator, the backup's mirror image: plans from a backup snapshot with {@link ListBackup} (the
 * latest unless the request names one), fans out {@link RestoreBlobToFile} over its batches of files and links
 * ({@link FanOut#batches}), then runs {@link FinishDirectories} once every file is in place, which creates the
 * snapshot's folders and gives them their recorded mode and mtime, deepest first; returns the total bytes restored.
 * Entries that cannot be restored for an expected reason (not in the snapshot, an existing file, corrupted content)
 * are counted and named in the custom status (phase COMPLETED_WITH_PROBLEMS); files whose restore still fails after
 * every attempt make the phase FAILED, and so does a backup with nothing to restore. Nothing is thrown for either.
 * Every path that ends a run logs the completion event ({@link JobLog#completed}) through {@code context}, this
 * invocation's logger.
 */
public final class RestoreSiteContent {
    public static final String NAME = "RestoreSiteContent";

    @FunctionName(NAME)
    public long run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                    ExecutionContext context) {
        Instant started = ctx.getCurrentInstant();
        String report = ProblemReport.nameFor(ctx.getInstanceId(), started);
        RestoreRequest request;
        try {
            request = Wire.read(ctx.getInput(JsonNode.class), RestoreRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.RESTORE, e.getMessage(), report), 0);
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        if (mismatch != null) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.RESTORE, mismatch, report), 0);
        }
        ctx.setCustomStatus(JobProgress.listing(report));
        JobPlan plan;
        try {
            plan = FanOut.call(ctx, ListBackup.NAME, request.withReport(report), JobPlan.class);
        } catch (FanOut.Failed e) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.RESTORE,
                    "the listing failed: " + e.getMessage(), report), 0);
        }
        if (plan.error() != null) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.RESTORE, plan.error(), report), 0);
        }
        JobProgress planned = JobProgress.planned(JobKind.RESTORE, plan, report).withSnapshot(plan.snapshot());
        ctx.setCustomStatus(planned);

        FanOutSummary restored = FanOut.batches(ctx, RestoreBlobToFile.NAME, request.getCodeVersion(), plan.manifest(),
                plan.batchCount(), soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        ctx.setCustomStatus(planned.plus(restored));
        restored = restored.plus(finishDirectories(ctx, request.getCodeVersion(), plan.manifest()));
        JobProgress done = planned.plus(restored).finished(JobKind.RESTORE, restored.failures());
        return end(ctx, context, started, done, restored.bytesDone());
    }

    /**
     * The snapshot's folders, once every file is in place; a call that still fails after every retry is one failure
     * that names the folders, recorded in the run's report like a file's.
     */
    private static FanOutSummary finishDirectories(TaskOrchestrationContext ctx, int codeVersion, String manifest) {
        try {
            return FanOut.call(ctx, FinishDirectories.NAME, new FinishRequest(codeVersion, manifest),
                    FanOutSummary.class);
        } catch (FanOut.Failed e) {
            FileProblem failure = new FileProblem(FinishDirectories.EVERY_FOLDER, "failed: " + e.getMessage());
            boolean unwritten = false;
            try {
                FanOut.call(ctx, RecordProblems.NAME, new ProblemRecord(codeVersion, manifest, List.of(),
                        failure.getPath(), failure.getReason()), Long.class);
            } catch (FanOut.Failed notRecorded) {
                unwritten = true;
            }
            return FanOutSummary.failed(1, failure, unwritten);
        }
    }

    private static long end(TaskOrchestrationContext ctx, ExecutionContext context, Instant started,
                            JobProgress status, long bytes) {
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.RESTORE, started, status);
        return bytes;
    }
}
