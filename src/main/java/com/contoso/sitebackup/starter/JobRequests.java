package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.RequestSchema;
import com.contoso.sitebackup.durable.Wire;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.config.JobSetting;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.retention.ApplyRetention;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.snapshot.BackupRegistry;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks the scheduled jobs of {@value Settings#BACKUP_JOBS} by the starter's own rules: each job's backup
 * body goes through {@link StartRequestHandler#decide} as a POST to {@code BackupSiteContent} would (the root
 * must exist under a read root, the container, prefix and patterns must be valid), and the verify after it,
 * when asked for, is the verify body of the same directory, container, prefix and patterns, checked the same
 * way; the retention, when the job has one, is the job's retention fields with the backup's container and
 * prefix, checked as a POST to {@code ApplyRetention}. A job the starter would answer with a 4xx is refused
 * here, naming the setting and the job.
 */
public final class JobRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEDIA_TYPE = "application/json";

    private final StartRequestHandler handler;

    public JobRequests(StartRequestHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Every job, checked and completed; IllegalArgumentException naming the setting and the first bad job. Two jobs
     * whose backups nest (one's prefix inside the other's, in the same container) are refused too, naming both,
     * before either has run and registered its backup.
     */
    public List<JobRequest> check(List<JobSetting> jobs) {
        List<JobRequest> checked = new ArrayList<>();
        for (JobSetting job : jobs) {
            JobRequest request = check(job);
            BackupRequest backup = request.getBackup();
            for (JobRequest earlier : checked) {
                BackupRequest other = earlier.getBackup();
                if (other.getContainer().equals(backup.getContainer())
                        && !other.getBlobPrefix().equals(backup.getBlobPrefix())
                        && BlobNames.overlap(other.getBlobPrefix(), backup.getBlobPrefix())) {
                    throw refused(job, BackupRegistry.conflict("the backup's blobPrefix", backup.getContainer(),
                            backup.getBlobPrefix(), other.getBlobPrefix()).getMessage() + " (job '" + earlier.getName()
                            + "')");
                }
            }
            checked.add(request);
        }
        return List.copyOf(checked);
    }

    private JobRequest check(JobSetting job) {
        BackupRequest backup = (BackupRequest) accepted(job, BackupSiteContent.NAME, job.backupBody(), "");
        return new JobRequest(job.name(), backup, job.verifyAfter() ? verify(job, backup) : null,
                job.retentionBody() == null ? null : retention(job, backup), CodeVersion.CURRENT);
    }

    private VerifyRequest verify(JobSetting job, BackupRequest backup) {
        if (backup.isDryRun()) {
            throw refused(job, "\"verifyAfter\" needs a backup that writes, and this one is a dry run");
        }
        // The verify of what the backup wrote: every user field the two requests share, as the backup has it.
        JsonNode written = Wire.tree(backup);
        List<String> verifyFields = RequestSchema.names(VerifyRequest.class);
        ObjectNode verify = JSON.createObjectNode();
        for (String name : RequestSchema.names(BackupRequest.class)) {
            if (verifyFields.contains(name) && written.has(name)) {
                verify.set(name, written.get(name));
            }
        }
        return (VerifyRequest) accepted(job, VerifyBackup.NAME, verify.toString(), "");
    }

    private RetentionRequest retention(JobSetting job, BackupRequest backup) {
        if (backup.isDryRun()) {
            throw refused(job, "\"retention\" needs a backup that writes, and this one is a dry run");
        }
        ObjectNode retention;
        try {
            retention = JSON.readValue(job.retentionBody(), ObjectNode.class);
        } catch (JsonProcessingException e) {
            throw refused(job, "\"retention\" must be a JSON object: " + e.getOriginalMessage());
        }
        // Settings refuses a job's own container and prefix; these are the ones the backup writes.
        retention.put("container", backup.getContainer()).put("blobPrefix", backup.getBlobPrefix());
        return (RetentionRequest) accepted(job, ApplyRetention.NAME, retention.toString(), "\"retention\": ");
    }

    /** The starter's input for {@code body}, or its refusal naming the job, after {@code field} (the job's field, or ""). */
    private Object accepted(JobSetting job, String orchestrator, String body, String field) {
        StartDecision decision = handler.decide(orchestrator, MEDIA_TYPE, body);
        if (!decision.isAccepted()) {
            throw refused(job, field + decision.message());
        }
        return decision.input();
    }

    private static IllegalArgumentException refused(JobSetting job, String why) {
        return new IllegalArgumentException("app setting " + Settings.BACKUP_JOBS + ": job '" + job.name() + "': " + why);
    }
}
