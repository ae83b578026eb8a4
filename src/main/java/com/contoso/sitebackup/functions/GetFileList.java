package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.storage.BackupPlanner;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: lists the files a backup will copy (see {@link BackupPlanner}). */
public final class GetFileList {
    public static final String NAME = "GetFileList";

    private final BackupPlanner planner;

    /** Used by the Functions worker. */
    public GetFileList() {
        this(AppServices.shared().planner());
    }

    public GetFileList(BackupPlanner planner) {
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    @FunctionName(NAME)
    public FileListing run(@DurableActivityTrigger(name = "request") BackupRequest request) {
        return planner.plan(request);
    }
}
