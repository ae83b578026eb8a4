package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.Wire;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: the last step of a restore, once every file is in place: in one pass over the snapshot, creates its
 * folders (empty ones too), removes the temporary files restores left in them and in the target, and gives each folder
 * its recorded mode, mtime and owner, deepest first (see {@link DirectoryRestorer}). Takes a {@link FinishRequest} and
 * answers a {@link com.contoso.sitebackup.durable.FanOutSummary}, both as JSON text.
 */
public final class FinishDirectories {
    public static final String NAME = "FinishDirectories";
    /** How the step is named where it fails as a whole: it is about every folder of the snapshot. */
    public static final String EVERY_FOLDER = "(every folder of the snapshot)";

    private final ManifestStore manifests;
    private final DirectoryRestorer restorer;

    /** Used by the Functions worker: the process's services. */
    public FinishDirectories() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public FinishDirectories(AppServices services) {
        this(ManifestStore.from(services), DirectoryRestorer.from(services));
    }

    FinishDirectories(ManifestStore manifests, DirectoryRestorer restorer) {
        this.manifests = Objects.requireNonNull(manifests, "manifests");
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
        return Wire.write(restorer.finish(job.request(), request.manifest()));
    }
}
