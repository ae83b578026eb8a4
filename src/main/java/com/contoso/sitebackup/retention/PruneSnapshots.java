package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.config.AppServices;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.Wire;

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

    /** Takes a {@link RetentionRequest} and answers a {@link RetentionResult}, both as JSON text. */
    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        RetentionRequest request = Wire.read(input, RetentionRequest.class, "the input of " + NAME);
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
        }
        return Wire.write(pruner.prune(request));
    }
}
