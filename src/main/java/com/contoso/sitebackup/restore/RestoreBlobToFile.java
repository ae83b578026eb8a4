package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: restores one blob to its file, checked and atomic (see {@link BlobRestorer}). */
public final class RestoreBlobToFile {
    public static final String NAME = "RestoreBlobToFile";

    private final BlobRestorer restorer;

    /** Used by the Functions worker: the process's services. */
    public RestoreBlobToFile() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public RestoreBlobToFile(AppServices services) {
        this(BlobRestorer.from(services));
    }

    public RestoreBlobToFile(BlobRestorer restorer) {
        this.restorer = Objects.requireNonNull(restorer, "restorer");
    }

    @FunctionName(NAME)
    public FileOutcome run(@DurableActivityTrigger(name = "request") RestoreFileRequest request) {
        return restorer.restore(request);
    }
}
