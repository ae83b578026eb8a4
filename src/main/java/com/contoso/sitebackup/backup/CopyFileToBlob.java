package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Activity: copies one batch of a backup's files to their blobs, files in parallel on the worker's transfer pool
 * ({@link BatchRunner}), each with {@link BlobCopier}: one open per file, no link followed, copy on write. Takes a
 * {@link com.contoso.sitebackup.durable.BatchWork} and answers a {@link com.contoso.sitebackup.durable.BatchOutcome},
 * both as JSON text. Each start of an input that keeps a version in a blob snapshot first leaves a marker
 * ({@link ManifestStore#firstStart}, one request, before its first blob snapshot), so a start after a lost one knows
 * to look for the blob snapshots the lost one took; an input that only creates and replaces blobs writes none.
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
            // A retry round, or an input started before by a worker that was lost: see BlobCopier#copy. Asked only
            // before a blob snapshot, so a batch that only creates and replaces blobs writes no marker.
            BooleanSupplier again = work.attempt() > 1 ? () -> true : new StartedBefore(manifests, work);
            return BatchRunner.eachFile(entry -> copier.copy(job, entry, again));
        });
    }

    /**
     * Whether an input was started before: its marker is written ({@link ManifestStore#firstStart}) when a copy of
     * the input first asks, and every copy of it waits for that answer, so the marker is stored before the input's
     * first blob snapshot. A failed write is not kept: the next copy that asks tries again.
     */
    static final class StartedBefore implements BooleanSupplier {
        private final ManifestStore manifests;
        private final BatchWork work;
        private Boolean before;

        StartedBefore(ManifestStore manifests, BatchWork work) {
            this.manifests = Objects.requireNonNull(manifests, "manifests");
            this.work = Objects.requireNonNull(work, "work");
        }

        @Override
        public synchronized boolean getAsBoolean() {
            if (before == null) {
                before = !manifests.firstStart(NAME, work);
            }
            return before;
        }
    }
}
