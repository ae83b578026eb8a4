package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.config.Settings;

import com.contoso.sitebackup.durable.RequestField;
import com.contoso.sitebackup.durable.SharedRequestFields;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to prune: the snapshots of the backup under {@code blobPrefix} in {@code container}, keeping what
 * {@link RetentionPolicy} keeps ({@code keepLast}, {@code keepDaily}, {@code keepWeekly}), and the content of that
 * backup only they reference. A {@code dryRun} deletes nothing and lists what would go. The input of
 * {@code ApplyRetention} and of {@code PruneSnapshots}; {@code report} is set by the orchestrator. The constructor
 * checks nothing (whatever the wire reads back); {@link #validate} does.
 *
 * <p>How much one run may delete is not the caller's to say: the ceiling is the operator's app setting
 * {@value Settings#BACKUP_RETENTION_MAX_DELETE_SHARE}. A request that still sends {@code maxDeleteShare} or {@code force} is
 * refused naming it ({@link #retiredField}); the wire refuses any unknown field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RetentionRequest {
    private final String container;
    private final String blobPrefix;
    private final int keepLast;
    private final int keepDaily;
    private final int keepWeekly;
    private final boolean dryRun;
    private final String report;
    private final int codeVersion;
    private final String account;

    /** A request as a user sends it (no code version yet). */
    public RetentionRequest(String container, String blobPrefix, int keepLast, int keepDaily, int keepWeekly,
                            boolean dryRun, String report) {
        this(container, blobPrefix, keepLast, keepDaily, keepWeekly, dryRun, report, 0);
    }

    /** Without a backup account ({@link com.contoso.sitebackup.config.BackupAccount}): checked nowhere. */
    public RetentionRequest(String container,
                            String blobPrefix,
                            int keepLast,
                            int keepDaily,
                            int keepWeekly,
                            boolean dryRun,
                            String report,
                            int codeVersion) {
        this(container, blobPrefix, keepLast, keepDaily, keepWeekly, dryRun, report, codeVersion, null);
    }

    @JsonCreator
    public RetentionRequest(
            @RequestField(like = SharedRequestFields.class) @JsonProperty("container") String container,
            @RequestField(like = SharedRequestFields.class, required = true) @JsonProperty("blobPrefix") String blobPrefix,
            @RequestField(help = "keep the last N snapshots")
            @JsonProperty("keepLast") int keepLast,
            @RequestField(help = "keep the last snapshot of each of the last N days")
            @JsonProperty("keepDaily") int keepDaily,
            @RequestField(help = "keep the last snapshot of each of the last N weeks")
            @JsonProperty("keepWeekly") int keepWeekly,
            @RequestField(help = "change nothing: say what the run would do", options = {"--dry-run", "-n"})
            @JsonProperty("dryRun") boolean dryRun,
            @JsonProperty("report") String report,
            @JsonProperty("codeVersion") int codeVersion,
            @JsonProperty("account") String account) {
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.keepLast = keepLast;
        this.keepDaily = keepDaily;
        this.keepWeekly = keepWeekly;
        this.dryRun = dryRun;
        this.report = report;
        this.codeVersion = codeVersion;
        this.account = account;
    }

    /**
     * Why {@code field} is refused in a retention body when it is one this request no longer takes
     * ({@code maxDeleteShare}, {@code force}); null for any other field.
     */
    public static String retiredField(String field) {
        if ("maxDeleteShare".equals(field) || "force".equals(field)) {
            return "'" + field + "' is no longer a retention field: how much of a backup one retention run may delete"
                    + " is the operator's app setting " + Settings.BACKUP_RETENTION_MAX_DELETE_SHARE + " (default "
                    + Settings.DEFAULT_RETENTION_MAX_DELETE_SHARE + "), and a run above"
                    + " it deletes nothing; remove '" + field + "' from the request";
        }
        return null;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobPrefix() {
        return blobPrefix;
    }

    public int getKeepLast() {
        return keepLast;
    }

    public int getKeepDaily() {
        return keepDaily;
    }

    public int getKeepWeekly() {
        return keepWeekly;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    /** The run's report (what is deleted, or would be), set by the orchestrator; null as a user sends it. */
    public String getReport() {
        return report;
    }

    /** This request with the run's report. */
    public RetentionRequest withReport(String runReport) {
        return new RetentionRequest(container, blobPrefix, keepLast, keepDaily, keepWeekly, dryRun, runReport,
                codeVersion, account);
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

    /** This request with {@code defaultContainer} where it names no container. */
    public RetentionRequest withDefaultContainer(String defaultContainer) {
        return container != null ? this : new RetentionRequest(defaultContainer, blobPrefix, keepLast, keepDaily,
                keepWeekly, dryRun, report, codeVersion, account);
    }

    /** This request stamped with the backup account it is for (null: checked nowhere). */
    public RetentionRequest withAccount(String backupAccount) {
        return new RetentionRequest(container, blobPrefix, keepLast, keepDaily, keepWeekly, dryRun, report,
                codeVersion, backupAccount);
    }

    /** This request stamped with {@code version}, the code version it starts. */
    public RetentionRequest withCodeVersion(int version) {
        return new RetentionRequest(container, blobPrefix, keepLast, keepDaily, keepWeekly, dryRun, report, version,
                account);
    }

    /** The policy the keep counts make. */
    public RetentionPolicy policy() {
        return new RetentionPolicy(keepLast, keepDaily, keepWeekly);
    }

    /**
     * Checks what can be checked without I/O; throws IllegalArgumentException naming the field. An empty
     * {@code blobPrefix} is refused ({@link BlobNames#checkPrefix}).
     *
     * @param manifestContainer the app's manifest container, never a backup's
     */
    public RetentionRequest validate(String manifestContainer) {
        BlobNames.checkContainer("container", container, manifestContainer);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        policy();
        if (report != null) {
            ProblemReport.check(report);
        }
        return this;
    }

    @Override
    public String toString() {
        return "RetentionRequest{container=" + container + ", blobPrefix=" + blobPrefix + ", keepLast=" + keepLast
                + ", keepDaily=" + keepDaily + ", keepWeekly=" + keepWeekly + ", dryRun=" + dryRun + "}";
    }
}
