package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.snapshot.SnapshotChoice;

import com.contoso.sitebackup.durable.RequestField;
import com.contoso.sitebackup.durable.SharedRequestFields;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to restore and where: the blobs under {@code blobPrefix} in {@code container}, into
 * {@code targetDirectory} (which must lie under the write roots), overwriting existing files only when
 * {@code overwrite} is true: the tree as a backup snapshot recorded it ({@link SnapshotChoice}), the latest one
 * unless {@code snapshot} or {@code asOf} names another. The input of {@code RestoreSiteContent} and of
 * {@code ListBackup}; {@code report} is set by the orchestrator for its listing activity, {@code codeVersion} by the
 * starter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RestoreRequest {
    private final String container;
    private final String blobPrefix;
    private final String targetDirectory;
    private final boolean overwrite;
    private final String snapshot;
    private final String asOf;
    private final String report;
    private final int codeVersion;
    private final String account;

    /** A restore of the latest snapshot. */
    public RestoreRequest(String container, String blobPrefix, String targetDirectory, boolean overwrite,
                          String report) {
        this(container, blobPrefix, targetDirectory, overwrite, null, null, report, 0);
    }

    /** A restore as a user sends it (no code version yet). */
    public RestoreRequest(String container, String blobPrefix, String targetDirectory, boolean overwrite,
                          String snapshot, String asOf, String report) {
        this(container, blobPrefix, targetDirectory, overwrite, snapshot, asOf, report, 0);
    }

    /** Without a backup account ({@link com.contoso.sitebackup.config.BackupAccount}): checked nowhere. */
    public RestoreRequest(String container,
                          String blobPrefix,
                          String targetDirectory,
                          boolean overwrite,
                          String snapshot,
                          String asOf,
                          String report,
                          int codeVersion) {
        this(container, blobPrefix, targetDirectory, overwrite, snapshot, asOf, report, codeVersion, null);
    }

    @JsonCreator
    public RestoreRequest(
            @RequestField(like = SharedRequestFields.class) @JsonProperty("container") String container,
            @RequestField(like = SharedRequestFields.class, required = true) @JsonProperty("blobPrefix") String blobPrefix,
            @RequestField(help = "where to restore (under BACKUP_WRITE_ROOTS; created if missing); relative to your"
                    + " directory",
                    path = true, options = {"--target", "--target-directory", "-t"}, required = true)
            @JsonProperty("targetDirectory") String targetDirectory,
            @RequestField(help = "replace files that exist in the target")
            @JsonProperty("overwrite") boolean overwrite,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("snapshot") String snapshot,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("asOf") String asOf,
            @JsonProperty("report") String report,
            @JsonProperty("codeVersion") int codeVersion,
            @JsonProperty("account") String account) {
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.targetDirectory = targetDirectory;
        this.overwrite = overwrite;
        this.snapshot = snapshot;
        this.asOf = asOf;
        this.report = report;
        this.codeVersion = codeVersion;
        this.account = account;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobPrefix() {
        return blobPrefix;
    }

    public String getTargetDirectory() {
        return targetDirectory;
    }

    public boolean isOverwrite() {
        return overwrite;
    }

    /** The snapshot to restore: its id, or {@code latest}; null when {@code asOf} chooses it, or none is asked for. */
    public String getSnapshot() {
        return snapshot;
    }

    /** The time (ISO-8601) whose snapshot to restore: the newest taken at or before it; or null. */
    public String getAsOf() {
        return asOf;
    }

    /** The code version the run was started with; 0 in a request as a user sends it. */
    public int getCodeVersion() {
        return codeVersion;
    }

    /**
     * The backup account the run was started for ({@link com.contoso.sitebackup.config.BackupAccount}), stamped by the
     * starter; a worker of another account refuses the run. Null in a request as a user sends it.
     */
    public String getAccount() {
        return account;
    }

    /** This request stamped with the backup account it is for (null: checked nowhere). */
    public RestoreRequest withAccount(String backupAccount) {
        return new RestoreRequest(container, blobPrefix, targetDirectory, overwrite, snapshot, asOf, report,
                codeVersion, backupAccount);
    }

    /** This request stamped with {@code version}, the code version it starts. */
    public RestoreRequest withCodeVersion(int version) {
        return new RestoreRequest(container, blobPrefix, targetDirectory, overwrite, snapshot, asOf, report, version,
                account);
    }

    /** The run's problem report, set by the orchestrator; null in a request as a user sends it. */
    public String getReport() {
        return report;
    }

    /** This request with {@code defaultContainer} where it names no container. */
    public RestoreRequest withDefaultContainer(String defaultContainer) {
        return container != null ? this : new RestoreRequest(defaultContainer, blobPrefix, targetDirectory, overwrite,
                snapshot, asOf, report, codeVersion, account);
    }

    /** This request with the run's problem report. */
    public RestoreRequest withReport(String runReport) {
        return new RestoreRequest(container, blobPrefix, targetDirectory, overwrite, snapshot, asOf, runReport,
                codeVersion, account);
    }

    /** This request for the snapshot {@code snapshotId} (what its {@code snapshot} or {@code asOf} chose). */
    public RestoreRequest withSnapshot(String snapshotId) {
        return new RestoreRequest(container, blobPrefix, targetDirectory, overwrite, snapshotId, null, report,
                codeVersion, account);
    }

    /**
     * Checks what can be checked without I/O; throws IllegalArgumentException naming the field.
     *
     * @param manifestContainer the app's manifest container, never a backup's
     */
    public RestoreRequest validate(String manifestContainer) {
        if (targetDirectory == null || targetDirectory.isBlank()) {
            throw new IllegalArgumentException("targetDirectory is required and must not be blank");
        }
        BlobNames.checkContainer("container", container, manifestContainer);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        SnapshotChoice.check(snapshot, asOf);
        if (report != null) {
            ProblemReport.check(report);
        }
        return this;
    }
}
