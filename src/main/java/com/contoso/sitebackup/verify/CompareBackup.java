package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: compares a directory with its backup by listings (see {@link BackupComparer}). */
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
    public VerifyPlan run(@DurableActivityTrigger(name = "request") VerifyRequest request) {
        return comparer.compare(request);
    }
}
