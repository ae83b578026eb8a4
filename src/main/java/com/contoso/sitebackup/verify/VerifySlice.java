package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;

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
    public FanOutSummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        return FanOut.slice(ctx, CheckFileContent.NAME, ContentCheck::of, ContentCheck::getPath);
    }
}
