package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.VerifyPlan;
import com.contoso.sitebackup.storage.BackupComparer;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: compares a directory with its backup by listings (see {@link BackupComparer}). */
public final class CompareBackup {
    public static final String NAME = "CompareBackup";

    private final BackupComparer comparer;

    /** Used by the Functions worker. */
    public CompareBackup() {
        this(AppServices.shared().comparer());
    }

    public CompareBackup(BackupComparer comparer) {
        this.comparer = Objects.requireNonNull(comparer, "comparer");
    }

    @FunctionName(NAME)
    public VerifyPlan run(@DurableActivityTrigger(name = "request") BackupRequest request) {
        return comparer.compare(request);
    }
}
