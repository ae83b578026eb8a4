package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/**
 * Activity: copies one batch of a backup's files to their blobs, files in parallel on the worker's transfer pool
 * ({@link BatchRunner}), each with {@link BlobCopier}: one open per file, no link followed, copy on write. Takes a
 * {@link com.contoso.sitebackup.durable.BatchWork} and answers a {@link com.contoso.sitebackup.durable.BatchOutcome},
 * both as JSON text. Each start of an input leaves a marker ({@link ManifestStore#firstStart}, one request a
 * batch), so a start after a lost one knows to look for the blob snapshots the lost one took.
 */
public final class CopyFileToBlob {
    public static final String NAME = "CopyFileToBlob";

    private final BatchRunner<BackupJob, CopyEntry> runner;
    private final ManifestStore manifests;
    private final BlobCopier copier;

    /** Used by the Functions worker: the process's services. */
    public CopyFileToBlob() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public CopyFileToBlob(AppServices services) {
        this(new BatchRunner<>(NAME, BackupJob.class, CopyEntry.class, CopyEntry::path, ManifestStore.from(services),
                ProblemReport.from(services), services.transfers()), ManifestStore.from(services),
                BlobCopier.from(services));
    }

    public CopyFileToBlob(BatchRunner<BackupJob, CopyEntry> runner, ManifestStore manifests, BlobCopier copier) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.copier = Objects.requireNonNull(copier, "copier");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        return runner.runInput(input, (job, work) -> {
            // A retry round, or an input started before by a worker that was lost: see BlobCopier#copy.
            boolean again = work.attempt() > 1 || !manifests.firstStart(NAME, work);
            return BatchRunner.eachFile(entry -> copier.copy(job, entry, again));
        });
    }
}
