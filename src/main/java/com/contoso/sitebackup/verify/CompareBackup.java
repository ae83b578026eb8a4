package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.Wire;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: compares a directory with a backup snapshot (see {@link BackupComparer}). Takes the run's
 * {@link VerifyRequest} and answers its {@link VerifyPlan}, both as JSON text; a refused request is a rejected
 * report, never an exception.
 */
public final class CompareBackup {
    public static final String NAME = "CompareBackup";

    private final BackupComparer comparer;

    /** Used by the Functions worker: the process's services. */
    public CompareBackup() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public CompareBackup(AppServices services) {
        this(BackupComparer.from(services));
    }

    public CompareBackup(BackupComparer comparer) {
        this.comparer = Objects.requireNonNull(comparer, "comparer");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        VerifyRequest request;
        try {
            request = Wire.read(input, VerifyRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return Wire.write(new VerifyPlan(VerifyReport.rejected(e.getMessage()), null));
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        return Wire.write(mismatch != null ? new VerifyPlan(VerifyReport.rejected(mismatch), null)
                : comparer.compare(request));
    }
}
