package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.JobCard;

/**
 * A restore run's job card ({@link com.contoso.sitebackup.durable.ManifestStore}): where its batches' entries come
 * from (the backup's container and prefix, the snapshot the listing chose) and where they go. Read by
 * {@link RestoreBlobToFile} and {@link FinishDirectories}, which check the roots, the container and the names again
 * where they use them.
 */
public record RestoreJob(String targetDirectory, String container, String blobPrefix, String snapshot,
                         boolean overwrite, String report) implements JobCard {
    /** The request this card was written from, with the snapshot the listing chose. */
    RestoreRequest request() {
        return new RestoreRequest(container, blobPrefix, targetDirectory, overwrite, snapshot, null, report);
    }
}
