package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.BlobNames;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to prune: the snapshots of the backup under {@code blobPrefix} in {@code container}, keeping what
 * {@link RetentionPolicy} keeps ({@code keepLast}, {@code keepDaily}, {@code keepWeekly}), and the content only
 * they reference. Pruning is refused when it would delete more than {@code maxDeleteShare} (default
 * {@value #DEFAULT_MAX_DELETE_SHARE}) of the bytes stored under the prefix, unless {@code force}; a
 * {@code dryRun} deletes nothing and lists what would go. The input of {@code ApplyRetention} and of
 * {@code PruneSnapshots}; {@code report} is set by the orchestrator. The constructor checks nothing (whatever
 * the worker binds reads back); {@link #validate} does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RetentionRequest {
    /** The share of the stored bytes a pruning may delete unless forced. */
    public static final double DEFAULT_MAX_DELETE_SHARE = 0.5;

    private final String container;
    private final String blobPrefix;
    private final int keepLast;
    private final int keepDaily;
    private final int keepWeekly;
    private final double maxDeleteShare;
    private final boolean force;
    private final boolean dryRun;
    private final String report;
    private final int codeVersion;

    /** A request as a user sends it (no code version yet). */
    public RetentionRequest(String container, String blobPrefix, int keepLast, int keepDaily, int keepWeekly,
                            Double maxDeleteShare, boolean force, boolean dryRun, String report) {
        this(container, blobPrefix, keepLast, keepDaily, keepWeekly, maxDeleteShare, force, dryRun, report, 0);
    }

    /** @param maxDeleteShare the share, or null for {@value #DEFAULT_MAX_DELETE_SHARE} */
    @JsonCreator
    public RetentionRequest(@JsonProperty("container") String container,
                            @JsonProperty("blobPrefix") String blobPrefix,
                            @JsonProperty("keepLast") int keepLast,
                            @JsonProperty("keepDaily") int keepDaily,
                            @JsonProperty("keepWeekly") int keepWeekly,
                            @JsonProperty("maxDeleteShare") Double maxDeleteShare,
                            @JsonProperty("force") boolean force,
                            @JsonProperty("dryRun") boolean dryRun,
                            @JsonProperty("report") String report,
                            @JsonProperty("codeVersion") int codeVersion) {
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.keepLast = keepLast;
        this.keepDaily = keepDaily;
        this.keepWeekly = keepWeekly;
        this.maxDeleteShare = maxDeleteShare == null ? DEFAULT_MAX_DELETE_SHARE : maxDeleteShare;
        this.force = force;
        this.dryRun = dryRun;
        this.report = report;
        this.codeVersion = codeVersion;
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

    /** The share of the stored bytes (bases and blob snapshots) this pruning may delete unless forced. */
    public double getMaxDeleteShare() {
        return maxDeleteShare;
    }

    public boolean isForce() {
        return force;
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
        return new RetentionRequest(container, blobPrefix, keepLast, keepDaily, keepWeekly, maxDeleteShare, force,
                dryRun, runReport, codeVersion);
    }

    /** The code version the run was started with; 0 in a request as a user sends it. */
    public int getCodeVersion() {
        return codeVersion;
    }

    /** This request stamped with {@code version}, the code version it starts. */
    public RetentionRequest withCodeVersion(int version) {
        return new RetentionRequest(container, blobPrefix, keepLast, keepDaily, keepWeekly, maxDeleteShare, force,
                dryRun, report, version);
    }

    /** The policy the keep counts make. */
    public RetentionPolicy policy() {
        return new RetentionPolicy(keepLast, keepDaily, keepWeekly);
    }

    /**
     * Checks what can be checked without I/O; throws IllegalArgumentException naming the field.
     *
     * @param manifestContainer the app's manifest container, never a backup's
     */
    public RetentionRequest validate(String manifestContainer) {
        BlobNames.checkContainer("container", container, manifestContainer);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        policy();
        if (!(maxDeleteShare > 0 && maxDeleteShare <= 1)) {
            throw new IllegalArgumentException("maxDeleteShare must be more than 0 and at most 1 (the share of the"
                    + " stored bytes a pruning may delete), not " + maxDeleteShare);
        }
        if (report != null) {
            ProblemReport.check(report);
        }
        return this;
    }

    @Override
    public String toString() {
        return "RetentionRequest{container=" + container + ", blobPrefix=" + blobPrefix + ", keepLast=" + keepLast
                + ", keepDaily=" + keepDaily + ", keepWeekly=" + keepWeekly + ", maxDeleteShare=" + maxDeleteShare
                + ", force=" + force + ", dryRun=" + dryRun + "}";
    }
}
