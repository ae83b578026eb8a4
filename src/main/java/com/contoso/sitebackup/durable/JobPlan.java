package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import java.util.List;

/**
 * What a job's listing activity found: the manifest of batches to work on ({@code batchCount} of them, holding
 * {@code filesPlanned} files of {@code bytesPlanned} bytes), what needed no work, the entries that cannot be taken
 * (counted exactly, the first {@link #MAX_LISTED} named; every one is in the run's problem report), or an
 * {@code error} that makes the whole job impossible (a root missing or not allowed). An expected outcome is a
 * result, not an exception, so it is not retried. A plan read from a backup snapshot names that {@code snapshot},
 * so a job's later steps use the one that {@code latest} or {@code asOf} resolved to; a backup's plan names the
 * run's own snapshot when its listing found nothing to copy and sealed the run itself.
 */
public record JobPlan(String directory, String manifest, int batchCount, long filesPlanned, long bytesPlanned,
                      long filesUnchanged, long bytesUnchanged, long problemCount, List<FileProblem> problems,
                      String error, String snapshot) {
    /** How many problems a plan names, at most. */
    public static final int MAX_LISTED = 25;

    public JobPlan {
        if (batchCount < 0 || filesPlanned < 0 || bytesPlanned < 0 || filesUnchanged < 0 || bytesUnchanged < 0
                || problemCount < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (error == null && batchCount > 0) {
            BatchWork.checkManifest(manifest);
        }
        problems = problems == null ? List.of() : problems.stream().limit(MAX_LISTED).map(FileProblem::clipped).toList();
    }

    /** A plan that refuses the whole job, with a message that says why. */
    public static JobPlan rejected(String error) {
        return new JobPlan(null, null, 0, 0, 0, 0, 0, 0, List.of(), error == null ? "rejected" : error, null);
    }

    /** This plan as read from the backup snapshot {@code snapshotId}. */
    public JobPlan withSnapshot(String snapshotId) {
        return new JobPlan(directory, manifest, batchCount, filesPlanned, bytesPlanned, filesUnchanged, bytesUnchanged,
                problemCount, problems, error, snapshotId);
    }

    /** This plan with {@code files} files of {@code bytes} bytes needing no work. */
    public JobPlan withUnchanged(long files, long bytes) {
        return new JobPlan(directory, manifest, batchCount, filesPlanned, bytesPlanned, files, bytes, problemCount,
                problems, error, snapshot);
    }
}
