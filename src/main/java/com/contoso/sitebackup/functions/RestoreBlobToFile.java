package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.RestoreFileRequest;
import com.contoso.sitebackup.storage.BlobRestorer;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: restores one blob to its file, checked and atomic (see {@link BlobRestorer}). */
public final class RestoreBlobToFile {
    public static final String NAME = "RestoreBlobToFile";

    private final BlobRestorer restorer;

    /** Used by the Functions worker. */
    public RestoreBlobToFile() {
        this(AppServices.shared().restorer());
    }

    public RestoreBlobToFile(BlobRestorer restorer) {
        this.restorer = Objects.requireNonNull(restorer, "restorer");
    }

    @FunctionName(NAME)
    public CopyResult run(@DurableActivityTrigger(name = "request") RestoreFileRequest request) {
        return restorer.restore(request);
    }
}
