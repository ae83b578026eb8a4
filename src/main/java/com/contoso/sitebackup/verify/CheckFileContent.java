package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: compares one file's content with its blob's Content-MD5 from the listing (see {@link BackupComparer}). */
public final class CheckFileContent {
    public static final String NAME = "CheckFileContent";

    private final BackupComparer comparer;

    /** Used by the Functions worker: the process's services. */
    public CheckFileContent() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public CheckFileContent(AppServices services) {
        this(BackupComparer.from(services));
    }

    public CheckFileContent(BackupComparer comparer) {
        this.comparer = Objects.requireNonNull(comparer, "comparer");
    }

    @FunctionName(NAME)
    public FileOutcome run(@DurableActivityTrigger(name = "request") ContentCheck check) {
        return comparer.checkContent(check);
    }
}
