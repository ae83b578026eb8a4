package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.storage.BlobCopier;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: copies one file to its blob, an idempotent overwrite (see {@link BlobCopier}). */
public final class CopyFileToBlob {
    public static final String NAME = "CopyFileToBlob";

    private final BlobCopier copier;

    /** Used by the Functions worker. */
    public CopyFileToBlob() {
        this(AppServices.shared().copier());
    }

    public CopyFileToBlob(BlobCopier copier) {
        this.copier = Objects.requireNonNull(copier, "copier");
    }

    @FunctionName(NAME)
    public CopyResult run(@DurableActivityTrigger(name = "request") CopyRequest request) {
        return copier.copy(request);
    }
}
