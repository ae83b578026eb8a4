package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.ProblemReport;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.fasterxml.jackson.databind.JsonNode;
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
        RetentionRequest request = null;
        RetentionResult result;
        try {
            request = Wire.read(ctx.getInput(JsonNode.class), RetentionRequest.class, "the input of " + NAME);
            String mismatch = CodeVersion.mismatch(request.getCodeVersion());
            if (mismatch != null) {
                throw new IllegalArgumentException(mismatch);
            }
            ctx.setCustomStatus(RetentionResult.pruning(request, report));
            result = FanOut.call(ctx, PruneSnapshots.NAME, request.withReport(report), RetentionResult.class);
        } catch (IllegalArgumentException | FanOut.Failed e) {
            result = RetentionResult.failed(request, e.getMessage(), report);
        }
        ctx.setCustomStatus(result.forStatus());
        JobLog.info(ctx, context, result.summary());
        return result;
    }
}
