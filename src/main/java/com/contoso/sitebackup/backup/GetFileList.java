package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: lists the files a backup will copy (see {@link BackupPlanner}). */
public final class GetFileList {
    public static final String NAME = "GetFileList";

    private final BackupPlanner planner;

    /** Used by the Functions worker: the process's services. */
    public GetFileList() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public GetFileList(AppServices services) {
        this(BackupPlanner.from(services));
    }

    public GetFileList(BackupPlanner planner) {
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    @FunctionName(NAME)
    public JobPlan run(@DurableActivityTrigger(name = "request") BackupRequest request) {
        return planner.plan(request);
    }
}
