package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileEntry;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: restores one batch of a snapshot's files and links with {@link BlobRestorer}, in parallel on the worker's
 * transfer pool ({@link BatchRunner}): never outside the target, never over an existing file unless asked, never
 * half-written; the batch's files are flushed to the disk together before they get their names. Takes a
 * {@link com.contoso.sitebackup.durable.BatchWork} and answers a {@link com.contoso.sitebackup.durable.BatchOutcome},
 * both as JSON text.
 */
public final class RestoreBlobToFile {
    public static final String NAME = "RestoreBlobToFile";

    private final BatchRunner<RestoreJob, FileEntry> runner;
    private final BlobRestorer restorer;

    /** Used by the Functions worker: the process's services. */
    public RestoreBlobToFile() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public RestoreBlobToFile(AppServices services) {
        this(new BatchRunner<>(NAME, RestoreJob.class, FileEntry.class, FileEntry::getPath, ManifestStore.from(services),
                ProblemReport.from(services), services.transfers()), BlobRestorer.from(services));
    }

    public RestoreBlobToFile(BatchRunner<RestoreJob, FileEntry> runner, BlobRestorer restorer) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.restorer = Objects.requireNonNull(restorer, "restorer");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        return runner.runInput(input, (job, work) -> (items, transfers) -> restorer.restoreAll(job, work.manifest(),
                items, transfers));
    }
}
