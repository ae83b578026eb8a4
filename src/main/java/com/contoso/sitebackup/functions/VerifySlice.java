package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.ContentCheck;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.SliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/**
 * Sub-orchestrator for one slice of a large content check: reads the slice (each file with its blob's
 * Content-MD5), checks each file with {@link CheckFileContent}, returns the summary.
 */
public final class VerifySlice {
    public static final String NAME = "VerifySlice";

    @FunctionName(NAME)
    public CopySummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        SliceRequest slice = ctx.getInput(SliceRequest.class);
        return FanOut.slice(ctx, slice, CheckFileContent.NAME, file -> ContentCheck.of(slice.getRootDirectory(), file));
    }
}
