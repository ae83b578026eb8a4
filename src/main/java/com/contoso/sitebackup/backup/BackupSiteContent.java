package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobKind;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Instant;

/**
 * The backup orchestrator: lists the files with {@link GetFileList}, fans out one {@link CopyFileToBlob}
 * per file with {@code allOf}, and returns the total bytes uploaded.
 *
 * <p>A large tree comes back from {@link GetFileList} as a manifest of slices instead of a list; each slice
 * is then copied by a {@link BackupSlice} sub-orchestration (the same fan-out), a few at a time, so no
 * history grows with the size of the tree and the custom status ({@link JobProgress}) moves as slices finish.
 *
 * <p>Once the copies are done, {@link SealSnapshot} writes the run's snapshot: every entry of the tree as this run
 * found it, each file pointing at the blob snapshot that holds its content then, so the run can be restored or
 * verified later whatever later runs upload ({@code snapshot} in the status names it). A run that could not copy
 * some files still writes its snapshot; those entries say they were not stored.
 *
 * <p>Nothing is thrown for an expected outcome (the Functions middleware would replace the message with a
 * generic one): a request that cannot run ends with phase FAILED and a message; files that could not be
 * copied are counted in the status, the first ones named, every one in the run's problem report; a file
 * that still fails after {@link com.contoso.sitebackup.durable.RetrySchedule#MAX_ATTEMPTS} attempts makes
 * the phase FAILED. Deterministic: no I/O, clock or environment; logging only when not replaying.
 *
 * <p>Every path that ends a run logs the completion event ({@link JobLog#completed}) through
 * {@code context}, the logger of this invocation, which the Java worker forwards to the host; the worker
 * supplies the {@link ExecutionContext} to any function, and the Durable middleware passes it on untouched.
 */
public final class BackupSiteContent {
    public static final String NAME = "BackupSiteContent";

    @FunctionName(NAME)
    public long run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                    ExecutionContext context) {
        Instant started = ctx.getCurrentInstant();
        String report = ProblemReport.nameFor(ctx.getInstanceId(), started);
        String run = SnapshotIds.of(started);
        BackupRequest request = ctx.getInput(BackupRequest.class);
        if (request == null) {
            return end(ctx, context, started,
                    JobProgress.rejected(JobKind.BACKUP, "the input must be a backup request", report), 0);
        }
        ctx.setCustomStatus(JobProgress.listing(report));
        JobPlan plan;
        try {
            plan = FanOut.call(ctx, GetFileList.NAME, request.withReport(report).withRun(run), JobPlan.class);
        } catch (TaskFailedException e) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.BACKUP,
                    "the listing failed: " + e.getErrorDetails().getErrorMessage(), report), 0);
        }
        if (plan.getError() != null) {
            return end(ctx, context, started, JobProgress.rejected(JobKind.BACKUP, plan.getError(), report), 0);
        }
        JobProgress planned = JobProgress.planned(JobKind.BACKUP, plan, report);
        ctx.setCustomStatus(planned);
        JobLog.info(ctx, context, "planned " + plan.getFilesPlanned() + " files, " + plan.getBytesPlanned() + " bytes in "
                + Math.max(1, plan.getSliceCount()) + " slice(s); " + plan.getFilesUnchanged() + " unchanged");
        if (request.isDryRun()) {
            return end(ctx, context, started, planned.in(JobProgress.Phase.DRY_RUN_COMPLETED), 0);
        }

        SliceRequest slices = SliceRequest.of(plan.getManifest(), plan.getDirectory(), request.getContainer(),
                request.getBlobPrefix(), false, report).withRun(run);
        FanOutSummary copied = plan.getManifest() == null
                ? FanOut.files(ctx, CopyFileToBlob.NAME,
                        plan.getFiles().stream().map(file -> CopyRequest.of(slices, file)).toList(),
                        CopyRequest::getPath, report, "inline")
                : FanOut.slices(ctx, BackupSlice.NAME, slices, plan.getSliceCount(),
                        soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        JobProgress done = planned.plus(copied).finished(JobKind.BACKUP, copied.getFailures());
        try {
            SnapshotInfo snapshot = FanOut.call(ctx, SealSnapshot.NAME, new SealRequest(plan.getDirectory(),
                    request.getContainer(), request.getBlobPrefix(), report, run, ctx.getInstanceId(),
                    ctx.getCurrentInstant().toString()), SnapshotInfo.class);
            done = done.withSnapshot(snapshot.getId());
        } catch (TaskFailedException e) {
            done = done.failedWith("Backup copied " + copied.getFilesDone() + " files, but its snapshot could not be"
                    + " written: " + e.getErrorDetails().getErrorMessage());
        }
        return end(ctx, context, started, done, copied.getBytesDone());
    }

    private static long end(TaskOrchestrationContext ctx, ExecutionContext context, Instant started,
                            JobProgress status, long bytes) {
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.BACKUP, started, status);
        return bytes;
    }
}
