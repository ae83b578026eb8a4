package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.ContentCheck;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.storage.BackupComparer;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: compares one file's content with its blob's Content-MD5 from the listing (see {@link BackupComparer}). */
public final class CheckFileContent {
    public static final String NAME = "CheckFileContent";

    private final BackupComparer comparer;

    /** Used by the Functions worker. */
    public CheckFileContent() {
        this(AppServices.shared().comparer());
    }

    public CheckFileContent(BackupComparer comparer) {
        this.comparer = Objects.requireNonNull(comparer, "comparer");
    }

    @FunctionName(NAME)
    public CopyResult run(@DurableActivityTrigger(name = "request") ContentCheck check) {
        return comparer.checkContent(check);
    }
}
