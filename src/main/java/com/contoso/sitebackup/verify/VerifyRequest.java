package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.snapshot.SnapshotChoice;

import com.contoso.sitebackup.durable.RequestField;
import com.contoso.sitebackup.durable.SharedRequestFields;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What to verify: the directory {@code rootDirectory} (under the read roots) against its backup under
 * {@code blobPrefix} in {@code container}, the files the include and exclude patterns select, by listings or,
 * with {@code compareContent}, by content: against the tree a backup snapshot recorded ({@link SnapshotChoice}), the
 * latest unless {@code snapshot} or {@code asOf} names another. With {@code readData}, also (or, without a
 * {@code rootDirectory}, only) the stored data: every blob version the snapshot references is downloaded and its MD5
 * compared with the one the snapshot recorded, without the source. The input of {@code VerifyBackup}, of
 * {@code CompareBackup} and of {@code ListStoredData}; {@code report} is set by the orchestrator for its listing
 * activities, {@code codeVersion} by the starter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class VerifyRequest {
    private final String rootDirectory;
    private final String container;
    private final String blobPrefix;
    private final List<String> include;
    private final List<String> exclude;
    private final boolean compareContent;
    private final String snapshot;
    private final String asOf;
    private final String report;
    private final int codeVersion;
    private final String account;
    private final boolean readData;

    /** A verify against the latest snapshot. */
    public VerifyRequest(String rootDirectory, String container, String blobPrefix, List<String> include,
                         List<String> exclude, boolean compareContent, String report) {
        this(rootDirectory, container, blobPrefix, include, exclude, compareContent, null, null, report, 0);
    }

    /** A verify as a user sends it (no code version yet). */
    public VerifyRequest(String rootDirectory, String container, String blobPrefix, List<String> include,
                         List<String> exclude, boolean compareContent, String snapshot, String asOf, String report) {
        this(rootDirectory, container, blobPrefix, include, exclude, compareContent, snapshot, asOf, report, 0);
    }

    /** A verify with a code version, without a check of the stored data or a backup account. */
    public VerifyRequest(String rootDirectory, String container, String blobPrefix, List<String> include,
                         List<String> exclude, boolean compareContent, String snapshot, String asOf, String report,
                         int codeVersion) {
        this(rootDirectory, container, blobPrefix, include, exclude, compareContent, snapshot, asOf, report,
                codeVersion, false, null);
    }

    @JsonCreator
    public VerifyRequest(
            @RequestField(like = SharedRequestFields.class) @JsonProperty("rootDirectory") String rootDirectory,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("container") String container,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("blobPrefix") String blobPrefix,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("include") List<String> include,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("exclude") List<String> exclude,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("compareContent") boolean compareContent,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("snapshot") String snapshot,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("asOf") String asOf,
            @JsonProperty("report") String report,
            @JsonProperty("codeVersion") int codeVersion,
            @RequestField(help = "download every blob version the snapshot references and compare it with the MD5 it"
                    + " recorded; without --root-directory (then --blob-prefix is needed) no source is read")
            @JsonProperty("readData") boolean readData,
            @JsonProperty("account") String account) {
        this.rootDirectory = rootDirectory;
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.include = include == null ? List.of() : List.copyOf(include);
        this.exclude = exclude == null ? List.of() : List.copyOf(exclude);
        this.compareContent = compareContent;
        this.snapshot = snapshot;
        this.asOf = asOf;
        this.report = report;
        this.codeVersion = codeVersion;
        this.account = account;
        this.readData = readData;
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

    public List<String> getInclude() {
        return include == null ? List.of() : include;
    }

    public List<String> getExclude() {
        return exclude == null ? List.of() : exclude;
    }

    /** When true, files of equal size are compared by content (MD5), not by size and recorded mtime. */
    public boolean isCompareContent() {
        return compareContent;
    }

    /** The snapshot to compare with: its id, or {@code latest}; null when {@code asOf} chooses it, or none is asked for. */
    public String getSnapshot() {
        return snapshot;
    }

    /** The time (ISO-8601) whose snapshot to compare with: the newest taken at or before it; or null. */
    public String getAsOf() {
        return asOf;
    }

    /**
     * When true, every blob version the snapshot references is downloaded and compared with the MD5 the snapshot
     * recorded (a check of the stored data, without the source; {@code rootDirectory} may then be left out).
     */
    public boolean isReadData() {
        return readData;
    }

    /** This request naming the snapshot {@code id} (an earlier step resolved {@code latest} or {@code asOf} to it). */
    public VerifyRequest withSnapshot(String id) {
        return new VerifyRequest(rootDirectory, container, blobPrefix, include, exclude, compareContent, id, null,
                report, codeVersion, readData, account);
    }

    /** This request with {@code read} as its {@link #isReadData()}. */
    public VerifyRequest withReadData(boolean read) {
        return new VerifyRequest(rootDirectory, container, blobPrefix, include, exclude, compareContent, snapshot, asOf,
                report, codeVersion, read, account);
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
    public VerifyRequest withAccount(String backupAccount) {
        return new VerifyRequest(rootDirectory, container, blobPrefix, include, exclude, compareContent, snapshot,
                asOf, report, codeVersion, readData, backupAccount);
    }

    /** This request stamped with {@code version}, the code version it starts. */
    public VerifyRequest withCodeVersion(int version) {
        return new VerifyRequest(rootDirectory, container, blobPrefix, include, exclude, compareContent, snapshot, asOf,
                report, version, readData, account);
    }

    /** The run's problem report, set by the orchestrator; null in a request as a user sends it. */
    public String getReport() {
        return report;
    }

    /** This request with {@code root} as its directory (the starter stores the path it opened the root by). */
    public VerifyRequest withRootDirectory(String root) {
        return new VerifyRequest(root, container, blobPrefix, include, exclude, compareContent, snapshot, asOf, report,
                codeVersion, readData, account);
    }

    /** This request with the container and prefix filled in where they are missing, as a backup's are. */
    public VerifyRequest withDefaults(String defaultContainer) {
        return new VerifyRequest(rootDirectory, container == null ? defaultContainer : container,
                blobPrefix == null && rootDirectory != null ? BlobNames.defaultPrefix(rootDirectory) : blobPrefix,
                include, exclude, compareContent, snapshot, asOf, report,
                codeVersion, readData, account);
    }

    /** This request with the run's problem report. */
    public VerifyRequest withReport(String runReport) {
        return new VerifyRequest(rootDirectory, container, blobPrefix, include, exclude, compareContent, snapshot, asOf,
                runReport, codeVersion, readData, account);
    }

    /**
     * Checks what can be checked without I/O and returns the compiled filter; throws IllegalArgumentException
     * naming the field.
     *
     * @param manifestContainer the app's manifest container, never a backup's
     */
    public PathFilter validate(String manifestContainer) {
        if (rootDirectory == null ? !readData : rootDirectory.isBlank()) {
            throw new IllegalArgumentException("rootDirectory is required and must not be blank (it may be left out"
                    + " only with readData, which checks the stored data without the source)");
        }
        BlobNames.checkContainer("container", container, manifestContainer);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        SnapshotChoice.check(snapshot, asOf);
        if (report != null) {
            ProblemReport.check(report);
        }
        return PathFilter.of(getInclude(), getExclude());
    }
}
