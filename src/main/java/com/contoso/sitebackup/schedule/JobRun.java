package com.contoso.sitebackup.schedule;

import com.contoso.sitebackup.retention.RetentionResult;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a scheduled job's run is, and at its end what it came to: the custom status and the output of
 * {@link RunJob}. {@code step} is BACKUP, VERIFY, RETENTION, then COMPLETED, or FAILED when a step could not
 * run or the retention was refused (the backup's, the verify's and the retention's own outcomes are in their
 * statuses, under the instance ids named here). {@code differences} counts the verify's differences once it has
 * run, else -1. Once the retention has returned, {@code retentionPhase} is its phase and {@code expiredCount},
 * {@code snapshotsDeleted} and {@code blobsDeleted} its counts as its result gives them (for a dry run or a
 * refusal: what would have gone); they are -1 until then.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class JobRun {
    /** The steps of a job's run. */
    public enum Step { BACKUP, VERIFY, RETENTION, COMPLETED, FAILED }

    private final String job;
    private final Step step;
    private final String backupInstance;
    private final long bytes;
    private final String verifyInstance;
    private final long differences;
    private final String retentionInstance;
    private final RetentionResult.Phase retentionPhase;
    private final long expiredCount;
    private final long snapshotsDeleted;
    private final long blobsDeleted;
    private final String error;

    @JsonCreator
    public JobRun(@JsonProperty("job") String job,
                  @JsonProperty("step") Step step,
                  @JsonProperty("backupInstance") String backupInstance,
                  @JsonProperty("bytes") long bytes,
                  @JsonProperty("verifyInstance") String verifyInstance,
                  @JsonProperty("differences") long differences,
                  @JsonProperty("retentionInstance") String retentionInstance,
                  @JsonProperty("retentionPhase") RetentionResult.Phase retentionPhase,
                  @JsonProperty("expiredCount") long expiredCount,
                  @JsonProperty("snapshotsDeleted") long snapshotsDeleted,
                  @JsonProperty("blobsDeleted") long blobsDeleted,
                  @JsonProperty("error") String error) {
        this.job = job;
        this.step = step;
        this.backupInstance = backupInstance;
        this.bytes = bytes;
        this.verifyInstance = verifyInstance;
        this.differences = differences;
        this.retentionInstance = retentionInstance;
        this.retentionPhase = retentionPhase;
        this.expiredCount = expiredCount;
        this.snapshotsDeleted = snapshotsDeleted;
        this.blobsDeleted = blobsDeleted;
        this.error = error;
    }

    /** A run that could not start, and why. */
    static JobRun rejected(String why) {
        return new JobRun(null, Step.FAILED, null, 0, null, -1, null, null, -1, -1, -1, why);
    }

    /** A run of {@code job} whose backup is instance {@code backupInstance}, under way. */
    static JobRun backingUp(String job, String backupInstance) {
        return new JobRun(job, Step.BACKUP, backupInstance, 0, null, -1, null, null, -1, -1, -1, null);
    }

    /** This run with its backup done ({@code bytes} uploaded) and its verify, instance {@code verifyInstance}, under way. */
    JobRun verifying(long backupBytes, String instance) {
        return new JobRun(job, Step.VERIFY, backupInstance, backupBytes, instance, -1, null, null, -1, -1, -1, null);
    }

    /**
     * This run with its backup ({@code bytes} uploaded) and its verify ({@code differenceCount}, or -1) done, and
     * its retention, instance {@code instance}, under way.
     */
    JobRun pruning(long backupBytes, long differenceCount, String instance) {
        return new JobRun(job, Step.RETENTION, backupInstance, backupBytes, verifyInstance, differenceCount, instance,
                null, -1, -1, -1, null);
    }

    /** This run at its end, with the backup's {@code bytes} and the verify's {@code differenceCount} (or -1). */
    JobRun completed(long backupBytes, long differenceCount) {
        return new JobRun(job, Step.COMPLETED, backupInstance, backupBytes, verifyInstance, differenceCount, null, null,
                -1, -1, -1, null);
    }

    /** This run at its end with the retention's {@code result}: its phase and counts (see {@link #failed} for a refusal). */
    JobRun pruned(RetentionResult result) {
        return new JobRun(job, Step.COMPLETED, backupInstance, bytes, verifyInstance, differences, retentionInstance,
                result.getPhase(), result.getExpiredCount(), result.getSnapshotsDeleted(), result.getBlobsDeleted(),
                null);
    }

    /** This run stopped in its current step, and why. */
    JobRun failed(String why) {
        return new JobRun(job, Step.FAILED, backupInstance, bytes, verifyInstance, differences, retentionInstance,
                retentionPhase, expiredCount, snapshotsDeleted, blobsDeleted, why);
    }

    public String getJob() {
        return job;
    }

    public Step getStep() {
        return step;
    }

    /** The backup's instance id, {@code job-<name>:<t>:backup}. */
    public String getBackupInstance() {
        return backupInstance;
    }

    /** The bytes the backup uploaded. */
    public long getBytes() {
        return bytes;
    }

    /** The verify's instance id, {@code job-<name>:<t>:verify}, or null when the job has no verify or it has not started. */
    public String getVerifyInstance() {
        return verifyInstance;
    }

    /** The verify's differences (missing, extra, different), or -1 when no verify ran. */
    public long getDifferences() {
        return differences;
    }

    /**
     * The retention's instance id, {@code job-<name>:<t>:retention}, or null when the job has no retention or it
     * has not started.
     */
    public String getRetentionInstance() {
        return retentionInstance;
    }

    /** The phase the retention ended in (COMPLETED, DRY_RUN_COMPLETED, REFUSED, FAILED), or null before it returned. */
    public RetentionResult.Phase getRetentionPhase() {
        return retentionPhase;
    }

    /** The backup snapshots the retention expired (or would have), or -1 before it returned. */
    public long getExpiredCount() {
        return expiredCount;
    }

    /** The blob snapshots the retention deleted (or would have), or -1 before it returned. */
    public long getSnapshotsDeleted() {
        return snapshotsDeleted;
    }

    /** The base blobs the retention deleted (or would have), or -1 before it returned. */
    public long getBlobsDeleted() {
        return blobsDeleted;
    }

    /** Why a step could not run or the retention was refused, or null. */
    public String getError() {
        return error;
    }
}
