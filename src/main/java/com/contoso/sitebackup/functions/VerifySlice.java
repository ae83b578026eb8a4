package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileSlice;
import com.contoso.sitebackup.backup.SliceRequest;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.util.List;

/** Sub-orchestrator for one slice of a large content check: reads the slice, checks each file, returns the summary. */
public final class VerifySlice {
    public static final String NAME = "VerifySlice";

    @FunctionName(NAME)
    public CopySummary run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx) {
        SliceRequest slice = ctx.getInput(SliceRequest.class);
        FileSlice files = ctx.callActivity(ReadManifestSlice.NAME, slice, BackupSiteContent.ACTIVITY_RETRY,
                FileSlice.class).await();
        List<CopyRequest> checks = files.getFiles().stream()
                .map(file -> CopyRequest.of(slice.getRequest(), slice.getRootDirectory(), file)).toList();
        return FanOut.files(ctx, CheckFileContent.NAME, checks, files.getFiles().stream().map(FileEntry::getPath).toList());
    }
}
