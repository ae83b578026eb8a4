package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/** Sub-orchestrator for one slice of a large restore: reads the slice, restores its blobs, returns the summary. */
public final class RestoreSlice {
    public static final String NAME = "RestoreSlice";

    @FunctionName(NAME)
    public FanOutSummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        return FanOut.slice(ctx, RestoreBlobToFile.NAME, RestoreFileRequest::of, RestoreFileRequest::getPath);
    }
}
