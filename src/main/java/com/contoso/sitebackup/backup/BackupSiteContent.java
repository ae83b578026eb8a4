package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobKind;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Instant;

/**
 * The backup orchestrator: lists the files with {@link GetFileList}, fans out {@link CopyFileToBlob} with
 * {@code allOf}, one activity per batch of files ({@link FanOut#batches}: in {@link com.contoso.sitebackup.durable.BatchGroup}
 * sub-orchestrations for a large tree, so no history grows with the tree), and returns the total bytes uploaded.
 *
 * <p>Once the copies are done, {@link SealSnapshot} writes the run's snapshot (a run with nothing to copy is sealed
 * by its listing, {@link GetFileList}, and its plan names the snapshot): every entry of the tree as this run
 * found it, each file naming the version that holds its content, so the run can be restored or verified later
 * whatever later runs upload ({@code snapshot} in the status names it). A run that could not copy some files still
 * writes its snapshot; those entries keep the content an earlier run stored, or say they are missing and why.
 *
 * <p>The run ends COMPLETED only when nothing was left out and its snapshot holds every entry it listed;
 * COMPLETED_WITH_PROBLEMS when entries were left out for an expected reason (each in the report and in the
 * snapshot); FAILED when files still failed after every attempt, the snapshot lacks entries the run did not report,
 * or the snapshot could not be written. Nothing is thrown for an expected outcome (the Functions middleware would
 * replace the message with a generic one). Deterministic: no I/O, clock or environment; logging only when not
 * replaying. The input carries the code version it was started with, checked first in every episode
 * ({@link CodeVersion}).
 */
public final class BackupSiteContent {
    public static final String NAME = "BackupSiteContent";

    @FunctionName(NAME)
    public long run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                    ExecutionContext context) {
        Instant started = ctx.getCurrentInstant();
        String report = ProblemReport.nameFor(ctx.getInstanceId(), started);
        String run = SnapshotIds.of(started);
        BackupRequest request;
        try {
            request = Wire.read(ctx.getInput(JsonNode.class), BackupRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.BACKUP, e.getMessage(), report), 0);
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        if (mismatch != null) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.BACKUP, mismatch, report), 0);
        }
        ctx.setCustomStatus(JobProgress.listing(report));
        JobPlan plan;
        try {
            plan = FanOut.call(ctx, GetFileList.NAME,
                    request.withReport(report).withRun(run).withInstanceId(ctx.getInstanceId()), JobPlan.class);
        } catch (FanOut.Failed e) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.BACKUP,
                    "the listing failed: " + e.getMessage(), report), 0);
        }
        if (plan.error() != null) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.BACKUP, plan.error(), report), 0);
        }
        JobProgress planned = JobProgress.planned(JobKind.BACKUP, plan, report);
        ctx.setCustomStatus(planned);
        JobLog.info(ctx, context, "planned " + plan.filesPlanned() + " files, " + plan.bytesPlanned() + " bytes in "
                + plan.batchCount() + " batch(es); " + plan.filesUnchanged() + " unchanged");
        if (request.isDryRun()) {
            return end(ctx, context, started, planned.in(JobProgress.Phase.DRY_RUN_COMPLETED), 0);
        }

        FanOutSummary copied = FanOut.batches(ctx, CopyFileToBlob.NAME, request.getCodeVersion(), plan.manifest(),
                plan.batchCount(), soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        JobProgress done = planned.plus(copied).finished(JobKind.BACKUP, copied.failures());
        if (copied.reportUnwritten()) {
            done = done.withNote("some problems could not be written to the report " + report
                    + "; the counts and the snapshot still name them");
        }
        if (plan.snapshot() != null) {
            // Sealed by the listing, which found nothing to copy and no entry without content.
            return end(ctx, context, started, done.withSnapshot(plan.snapshot()), copied.bytesDone());
        }
        try {
            SnapshotInfo snapshot = FanOut.call(ctx, SealSnapshot.NAME, new SealRequest(request.getCodeVersion(),
                    plan.manifest(), ctx.getInstanceId(), ctx.getCurrentInstant().toString()), SnapshotInfo.class);
            done = done.withSnapshot(snapshot.getId());
            long accounted = done.getProblemCount() + done.getFailureCount();
            if (snapshot.getMissing() > accounted) {
                done = done.failedWith("Backup incomplete: its snapshot " + snapshot.getId() + " lacks "
                        + snapshot.getMissing() + " entries, more than the " + accounted + " the run reported");
            } else if (snapshot.getMissing() > 0 && done.getPhase() == JobProgress.Phase.COMPLETED) {
                done = done.in(JobProgress.Phase.COMPLETED_WITH_PROBLEMS);
            }
        } catch (FanOut.Failed e) {
            done = done.failedWith("Backup copied " + copied.filesDone() + " files, but its snapshot could not be"
                    + " written: " + e.getMessage());
        }
        return end(ctx, context, started, done, copied.bytesDone());
    }

    private static long end(TaskOrchestrationContext ctx, ExecutionContext context, Instant started,
                            JobProgress status, long bytes) {
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.BACKUP, started, status);
        return bytes;
    }
}
