package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.FileSlice;
import com.contoso.sitebackup.backup.SliceRequest;
import com.contoso.sitebackup.storage.ManifestStore;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: reads one slice of a large backup's file manifest (see {@link ManifestStore}). */
public final class ReadManifestSlice {
    public static final String NAME = "ReadManifestSlice";

    private final ManifestStore manifests;

    /** Used by the Functions worker. */
    public ReadManifestSlice() {
        this(AppServices.shared().manifests());
    }

    public ReadManifestSlice(ManifestStore manifests) {
        this.manifests = Objects.requireNonNull(manifests, "manifests");
    }

    @FunctionName(NAME)
    public FileSlice run(@DurableActivityTrigger(name = "request") SliceRequest request) {
        return new FileSlice(manifests.read(request.getManifest(), request.getIndex()));
    }
}
