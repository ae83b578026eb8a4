package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.config.AppServices;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: reads one slice of a large job's manifest (see {@link ManifestStore}). */
public final class ReadManifestSlice {
    public static final String NAME = "ReadManifestSlice";

    private final ManifestStore manifests;

    /** Used by the Functions worker: the process's services. */
    public ReadManifestSlice() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public ReadManifestSlice(AppServices services) {
        this(ManifestStore.from(services));
    }

    public ReadManifestSlice(ManifestStore manifests) {
        this.manifests = Objects.requireNonNull(manifests, "manifests");
    }

    @FunctionName(NAME)
    public FileSlice run(@DurableActivityTrigger(name = "request") SliceRequest request) {
        return new FileSlice(manifests.read(request.validate().getManifest(), request.getIndex()));
    }
}
