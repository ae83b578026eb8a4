package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FanOutSummary;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: the last step of a snapshot's restore, once every file is in place: creates the snapshot's folders (empty
 * ones too) and gives them their recorded mode, mtime and owner, deepest first (see {@link DirectoryRestorer}).
 */
public final class FinishDirectories {
    public static final String NAME = "FinishDirectories";
    /** How the step is named where it fails as a whole: it is about every folder of the snapshot. */
    public static final String EVERY_FOLDER = "(every folder of the snapshot)";

    private final DirectoryRestorer restorer;

    /** Used by the Functions worker: the process's services. */
    public FinishDirectories() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public FinishDirectories(AppServices services) {
        this(DirectoryRestorer.from(services));
    }

    public FinishDirectories(DirectoryRestorer restorer) {
        this.restorer = Objects.requireNonNull(restorer, "restorer");
    }

    /** The request names the snapshot the listing chose (its id); returns the folders' problems. */
    @FunctionName(NAME)
    public FanOutSummary run(@DurableActivityTrigger(name = "request") RestoreRequest request) {
        return restorer.finish(request);
    }
}
