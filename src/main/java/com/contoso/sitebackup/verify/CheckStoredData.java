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
 * Activity: downloads one batch of a snapshot's blob versions and compares each with the MD5 the snapshot recorded,
 * in parallel on the worker's transfer pool ({@link BatchRunner}; see {@link StoredDataChecker#check}). Reads storage
 * only, never the source. Takes a {@link com.contoso.sitebackup.durable.BatchWork} and answers a
 * {@link com.contoso.sitebackup.durable.BatchOutcome}, both as JSON text.
 */
public final class CheckStoredData {
    public static final String NAME = "CheckStoredData";

    private final BatchRunner<StoredDataJob, FileEntry> runner;
    private final StoredDataChecker checker;

    /** Used by the Functions worker: the process's services. */
    public CheckStoredData() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public CheckStoredData(AppServices services) {
        this(new BatchRunner<>(NAME, StoredDataJob.class, FileEntry.class, FileEntry::getPath,
                ManifestStore.from(services), ProblemReport.from(services), services.transfers()),
                StoredDataChecker.from(services));
    }

    public CheckStoredData(BatchRunner<StoredDataJob, FileEntry> runner, StoredDataChecker checker) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.checker = Objects.requireNonNull(checker, "checker");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        return runner.run(input, job -> entry -> checker.check(job, entry));
    }
}
