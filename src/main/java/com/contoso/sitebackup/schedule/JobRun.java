package com.contoso.sitebackup.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a scheduled job's run is, and at its end what it came to: the custom status and the output of
 * {@link RunJob}. {@code step} is BACKUP, VERIFY, then COMPLETED, or FAILED when a step could not run (the
 * backup's and the verify's own outcomes are in their statuses and completion events, under the instance
 * ids named here). {@code differences} counts the verify's differences once it has run, else -1.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class JobRun {
    /** The steps of a job's run. */
    public enum Step { BACKUP, VERIFY, COMPLETED, FAILED }

    private final String job;
    private final Step step;
    private final String backupInstance;
    private final long bytes;
    private final String verifyInstance;
    private final long differences;
    private final String error;

    @JsonCreator
    public JobRun(@JsonProperty("job") String job,
                  @JsonProperty("step") Step step,
                  @JsonProperty("backupInstance") String backupInstance,
                  @JsonProperty("bytes") long bytes,
                  @JsonProperty("verifyInstance") String verifyInstance,
                  @JsonProperty("differences") long differences,
                  @JsonProperty("error") String error) {
        this.job = job;
        this.step = step;
        this.backupInstance = backupInstance;
        this.bytes = bytes;
        this.verifyInstance = verifyInstance;
        this.differences = differences;
        this.error = error;
    }

    /** A run of {@code job} whose backup is instance {@code backupInstance}, under way. */
    static JobRun backingUp(String job, String backupInstance) {
        return new JobRun(job, Step.BACKUP, backupInstance, 0, null, -1, null);
    }

    /** This run with its backup done ({@code bytes} uploaded) and its verify, instance {@code verifyInstance}, under way. */
    JobRun verifying(long backupBytes, String instance) {
        return new JobRun(job, Step.VERIFY, backupInstance, backupBytes, instance, -1, null);
    }

    /** This run at its end, with the backup's {@code bytes} and the verify's {@code differenceCount} (or -1). */
    JobRun completed(long backupBytes, long differenceCount) {
        return new JobRun(job, Step.COMPLETED, backupInstance, backupBytes, verifyInstance, differenceCount, null);
    }

    /** This run stopped in its current step, and why. */
    JobRun failed(String why) {
        return new JobRun(job, Step.FAILED, backupInstance, bytes, verifyInstance, differences, why);
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

    /** Why a step could not run, or null. */
    public String getError() {
        return error;
    }
}
