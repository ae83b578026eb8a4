package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.Wire;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: writes a backup run's snapshot once its copies are done (see {@link SnapshotSealer}). Takes a
 * {@link SealRequest} and answers the snapshot's {@link com.contoso.sitebackup.snapshot.SnapshotInfo}, both as JSON
 * text. A refused request is an IllegalArgumentException (not retried); a storage failure is retried.
 */
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
    public String run(@DurableActivityTrigger(name = "input") String input) {
        SealRequest request = Wire.read(input, SealRequest.class, "the input of " + NAME);
        String mismatch = CodeVersion.mismatch(request.codeVersion());
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
        }
        return Wire.write(sealer.seal(request));
    }
}
