package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: copies one file to its blob, an idempotent overwrite (see {@link BlobCopier}). */
public final class CopyFileToBlob {
    public static final String NAME = "CopyFileToBlob";

    private final BlobCopier copier;

    /** Used by the Functions worker: the process's services. */
    public CopyFileToBlob() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public CopyFileToBlob(AppServices services) {
        this(BlobCopier.from(services));
    }

    public CopyFileToBlob(BlobCopier copier) {
        this.copier = Objects.requireNonNull(copier, "copier");
    }

    @FunctionName(NAME)
    public FileOutcome run(@DurableActivityTrigger(name = "request") CopyRequest request) {
        return copier.copy(request);
    }
}
