package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.Wire;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: lists what a restore will write (see {@link RestorePlanner}). Takes the run's {@link RestoreRequest} and
 * answers its {@link JobPlan}, both as JSON text; a request it refuses is a rejected plan, never an exception.
 */
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
    public String run(@DurableActivityTrigger(name = "input") String input) {
        RestoreRequest request;
        try {
            request = Wire.read(input, RestoreRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return Wire.write(JobPlan.rejected(e.getMessage()));
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        return Wire.write(mismatch != null ? JobPlan.rejected(mismatch) : planner.plan(request));
    }
}
