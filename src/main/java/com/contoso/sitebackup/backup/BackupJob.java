package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.JobCard;

/**
 * A backup run's job card ({@link com.contoso.sitebackup.durable.ManifestStore}): what its copies and its seal need
 * besides the files. Written by the listing from the checked request; read by {@link CopyFileToBlob} and
 * {@link SealSnapshot}, which check the roots, the container and the names again where they use them.
 *
 * @param directory the folder backed up, as the listing resolved it
 * @param run the run's snapshot id, which every blob it uploads is tagged with; null in a dry run
 * @param report the run's problem report
 */
public record BackupJob(String directory, String container, String blobPrefix, String run, String report)
        implements JobCard {
    /** The card of the checked {@code request}: no run in a dry run. */
    static BackupJob of(BackupRequest request) {
        return new BackupJob(request.getRootDirectory(), request.getContainer(), request.getBlobPrefix(),
                request.isDryRun() ? null : request.getRun(), request.getReport());
    }
}
