package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/**
 * Sub-orchestrator that runs one group of a large job's batches (see {@link FanOut#batches}) in retry rounds, so
 * neither it nor its parent replays more than about {@link FanOut#GROUP_BATCHES} batch entries per episode,
 * whatever the size of the tree. Its status is the running total. An input that cannot be read, or that was started
 * by other code, ends the group at once with a refusal (counted as one failure by the parent).
 */
public final class BatchGroup {
    public static final String NAME = "BatchGroup";

    @FunctionName(NAME)
    public FanOutSummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        GroupRequest group;
        try {
            group = Wire.read(ctx.getInput(JsonNode.class), GroupRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return refused(ctx, e.getMessage());
        }
        String mismatch = CodeVersion.mismatch(group.codeVersion());
        if (mismatch != null) {
            return refused(ctx, mismatch);
        }
        return FanOut.rounds(ctx, group.activity(), group.codeVersion(), group.manifest(),
                BatchWork.whole(group.from(), group.to()), soFar -> ctx.setCustomStatus(soFar));
    }

    private static FanOutSummary refused(TaskOrchestrationContext ctx, String why) {
        ctx.setCustomStatus("refused: " + why);
        return FanOutSummary.failed(1, new FileProblem("(" + NAME + ")", "refused: " + why),
                false);
    }
}
