package com.contoso.sitebackup.schedule;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.JobLog;
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
 * sub-orchestration, then, if the job asks for it, a {@link VerifyBackup} of the same directory and prefix.
 * The children's ids are {@code job-<name>:<t>:backup} and {@code :verify}, t the run's start in ms, new for
 * every run (an id is never reused; see {@code FanOut.slices}). Each child logs its own completion event,
 * whose {@code job} is the job's name; this orchestrator logs none.
 *
 * <p>The verify runs after every backup that returns, whatever its outcome: it then says what the backup
 * left out. A child that fails as a whole (a defect) ends the run with step FAILED and the child's message;
 * nothing is thrown for it, and the SDK's control flow is never caught. Deterministic.
 */
public final class RunJob {
    public static final String NAME = "RunJob";

    @FunctionName(NAME)
    public JobRun run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                      ExecutionContext context) {
        JobRequest job = ctx.getInput(JobRequest.class);
        if (job == null || job.getName() == null || job.getBackup() == null) {
            JobRun rejected = new JobRun(null, JobRun.Step.FAILED, null, 0, null, -1,
                    "the input must be a scheduled job with a backup");
            ctx.setCustomStatus(rejected);
            JobLog.info(ctx, context, rejected.getError());
            return rejected;
        }
        String children = ctx.getInstanceId() + ":" + ctx.getCurrentInstant().toEpochMilli();
        JobRun run = JobRun.backingUp(job.getName(), children + ":backup");
        ctx.setCustomStatus(run);
        long bytes;
        try {
            bytes = ctx.callSubOrchestrator(BackupSiteContent.NAME, job.getBackup(), run.getBackupInstance(), Long.class)
                    .await();
        } catch (TaskFailedException e) {
            return end(ctx, context, run.failed("the backup failed: " + e.getErrorDetails().getErrorMessage()));
        }
        if (job.getVerify() == null) {
            return end(ctx, context, run.completed(bytes, -1));
        }
        run = run.verifying(bytes, children + ":verify");
        ctx.setCustomStatus(run);
        VerifyReport report;
        try {
            report = ctx.callSubOrchestrator(VerifyBackup.NAME, job.getVerify(), run.getVerifyInstance(),
                    VerifyReport.class).await();
        } catch (TaskFailedException e) {
            return end(ctx, context, run.failed("the verify failed: " + e.getErrorDetails().getErrorMessage()));
        }
        if (report == null || report.getError() != null) {
            return end(ctx, context, run.failed("the verify did not run: "
                    + (report == null ? "it returned no report" : report.getError())));
        }
        return end(ctx, context, run.completed(bytes, report.differenceCount()));
    }

    private static JobRun end(TaskOrchestrationContext ctx, ExecutionContext context, JobRun run) {
        ctx.setCustomStatus(run);
        JobLog.info(ctx, context, "job " + run.getJob() + " " + run.getStep() + ": backup " + run.getBackupInstance()
                + " (" + run.getBytes() + " bytes)" + (run.getVerifyInstance() == null ? ""
                : ", verify " + run.getVerifyInstance() + " (" + run.getDifferences() + " differences)")
                + (run.getError() == null ? "" : ": " + run.getError()));
        return run;
    }
}
