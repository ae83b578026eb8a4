package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.snapshot.SnapshotInfo;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: writes a backup run's snapshot manifest once its copies are done (see {@link SnapshotSealer}). */
public final class SealSnapshot {
    public static final String NAME = "SealSnapshot";

    private final SnapshotSealer sealer;

    /** Used by the Functions worker: the process's services. */
    public SealSnapshot() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public SealSnapshot(AppServices services) {
        this(SnapshotSealer.from(services));
    }

    public SealSnapshot(SnapshotSealer sealer) {
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    @FunctionName(NAME)
    public SnapshotInfo run(@DurableActivityTrigger(name = "request") SealRequest request) {
        return sealer.seal(request);
    }
}
