package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: lists the blobs a restore will write (see {@link RestorePlanner}). */
public final class ListBackup {
    public static final String NAME = "ListBackup";

    private final RestorePlanner planner;

    /** Used by the Functions worker: the process's services. */
    public ListBackup() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public ListBackup(AppServices services) {
        this(RestorePlanner.from(services));
    }

    public ListBackup(RestorePlanner planner) {
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    @FunctionName(NAME)
    public JobPlan run(@DurableActivityTrigger(name = "request") RestoreRequest request) {
        return planner.plan(request);
    }
}
