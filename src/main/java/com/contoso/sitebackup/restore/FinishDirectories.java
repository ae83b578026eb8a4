package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.snapshot.SnapshotStore;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: the last step of a restore, once every file is in place: removes the temporary files restores left in
 * the target ({@link TemporarySweep}), then creates the snapshot's folders (empty ones too) and gives them their
 * recorded mode, mtime and owner, deepest first (see {@link DirectoryRestorer}). Takes a {@link FinishRequest} and
 * answers a {@link com.contoso.sitebackup.durable.FanOutSummary}, both as JSON text.
 */
public final class FinishDirectories {
    public static final String NAME = "FinishDirectories";
    /** How the step is named where it fails as a whole: it is about every folder of the snapshot. */
    public static final String EVERY_FOLDER = "(every folder of the snapshot)";

    private final ManifestStore manifests;
    private final TemporarySweep sweep;
    private final DirectoryRestorer restorer;

    /** Used by the Functions worker: the process's services. */
    public FinishDirectories() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public FinishDirectories(AppServices services) {
        this(ManifestStore.from(services), new TemporarySweep(SnapshotStore.from(services), services.writeRoots()),
                DirectoryRestorer.from(services));
    }

    FinishDirectories(ManifestStore manifests, TemporarySweep sweep, DirectoryRestorer restorer) {
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.sweep = Objects.requireNonNull(sweep, "sweep");
        this.restorer = Objects.requireNonNull(restorer, "restorer");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        FinishRequest request = Wire.read(input, FinishRequest.class, "the input of " + NAME);
        String mismatch = CodeVersion.mismatch(request.codeVersion());
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
        }
        RestoreJob job = manifests.readCard(request.manifest(), RestoreJob.class);
        try {
            // Before the folders get their mtimes: removing a name changes its folder's.
            sweep.sweep(job, request.manifest());
        } catch (IllegalArgumentException refused) {
            // A target or a snapshot refused: the folders' step below refuses it too, and says why.
        }
        return Wire.write(restorer.finish(job.request()));
    }
}
