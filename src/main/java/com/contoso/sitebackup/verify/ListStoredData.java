package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.Wire;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: lists, in batches, the blob versions a snapshot references, for a check of the stored data (see
 * {@link StoredDataChecker#plan}). Takes the run's {@link VerifyRequest} and answers a {@link JobPlan}, both as JSON
 * text; a refused request is a rejected plan, never an exception.
 */
public final class ListStoredData {
    public static final String NAME = "ListStoredData";

    private final StoredDataChecker checker;

    /** Used by the Functions worker: the process's services. */
    public ListStoredData() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public ListStoredData(AppServices services) {
        this(StoredDataChecker.from(services));
    }

    public ListStoredData(StoredDataChecker checker) {
        this.checker = Objects.requireNonNull(checker, "checker");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        VerifyRequest request;
        try {
            request = Wire.read(input, VerifyRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return Wire.write(JobPlan.rejected(e.getMessage()));
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        return Wire.write(mismatch != null ? JobPlan.rejected(mismatch) : checker.plan(request));
    }
}
