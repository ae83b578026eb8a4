package com.contoso.sitebackup.durable;

/**
 * What every job card says ({@link ManifestStore}): the run's problem report, where its batch activities write each
 * file they could not take. Each job's card is a record of its own that implements this.
 */
public interface JobCard {
    /** The run's problem report ({@link ProblemReport#nameFor}); null to write none. */
    String report();
}
