package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.Wire;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: lists the files a backup will copy (see {@link BackupPlanner}). Takes the run's {@link BackupRequest}
 * and answers its {@link JobPlan}, both as JSON text; a request it refuses is a rejected plan, never an exception.
 */
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
    public String run(@DurableActivityTrigger(name = "input") String input) {
        return Wire.write(plan(input));
    }

    /** The plan for the request {@code input} holds. */
    JobPlan plan(String input) {
        BackupRequest request;
        try {
            request = Wire.read(input, BackupRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        return mismatch != null ? JobPlan.rejected(mismatch) : planner.plan(request);
    }
}
