package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.ProblemReport;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Instant;

/**
 * The retention orchestrator: one {@link PruneSnapshots} (tried again after a transient failure; pruning is
 * idempotent), its result as the custom status and the output ({@link RetentionResult}, phase PRUNING, then
 * COMPLETED, DRY_RUN_COMPLETED, REFUSED or FAILED). Nothing is thrown: a pruning that fails ends with phase
 * FAILED and why. The run's report (what is deleted, or would be) is {@code reports/<instance>-<start>.jsonl}
 * in the manifest container, as a backup's problem report is.
 */
public final class ApplyRetention {
    public static final String NAME = "ApplyRetention";

    @FunctionName(NAME)
    public RetentionResult run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                               ExecutionContext context) {
        Instant started = ctx.getCurrentInstant();
        String report = ProblemReport.nameFor(ctx.getInstanceId(), started);
        RetentionRequest request = ctx.getInput(RetentionRequest.class);
        RetentionResult result;
        if (request == null) {
            result = RetentionResult.failed(null, "the input must be a retention request", report);
        } else {
            ctx.setCustomStatus(RetentionResult.pruning(request, report));
            try {
                result = FanOut.call(ctx, PruneSnapshots.NAME, request.withReport(report), RetentionResult.class);
            } catch (TaskFailedException e) {
                result = RetentionResult.failed(request, e.getErrorDetails().getErrorMessage(), report);
            }
        }
        ctx.setCustomStatus(result.forStatus());
        JobLog.info(ctx, context, result.summary());
        return result;
    }
}
