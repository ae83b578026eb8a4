package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.snapshot.SnapshotIds;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The input of {@link SealSnapshot}: which backup run's snapshot to write, where its blobs are, the report whose name
 * also names the tree its listing wrote, and the run's instance and times for the snapshot's summary.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SealRequest {
    private final String rootDirectory;
    private final String container;
    private final String blobPrefix;
    private final String report;
    private final String run;
    private final String instanceId;
    private final String completed;

    @JsonCreator
    public SealRequest(@JsonProperty("rootDirectory") String rootDirectory,
                       @JsonProperty("container") String container,
                       @JsonProperty("blobPrefix") String blobPrefix,
                       @JsonProperty("report") String report,
                       @JsonProperty("run") String run,
                       @JsonProperty("instanceId") String instanceId,
                       @JsonProperty("completed") String completed) {
        this.rootDirectory = rootDirectory;
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.report = report;
        this.run = run;
        this.instanceId = instanceId;
        this.completed = completed;
    }

    public String getRootDirectory() {
        return rootDirectory;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobPrefix() {
        return blobPrefix;
    }

    /** The run's problem report; its name also names the tree the run's listing wrote. */
    public String getReport() {
        return report;
    }

    /** The run's snapshot id: its start time ({@link SnapshotIds}). */
    public String getRun() {
        return run;
    }

    public String getInstanceId() {
        return instanceId;
    }

    /** When the run's copies ended (ISO-8601), from the orchestration's clock. */
    public String getCompleted() {
        return completed;
    }

    /**
     * Checks what the sealer must not take on trust (Durable's own HTTP API can start any orchestration with any
     * input); throws IllegalArgumentException naming the field.
     */
    public SealRequest validate(String manifestContainer) {
        BlobNames.checkContainer("container", container, manifestContainer);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        ProblemReport.check(report);
        if (run == null || !SnapshotIds.isId(run)) {
            throw new IllegalArgumentException("run '" + Printable.quote(run) + "' is not a snapshot id");
        }
        return this;
    }
}
