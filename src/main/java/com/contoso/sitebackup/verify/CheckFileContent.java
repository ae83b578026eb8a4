package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileEntry;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: compares one batch of files' content with the MD5 their snapshot recorded, files in parallel on the
 * worker's transfer pool ({@link BatchRunner}; see {@link BackupComparer#checkContent}). Takes a
 * {@link com.contoso.sitebackup.durable.BatchWork} and answers a {@link com.contoso.sitebackup.durable.BatchOutcome},
 * both as JSON text.
 */
public final class CheckFileContent {
    public static final String NAME = "CheckFileContent";

    private final BatchRunner<VerifyJob, FileEntry> runner;
    private final BackupComparer comparer;

    /** Used by the Functions worker: the process's services. */
    public CheckFileContent() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public CheckFileContent(AppServices services) {
        this(new BatchRunner<>(NAME, VerifyJob.class, FileEntry.class, FileEntry::getPath, ManifestStore.from(services),
                ProblemReport.from(services), services.transfers()), BackupComparer.from(services));
    }

    public CheckFileContent(BatchRunner<VerifyJob, FileEntry> runner, BackupComparer comparer) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.comparer = Objects.requireNonNull(comparer, "comparer");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        return runner.run(input, job -> entry -> comparer.checkContent(job, entry));
    }
}
