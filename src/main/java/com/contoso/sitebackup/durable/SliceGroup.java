package com.contoso.sitebackup.durable;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/**
 * Sub-orchestrator that runs one group of a very large job's slices (see {@link FanOut#slices}), so that
 * neither it nor its parent replays more than about {@link FanOut#SLICES_PER_GROUP} slice entries per
 * episode, whatever the size of the tree. Its status counts the slices done.
 */
public final class SliceGroup {
    public static final String NAME = "SliceGroup";

    @FunctionName(NAME)
    public FanOutSummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        SliceGroupRequest group = ctx.getInput(SliceGroupRequest.class);
        if (group == null || group.getSlice() == null || group.getSliceOrchestrator() == null
                || group.getFrom() < 0 || group.getTo() < group.getFrom()) {
            ctx.setCustomStatus("rejected: a slice group needs a slice orchestrator, a slice and 0 <= from <= to");
            return FanOutSummary.empty();
        }
        // The group's own id is unique to its run already (see FanOut.slices).
        return FanOut.window(ctx, ctx.getInstanceId(), group.getSliceOrchestrator(), group.getSlice(), group.getFrom(),
                group.getTo(), soFar -> ctx.setCustomStatus(soFar));
    }
}
