package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileSlice;
import com.contoso.sitebackup.backup.RestoreFileRequest;
import com.contoso.sitebackup.backup.RestoreSliceRequest;
import com.contoso.sitebackup.backup.SliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.util.List;

/** Sub-orchestrator for one slice of a large restore: reads the slice, restores its blobs, returns the summary. */
public final class RestoreSlice {
    public static final String NAME = "RestoreSlice";

    @FunctionName(NAME)
    public CopySummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        RestoreSliceRequest slice = ctx.getInput(RestoreSliceRequest.class);
        FileSlice files = ctx.callActivity(ReadManifestSlice.NAME, new SliceRequest(null, null, slice.getManifest(),
                slice.getIndex()), BackupSiteContent.ACTIVITY_RETRY, FileSlice.class).await();
        List<RestoreFileRequest> restores = files.getFiles().stream()
                .map(file -> RestoreFileRequest.of(slice.getRequest(), slice.getTargetDirectory(), file)).toList();
        return FanOut.files(ctx, RestoreBlobToFile.NAME, restores, files.getFiles().stream().map(FileEntry::getPath).toList());
    }
}
