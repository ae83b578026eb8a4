package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.RestoreRequest;
import com.contoso.sitebackup.storage.RestorePlanner;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: lists the blobs a restore will write (see {@link RestorePlanner}). */
public final class ListBackup {
    public static final String NAME = "ListBackup";

    private final RestorePlanner planner;

    /** Used by the Functions worker. */
    public ListBackup() {
        this(AppServices.shared().restorePlanner());
    }

    public ListBackup(RestorePlanner planner) {
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    @FunctionName(NAME)
    public FileListing run(@DurableActivityTrigger(name = "request") RestoreRequest request) {
        return planner.plan(request);
    }
}
