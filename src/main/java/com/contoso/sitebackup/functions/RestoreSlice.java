package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.RestoreFileRequest;
import com.contoso.sitebackup.backup.RestoreSliceRequest;
import com.contoso.sitebackup.backup.SliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;

/** Sub-orchestrator for one slice of a large restore: reads the slice, restores its blobs, returns the summary. */
public final class RestoreSlice {
    public static final String NAME = "RestoreSlice";

    @FunctionName(NAME)
    public CopySummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        RestoreSliceRequest slice = ctx.getInput(RestoreSliceRequest.class);
        return FanOut.slice(ctx, new SliceRequest(null, null, slice.getManifest(), slice.getIndex()), RestoreBlobToFile.NAME,
                file -> RestoreFileRequest.of(slice.getRequest(), slice.getTargetDirectory(), file));
    }
}
