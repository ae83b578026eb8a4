package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.SliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/**
 * Sub-orchestrator for one slice of a large backup: reads the slice's files from the manifest with
 * {@link ReadManifestSlice}, copies them with the same fan-out as a small backup, and returns what it
 * achieved. Its history holds one slice, never the whole tree. It does not fail for files that could not
 * be copied: it returns them, and {@link BackupSiteContent} decides.
 */
public final class BackupSlice {
    public static final String NAME = "BackupSlice";

    @FunctionName(NAME)
    public CopySummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        SliceRequest slice = ctx.getInput(SliceRequest.class);
        return FanOut.slice(ctx, slice, CopyFileToBlob.NAME,
                file -> CopyRequest.of(slice.getRequest(), slice.getRootDirectory(), file));
    }
}
