package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.verify.VerifyRequest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduled job, checked: its name, its backup request as the starter completes it (canonical root,
 * container and prefix filled in), the verify that runs after it, or null, and the retention that prunes the
 * backup's snapshots last, or null. Built by {@link JobRequests}; also the input of the orchestrator that runs
 * the job (the SDK writes it with Jackson).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class JobRequest {
    private final String name;
    private final BackupRequest backup;
    private final VerifyRequest verify;
    private final RetentionRequest retention;
    private final int codeVersion;

    /** A job's run as this code starts it. */
    public JobRequest(String name, BackupRequest backup, VerifyRequest verify, RetentionRequest retention) {
        this(name, backup, verify, retention, com.contoso.sitebackup.durable.CodeVersion.CURRENT);
    }

    @JsonCreator
    public JobRequest(@JsonProperty("name") String name,
                      @JsonProperty("backup") BackupRequest backup,
                      @JsonProperty("verify") VerifyRequest verify,
                      @JsonProperty("retention") RetentionRequest retention,
                      @JsonProperty("codeVersion") int codeVersion) {
        this.name = name;
        this.codeVersion = codeVersion;
        this.backup = backup;
        this.verify = verify;
        this.retention = retention;
    }

    /** The code version the job's run was started with ({@link com.contoso.sitebackup.durable.CodeVersion}). */
    public int getCodeVersion() {
        return codeVersion;
    }

    public String getName() {
        return name;
    }

    public BackupRequest getBackup() {
        return backup;
    }

    /** The verify to run once the backup has completed, or null for none. */
    public VerifyRequest getVerify() {
        return verify;
    }

    /** The retention to apply to the backup's container and prefix once the backup (and verify) has run, or null. */
    public RetentionRequest getRetention() {
        return retention;
    }

    /** The job's fixed instance id, {@code job-<name>}. */
    @JsonIgnore
    public String instanceId() {
        return InstanceIds.job(name);
    }

    /**
     * The instances started over HTTP that work on this job's target, which must have finished before the
     * job starts: the backup of its container and prefix, with a verify after it the verify of them, and with a
     * retention the pruning of them (two prunings of one prefix would each count the other's deletions).
     */
    @JsonIgnore
    public List<String> targetIds() {
        List<String> ids = new ArrayList<>();
        ids.add(InstanceIds.backup(backup.getContainer(), backup.getBlobPrefix()));
        if (verify != null) {
            ids.add(InstanceIds.verify(verify.getContainer(), verify.getBlobPrefix()));
        }
        if (retention != null) {
            ids.add(InstanceIds.retention(retention.getContainer(), retention.getBlobPrefix()));
        }
        return ids;
    }

    /**
     * True when a run started over HTTP with {@code input} works on this job's target and must wait for the
     * job: a backup to the same container and prefix, a verify of them if the job verifies, a pruning of them
     * if the job prunes.
     */
    public boolean sharesTargetWith(Object input) {
        if (input instanceof BackupRequest other) {
            return backup.getContainer().equals(other.getContainer()) && backup.getBlobPrefix().equals(other.getBlobPrefix());
        }
        if (input instanceof VerifyRequest other) {
            return verify != null && verify.getContainer().equals(other.getContainer())
                    && verify.getBlobPrefix().equals(other.getBlobPrefix());
        }
        if (input instanceof RetentionRequest other) {
            // Any pruning of the job's backup: the job's backup is running or about to, and its own pruning too.
            return backup.getContainer().equals(other.getContainer()) && backup.getBlobPrefix().equals(other.getBlobPrefix());
        }
        return false;
    }

    @Override
    public String toString() {
        return "JobRequest{name=" + name + ", backup=" + backup + ", verifyAfter=" + (verify != null)
                + ", retention=" + retention + "}";
    }
}
