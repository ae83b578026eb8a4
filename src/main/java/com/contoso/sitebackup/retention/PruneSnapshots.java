package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.config.AppServices;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: applies a retention policy to one backup (see {@link SnapshotPruner}). */
public final class PruneSnapshots {
    public static final String NAME = "PruneSnapshots";

    private final SnapshotPruner pruner;

    /** Used by the Functions worker: the process's services. */
    public PruneSnapshots() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public PruneSnapshots(AppServices services) {
        this(SnapshotPruner.from(services));
    }

    public PruneSnapshots(SnapshotPruner pruner) {
        this.pruner = Objects.requireNonNull(pruner, "pruner");
    }

    @FunctionName(NAME)
    public RetentionResult run(@DurableActivityTrigger(name = "request") RetentionRequest request) {
        return pruner.prune(request);
    }
}
