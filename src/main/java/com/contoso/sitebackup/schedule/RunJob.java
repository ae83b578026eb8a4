package com.contoso.sitebackup.schedule;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.Wire;
import com.fasterxml.jackson.databind.JsonNode;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.retention.ApplyRetention;
import com.contoso.sitebackup.retention.RetentionResult;
import com.contoso.sitebackup.starter.JobRequest;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/**
 * One run of a scheduled job, instance {@code job-<name>}: its backup as a {@link BackupSiteContent}
 * sub-orchestration, then, if the job asks for it, a {@link VerifyBackup} of the same directory and prefix,
 * then, if the job has a retention, an {@link ApplyRetention} of the backup's container and prefix. The
 * children's ids are {@code job-<name>:<t>:backup}, {@code :verify} and {@code :retention}, t the run's start
 * in ms, new for every run (an id is never reused; see {@code FanOut.slices}). Each backup and verify logs
 * its own completion event, whose {@code job} is the job's name; this orchestrator logs none.
 *
 * <p>The verify runs after every backup that returns, whatever its outcome: it then says what the backup
 * left out. So does the retention: pruning always keeps the newest snapshot, and never touches content
 * tagged after it (a backup's that is still running), so a backup with problems does not make it unsafe.
 * A child that fails as a whole (a defect) ends the run with step FAILED and the child's message, and no
 * later step runs: a verify that failed or could not run is then no reason to drop older snapshots either.
 * A retention that ends REFUSED or FAILED ends the run FAILED with the retention's message. Every child is started
 * with the job run's code version. Nothing is
 * thrown for any of these, and the SDK's control flow is never caught. Deterministic.
 */
public final class RunJob {
    public static final String NAME = "RunJob";

    @FunctionName(NAME)
    public JobRun run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                      ExecutionContext context) {
        JobRequest job;
        try {
            job = Wire.read(ctx.getInput(JsonNode.class), JobRequest.class, "the input of " + NAME);
            if (job.getName() == null || job.getBackup() == null) {
                throw new IllegalArgumentException("the input must be a scheduled job with a backup");
            }
            String mismatch = CodeVersion.mismatch(job.getCodeVersion());
            if (mismatch != null) {
                throw new IllegalArgumentException(mismatch);
            }
        } catch (IllegalArgumentException e) {
            JobRun rejected = JobRun.rejected(e.getMessage());
            ctx.setCustomStatus(rejected);
            JobLog.info(ctx, context, rejected.getError());
            return rejected;
        }
        String children = ctx.getInstanceId() + ":" + ctx.getCurrentInstant().toEpochMilli();
        JobRun run = JobRun.backingUp(job.getName(), children + ":backup");
        ctx.setCustomStatus(run);
        long bytes;
        try {
            bytes = child(ctx, BackupSiteContent.NAME, job.getBackup().withCodeVersion(job.getCodeVersion()),
                    run.getBackupInstance(), Long.class);
        } catch (FanOut.Failed e) {
            return end(ctx, context, run.failed("the backup failed: " + e.getMessage()));
        }
        long differences = -1;
        if (job.getVerify() != null) {
            run = run.verifying(bytes, children + ":verify");
            ctx.setCustomStatus(run);
            VerifyReport report;
            try {
                report = child(ctx, VerifyBackup.NAME, job.getVerify().withCodeVersion(job.getCodeVersion()),
                        run.getVerifyInstance(), VerifyReport.class);
            } catch (FanOut.Failed e) {
                return end(ctx, context, run.failed("the verify failed: " + e.getMessage()));
            }
            if (report == null || report.getError() != null) {
                return end(ctx, context, run.failed("the verify did not run: "
                        + (report == null ? "it returned no report" : report.getError())));
            }
            differences = report.differenceCount();
        }
        if (job.getRetention() == null) {
            return end(ctx, context, run.completed(bytes, differences));
        }
        run = run.pruning(bytes, differences, children + ":retention");
        ctx.setCustomStatus(run);
        RetentionResult result;
        try {
            result = child(ctx, ApplyRetention.NAME, job.getRetention().withCodeVersion(job.getCodeVersion()),
                    run.getRetentionInstance(), RetentionResult.class);
        } catch (FanOut.Failed e) {
            return end(ctx, context, run.failed("the retention failed: " + e.getMessage()));
        }
        if (result == null) {
            return end(ctx, context, run.failed("the retention returned no result"));
        }
        JobRun pruned = run.pruned(result);
        boolean refusedOrFailed = result.getPhase() == RetentionResult.Phase.REFUSED
                || result.getPhase() == RetentionResult.Phase.FAILED;
        return end(ctx, context, refusedOrFailed ? pruned.failed(result.getMessage()) : pruned);
    }

    /** Runs the sub-orchestration {@code name} and reads its output as a {@code type} ({@link Wire}). */
    private static <T> T child(TaskOrchestrationContext ctx, String name, Object input, String instance, Class<T> type) {
        try {
            return Wire.read(ctx.callSubOrchestrator(name, Wire.tree(input), instance, JsonNode.class).await(), type,
                    "the output of " + name);
        } catch (TaskFailedException e) {
            throw new FanOut.Failed(FanOut.message(e));
        } catch (Wire.Refused e) {
            throw new FanOut.Failed(e.getMessage());
        }
    }

    private static JobRun end(TaskOrchestrationContext ctx, ExecutionContext context, JobRun run) {
        ctx.setCustomStatus(run);
        JobLog.info(ctx, context, "job " + run.getJob() + " " + run.getStep() + ": backup " + run.getBackupInstance()
                + " (" + run.getBytes() + " bytes)" + (run.getVerifyInstance() == null ? ""
                : ", verify " + run.getVerifyInstance() + " (" + run.getDifferences() + " differences)")
                + (run.getRetentionInstance() == null ? "" : ", retention " + run.getRetentionInstance() + " ("
                        + (run.getRetentionPhase() == null ? "no result" : run.getRetentionPhase() + ", "
                        + run.getExpiredCount() + " snapshots expired, " + run.getSnapshotsDeleted()
                        + " blob snapshots and " + run.getBlobsDeleted() + " blobs deleted") + ")")
                + (run.getError() == null ? "" : ": " + run.getError()));
        return run;
    }
}
