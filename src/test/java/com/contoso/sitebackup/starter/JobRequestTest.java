package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.testing.Replay;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRequestTest {
    private static final BackupRequest BACKUP = new BackupRequest("/mounts/site", "backups", "site", List.of("*.html"),
            List.of(), false, true, null);
    private static final VerifyRequest VERIFY = new VerifyRequest("/mounts/site", "backups", "site", List.of("*.html"),
            List.of(), true, null);
    private static final RetentionRequest RETENTION = new RetentionRequest("backups", "site", 7, 14, 8, false,
            null);

    @Test
    void targetIds_withVerify_theBackupsAndTheVerifysIds() {
        assertEquals(List.of(InstanceIds.backup("backups", "site"), InstanceIds.verify("backups", "site")),
                new JobRequest("j", BACKUP, VERIFY, null).targetIds());
        assertEquals(List.of(InstanceIds.backup("backups", "site")), new JobRequest("j", BACKUP, null, null).targetIds());
    }

    @Test
    void targetIds_withRetention_alsoThePruningsId() {
        assertEquals(List.of(InstanceIds.backup("backups", "site"), InstanceIds.retention("backups", "site")),
                new JobRequest("j", BACKUP, null, RETENTION).targetIds());
    }

    @Test
    void sharesTargetWith_retention_whenTheJobBacksUpOrPrunesTheSameContainerAndPrefix() {
        RetentionRequest pruning = new RetentionRequest("backups", "site", 1, 0, 0, false, null);
        assertTrue(new JobRequest("j", BACKUP, null, RETENTION).sharesTargetWith(pruning));
        assertTrue(new JobRequest("j", BACKUP, VERIFY, null).sharesTargetWith(pruning),
                "a pruning never runs beside a backup of its prefix: it could delete a version the backup names");
        assertFalse(new JobRequest("j", BACKUP, null, RETENTION).sharesTargetWith(
                new RetentionRequest("backups", "site2", 1, 0, 0, false, null)));
        assertFalse(new JobRequest("j", BACKUP, null, RETENTION).sharesTargetWith(
                new RetentionRequest("other", "site", 1, 0, 0, false, null)));
    }

    @Test
    void sharesTargetWith_sameContainerAndPrefix_trueWhateverTheDirectory() {
        JobRequest job = new JobRequest("j", BACKUP, null, null);
        assertTrue(job.sharesTargetWith(new BackupRequest("/elsewhere", "backups", "site", null, null, false, false, null)));
        assertFalse(job.sharesTargetWith(new BackupRequest("/mounts/site", "backups", "site2", null, null, false, false, null)));
        assertFalse(job.sharesTargetWith(new BackupRequest("/mounts/site", "other", "site", null, null, false, false, null)));
    }

    @Test
    void sharesTargetWith_verify_onlyWhenTheJobVerifies() {
        VerifyRequest verify = new VerifyRequest("/x", "backups", "site", null, null, false, null);
        assertTrue(new JobRequest("j", BACKUP, VERIFY, null).sharesTargetWith(verify));
        assertFalse(new JobRequest("j", BACKUP, null, null).sharesTargetWith(verify));
        assertFalse(new JobRequest("j", BACKUP, VERIFY, null).sharesTargetWith(new RestoreRequest("backups", "site", "/r", false, null)));
    }

    @Test
    void json_sdkAndWorkerConverters_roundTripEveryField() {
        JobRequest job = new JobRequest("nightly", BACKUP, VERIFY, RETENTION);
        String jackson = Replay.JSON.serialize(job);
        assertFalse(jackson.contains("instanceId") || jackson.contains("targetIds"), "derived values are not written: " + jackson);

        for (JobRequest read : List.of(Replay.JSON.deserialize(jackson, JobRequest.class),
                new Gson().fromJson(new Gson().toJson(job), JobRequest.class),
                Replay.JSON.deserialize(new Gson().toJson(job), JobRequest.class))) {
            assertEquals("nightly", read.getName());
            assertEquals(BACKUP.toString(), read.getBackup().toString());
            assertEquals(List.of("*.html"), read.getVerify().getInclude());
            assertTrue(read.getVerify().isCompareContent());
            assertEquals(RETENTION.toString(), read.getRetention().toString());
        }
        JobRequest backupOnly = Replay.JSON.deserialize(Replay.JSON.serialize(new JobRequest("n", BACKUP, null, null)),
                JobRequest.class);
        assertNull(backupOnly.getVerify());
        assertNull(backupOnly.getRetention());
    }
}
