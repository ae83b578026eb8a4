package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.SliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/** Sub-orchestrator for one slice of a large content check: reads the slice, checks each file, returns the summary. */
public final class VerifySlice {
    public static final String NAME = "VerifySlice";

    @FunctionName(NAME)
    public CopySummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        return FanOut.copySlice(ctx, ctx.getInput(SliceRequest.class), CheckFileContent.NAME);
    }
}
