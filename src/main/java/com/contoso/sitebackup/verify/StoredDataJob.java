package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.JobCard;

/**
 * A check of stored data's job card ({@link com.contoso.sitebackup.durable.ManifestStore}): the backup whose blobs
 * {@link CheckStoredData} reads (its container and prefix, checked again where they are used), the snapshot the
 * listing chose, and the run's report.
 */
public record StoredDataJob(String container, String blobPrefix, String snapshot, String report) implements JobCard {
}
