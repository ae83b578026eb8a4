package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.JobCard;

/**
 * A verify run's job card ({@link com.contoso.sitebackup.durable.ManifestStore}): the folder whose files
 * {@link CheckFileContent} reads (checked against the read roots where it is used) and the run's report.
 */
public record VerifyJob(String rootDirectory, String report) implements JobCard {
}
