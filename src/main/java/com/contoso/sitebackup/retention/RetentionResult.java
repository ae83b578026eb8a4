package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a pruning came to: the orchestrator's output and, while it runs and once it ends, its custom status.
 * <ul>
 *   <li>{@code phase}: PRUNING, then COMPLETED, DRY_RUN_COMPLETED (nothing deleted), REFUSED (nothing deleted:
 *       more than {@code maxDeleteShare}, the operator's ceiling, of {@code bytesStored} would go, {@code share}
 *       says how much; or the prefix overlaps another backup's, {@code message} names it) or FAILED
 *       ({@code message} says why);</li>
 *   <li>{@code kept}, {@code expired}: the snapshot ids, oldest first ({@code keptCount}, {@code expiredCount}:
 *       how many; the status lists at most {@value #MAX_LISTED_IDS} of each);</li>
 *   <li>blob snapshots and base blobs deleted, with their bytes (for a dry run or a refusal: that would be);
 *       {@code skipped}: content not deleted because it changed after it was listed (a backup took it up);</li>
 *   <li>{@code deleted}: the first {@value #MAX_LISTED} of them named, each a blob name and what was deleted of
 *       it; {@code report}: the blob (in the manifest container) that names every one.</li>
 * </ul>
 * The constructor checks nothing, so whatever the activity returns reads back.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RetentionResult {
    /** How many deletions the result names. */
    public static final int MAX_LISTED = 25;
    /** How many kept and expired ids the custom status lists (it must stay below 16 KB). */
    public static final int MAX_LISTED_IDS = 100;

    /** Where a pruning is: running, or how it ended. */
    public enum Phase { PRUNING, COMPLETED, DRY_RUN_COMPLETED, REFUSED, FAILED }

    private final Phase phase;
    private final String container;
    private final String blobPrefix;
    private final List<String> kept;
    private final long keptCount;
    private final List<String> expired;
    private final long expiredCount;
    private final long snapshotsDeleted;
    private final long snapshotBytesDeleted;
    private final long blobsDeleted;
    private final long blobBytesDeleted;
    private final long skipped;
    private final long bytesStored;
    private final double share;
    private final double maxDeleteShare;
    private final List<FileProblem> deleted;
    private final String report;
    private final String message;

    @JsonCreator
    public RetentionResult(@JsonProperty("phase") Phase phase,
                           @JsonProperty("container") String container,
                           @JsonProperty("blobPrefix") String blobPrefix,
                           @JsonProperty("kept") List<String> kept,
                           @JsonProperty("keptCount") long keptCount,
                           @JsonProperty("expired") List<String> expired,
                           @JsonProperty("expiredCount") long expiredCount,
                           @JsonProperty("snapshotsDeleted") long snapshotsDeleted,
                           @JsonProperty("snapshotBytesDeleted") long snapshotBytesDeleted,
                           @JsonProperty("blobsDeleted") long blobsDeleted,
                           @JsonProperty("blobBytesDeleted") long blobBytesDeleted,
                           @JsonProperty("skipped") long skipped,
                           @JsonProperty("bytesStored") long bytesStored,
                           @JsonProperty("share") double share,
                           @JsonProperty("maxDeleteShare") double maxDeleteShare,
                           @JsonProperty("deleted") List<FileProblem> deleted,
                           @JsonProperty("report") String report,
                           @JsonProperty("message") String message) {
        this.phase = phase;
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.kept = kept == null ? List.of() : newest(kept);
        this.keptCount = keptCount;
        this.expired = expired == null ? List.of() : newest(expired);
        this.expiredCount = expiredCount;
        this.snapshotsDeleted = snapshotsDeleted;
        this.snapshotBytesDeleted = snapshotBytesDeleted;
        this.blobsDeleted = blobsDeleted;
        this.blobBytesDeleted = blobBytesDeleted;
        this.skipped = skipped;
        this.bytesStored = bytesStored;
        this.share = share;
        this.maxDeleteShare = maxDeleteShare;
        this.deleted = deleted == null ? List.of()
                : deleted.stream().filter(d -> d != null).limit(MAX_LISTED).map(FileProblem::clipped).toList();
        this.report = report;
        this.message = message;
    }

    /** The status while {@code request} is being pruned. */
    public static RetentionResult pruning(RetentionRequest request, String report) {
        return new RetentionResult(Phase.PRUNING, request.getContainer(), request.getBlobPrefix(), null, 0, null, 0, 0,
                0, 0, 0, 0, 0, 0, 0, null, report, null);
    }

    /** A pruning that could not run, and why; {@code request} may be null. */
    public static RetentionResult failed(RetentionRequest request, String reason, String report) {
        return new RetentionResult(Phase.FAILED, request == null ? null : request.getContainer(),
                request == null ? null : request.getBlobPrefix(), null, 0, null, 0, 0, 0, 0, 0, 0, 0, 0,
                0, null, report, "Retention failed: " + reason);
    }

    /** This result as a custom status: at most {@value #MAX_LISTED_IDS} kept and expired ids (the newest). */
    public RetentionResult forStatus() {
        return new RetentionResult(phase, container, blobPrefix, newest(kept), keptCount, newest(expired),
                expiredCount, snapshotsDeleted, snapshotBytesDeleted, blobsDeleted, blobBytesDeleted, skipped,
                bytesStored, share, maxDeleteShare, deleted, report, message);
    }

    private static List<String> newest(List<String> ids) {
        return ids.size() <= MAX_LISTED_IDS ? ids : List.copyOf(ids.subList(ids.size() - MAX_LISTED_IDS, ids.size()));
    }

    /** One line for the log. */
    public String summary() {
        return phase + ": kept " + keptCount + " snapshots, expired " + expiredCount + "; blob snapshots "
                + snapshotsDeleted + " (" + snapshotBytesDeleted + " bytes), blobs " + blobsDeleted + " ("
                + blobBytesDeleted + " bytes), skipped " + skipped + ", share " + share + " of " + bytesStored
                + " bytes (limit " + maxDeleteShare + ")" + (message == null ? "" : "; " + message);
    }

    public Phase getPhase() {
        return phase;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobPrefix() {
        return blobPrefix;
    }

    /** The snapshot ids kept, oldest first (in the custom status, the newest {@value #MAX_LISTED_IDS}). */
    public List<String> getKept() {
        return kept;
    }

    public long getKeptCount() {
        return keptCount;
    }

    /** The snapshot ids expired, oldest first (in the custom status, the newest {@value #MAX_LISTED_IDS}). */
    public List<String> getExpired() {
        return expired;
    }

    public long getExpiredCount() {
        return expiredCount;
    }

    /** Blob snapshots deleted (or that would be). */
    public long getSnapshotsDeleted() {
        return snapshotsDeleted;
    }

    public long getSnapshotBytesDeleted() {
        return snapshotBytesDeleted;
    }

    /** Base blobs deleted (or that would be). */
    public long getBlobsDeleted() {
        return blobsDeleted;
    }

    public long getBlobBytesDeleted() {
        return blobBytesDeleted;
    }

    /** Content planned for deletion but left, because it changed (or gained a blob snapshot) after it was listed. */
    public long getSkipped() {
        return skipped;
    }

    /** The bytes of this backup's base blobs and blob snapshots (those tagged with its identity) when listed. */
    public long getBytesStored() {
        return bytesStored;
    }

    /** The share of {@link #getBytesStored} the pruning deletes (or would). */
    public double getShare() {
        return share;
    }

    /** The ceiling applied (the app setting BACKUP_RETENTION_MAX_DELETE_SHARE); 0 before the pruning read it. */
    public double getMaxDeleteShare() {
        return maxDeleteShare;
    }

    /** The first deletions: the blob's name as path, what of it (a snapshot, the blob) as reason. */
    public List<FileProblem> getDeleted() {
        return deleted;
    }

    /** The blob naming every deletion, one JSON object a line; null when none was written. */
    public String getReport() {
        return report;
    }

    /** Why the pruning was refused or failed, or null. */
    public String getMessage() {
        return message;
    }
}
