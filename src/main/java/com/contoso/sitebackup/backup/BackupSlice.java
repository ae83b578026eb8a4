package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/**
 * Sub-orchestrator for one slice of a large backup: reads the slice's files from the manifest, copies them
 * with the same fan-out as a small backup, and returns what it achieved. Its history holds one slice, never
 * the whole tree. It does not fail for files that could not be copied: it returns them.
 */
public final class BackupSlice {
    public static final String NAME = "BackupSlice";

    @FunctionName(NAME)
    public FanOutSummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        return FanOut.slice(ctx, CopyFileToBlob.NAME, CopyRequest::of, CopyRequest::getPath);
    }
}
