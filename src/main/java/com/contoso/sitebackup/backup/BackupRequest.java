package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.snapshot.SnapshotIds;

import com.contoso.sitebackup.durable.RequestField;
import com.contoso.sitebackup.durable.SharedRequestFields;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What to back up and where: the input of {@code BackupSiteContent} and of {@code GetFileList}.
 *
 * <p>{@code container} and {@code blobPrefix} may be null in a request as a user sends it; the starter fills
 * them in ({@link #withDefaults}) before the orchestration starts, so the orchestration's input says
 * exactly where every blob goes. {@code report}, {@code run} and {@code instanceId} are set by the orchestrator for its
 * listing activity: the run's problem report, snapshot id and orchestration. Getters tolerate fields a binder left
 * null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class BackupRequest {
    /** The longest orchestration id a listing's request or a seal's ({@link SealRequest}) may name. */
    static final int MAX_INSTANCE_ID = 500;

    private final String rootDirectory;
    private final String container;
    private final String blobPrefix;
    private final List<String> include;
    private final List<String> exclude;
    private final boolean dryRun;
    private final boolean compareContent;
    private final String report;
    private final String run;
    private final int codeVersion;
    private final String account;
    private final String instanceId;

    /** A request as a user sends it, or with the run's report: no run id. */
    public BackupRequest(String rootDirectory, String container, String blobPrefix, List<String> include,
                         List<String> exclude, boolean dryRun, boolean compareContent, String report) {
        this(rootDirectory, container, blobPrefix, include, exclude, dryRun, compareContent, report, null, 0);
    }

    /** Without a backup account ({@link com.contoso.sitebackup.config.BackupAccount}): checked nowhere. */
    public BackupRequest(String rootDirectory,
                         String container,
                         String blobPrefix,
                         List<String> include,
                         List<String> exclude,
                         boolean dryRun,
                         boolean compareContent,
                         String report,
                         String run,
                         int codeVersion) {
        this(rootDirectory, container, blobPrefix, include, exclude, dryRun, compareContent, report, run,
                codeVersion, null, null);
    }

    @JsonCreator
    public BackupRequest(
            @RequestField(like = SharedRequestFields.class, required = true)
            @JsonProperty("rootDirectory") String rootDirectory,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("container") String container,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("blobPrefix") String blobPrefix,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("include") List<String> include,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("exclude") List<String> exclude,
            @RequestField(help = "change nothing: say what the run would do", options = {"--dry-run", "-n"})
            @JsonProperty("dryRun") boolean dryRun,
            @RequestField(like = SharedRequestFields.class) @JsonProperty("compareContent") boolean compareContent,
            @JsonProperty("report") String report,
            @JsonProperty("run") String run,
            @JsonProperty("codeVersion") int codeVersion,
            @JsonProperty("account") String account,
            @JsonProperty("instanceId") String instanceId) {
        this.rootDirectory = rootDirectory;
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.include = include == null ? List.of() : List.copyOf(include);
        this.exclude = exclude == null ? List.of() : List.copyOf(exclude);
        this.dryRun = dryRun;
        this.compareContent = compareContent;
        this.report = report;
        this.run = run;
        this.codeVersion = codeVersion;
        this.account = account;
        this.instanceId = instanceId;
    }

    /** A request for {@code rootDirectory} with every option at its default. */
    public static BackupRequest of(String rootDirectory) {
        return new BackupRequest(rootDirectory, null, null, null, null, false, false, null);
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

    /** When true, the backup plans and reports but uploads nothing. */
    public boolean isDryRun() {
        return dryRun;
    }

    /** When true, an existing blob counts as unchanged only if its MD5 equals the file's (not size and mtime). */
    public boolean isCompareContent() {
        return compareContent;
    }

    /** The run's problem report, set by the orchestrator; null in a request as a user sends it. */
    public String getReport() {
        return report;
    }

    /**
     * The run's snapshot id ({@link SnapshotIds}), set by the orchestrator for its listing; null in a request as a
     * user sends it.
     */
    public String getRun() {
        return run;
    }

    /** Whether the run writes a snapshot: it has a run id and a report, and is not a dry run. */
    public boolean takesSnapshot() {
        return run != null && report != null && !dryRun;
    }

    /** The code version the run was started with ({@link com.contoso.sitebackup.durable.CodeVersion}); 0 in a request as a user sends it. */
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

    /**
     * The orchestration running the request, set by the orchestrator for its listing (a run with nothing to copy is
     * sealed by the listing, and its snapshot names the orchestration); null in a request as a user sends it.
     */
    public String getInstanceId() {
        return instanceId;
    }

    /** This request stamped with the backup account it is for (null: checked nowhere). */
    public BackupRequest withAccount(String backupAccount) {
        return new BackupRequest(rootDirectory, container, blobPrefix, include, exclude, dryRun, compareContent,
                report, run, codeVersion, backupAccount, instanceId);
    }

    /** This request stamped with {@code version}, the code version it starts. */
    public BackupRequest withCodeVersion(int version) {
        return new BackupRequest(rootDirectory, container, blobPrefix, include, exclude, dryRun, compareContent, report,
                run, version, account, instanceId);
    }

    /** This request with the run's snapshot id. */
    public BackupRequest withRun(String runId) {
        return new BackupRequest(rootDirectory, container, blobPrefix, include, exclude, dryRun, compareContent, report,
                runId, codeVersion, account, instanceId);
    }

    /** This request with {@code root} as its directory (the starter stores the path it opened the root by). */
    public BackupRequest withRootDirectory(String root) {
        return new BackupRequest(root, container, blobPrefix, include, exclude, dryRun, compareContent, report, run,
                codeVersion, account, instanceId);
    }

    /** This request with the container and prefix filled in where they are missing. */
    public BackupRequest withDefaults(String defaultContainer) {
        return new BackupRequest(rootDirectory,
                container == null ? defaultContainer : container,
                blobPrefix == null ? BlobNames.defaultPrefix(rootDirectory) : blobPrefix,
                include, exclude, dryRun, compareContent, report, run, codeVersion, account, instanceId);
    }

    /** This request with the run's problem report. */
    public BackupRequest withReport(String runReport) {
        return new BackupRequest(rootDirectory, container, blobPrefix, include, exclude, dryRun, compareContent, runReport,
                run, codeVersion, account, instanceId);
    }

    /** This request with the orchestration that runs it. */
    public BackupRequest withInstanceId(String orchestration) {
        return new BackupRequest(rootDirectory, container, blobPrefix, include, exclude, dryRun, compareContent, report,
                run, codeVersion, account, orchestration);
    }

    /**
     * Checks everything that can be checked without I/O and returns the compiled filter; throws
     * IllegalArgumentException naming the field. The starter checks a request before it starts a run; the
     * listing activity checks it again, since Durable's own HTTP API can start a run with any input.
     *
     * @param manifestContainer the app's manifest container, never a backup's
     */
    public PathFilter validate(String manifestContainer) {
        if (rootDirectory == null || rootDirectory.isBlank()) {
            throw new IllegalArgumentException("rootDirectory is required and must not be blank");
        }
        BlobNames.checkContainer("container", container, manifestContainer);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        if (report != null) {
            ProblemReport.check(report);
        }
        if (run != null && !SnapshotIds.isId(run)) {
            throw new IllegalArgumentException("run '" + Printable.quote(run) + "' is not a snapshot id");
        }
        if (instanceId != null && (instanceId.isEmpty() || instanceId.length() > MAX_INSTANCE_ID)) {
            throw new IllegalArgumentException("instanceId must be 1 to " + MAX_INSTANCE_ID + " characters");
        }
        return PathFilter.of(getInclude(), getExclude());
    }

    @Override
    public String toString() {
        return "BackupRequest{rootDirectory=" + rootDirectory + ", container=" + container + ", blobPrefix="
                + blobPrefix + ", include=" + getInclude() + ", exclude=" + getExclude() + ", dryRun=" + dryRun
                + ", compareContent=" + compareContent + "}";
    }
}
