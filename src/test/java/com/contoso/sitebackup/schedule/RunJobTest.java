package com.contoso.sitebackup.schedule;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.retention.ApplyRetention;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.retention.RetentionResult;
import com.contoso.sitebackup.starter.JobRequest;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Replay;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;
import static com.contoso.sitebackup.testing.Replay.inputOf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.NullNode;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of a scheduled job's run through the SDK's replay engine. */
class RunJobTest {
    private static final BackupRequest BACKUP = BackupRequest.of("/mounts/site").withDefaults("backups");
    private static final VerifyRequest VERIFY = new VerifyRequest("/mounts/site", "backups", "mounts/site", null, null,
            false, null);
    private static final RetentionRequest RETENTION = new RetentionRequest("backups", "mounts/site", 7, 14, 8,
            false, null);
    private static final String CHILDREN = "job-nightly:" + Replay.START.toEpochMilli();

    private final RecordingContext context = new RecordingContext(RunJob.NAME);
    private final Replay replay = new Replay(RunJob.NAME, "job-nightly",
            (OrchestratorFunction<JobRun>) ctx -> new RunJob().run(ctx, context));

    private static JobRun result(CompleteOrchestrationAction done) {
        return Replay.JSON.deserialize(done.getResult().getValue(), JobRun.class);
    }

    /** What ApplyRetention returns: {@code phase}, the counts and {@code message}, the rest as a pruning fills it. */
    private static RetentionResult pruning(RetentionResult.Phase phase, long expired, long snapshots, long blobs,
                                           String message) {
        return new RetentionResult(phase, "backups", "mounts/site", List.of("k1"), 1, List.of("e1"), expired, snapshots,
                100, blobs, 10, 0, 1_000, 0.11, 0.5, List.of(), "reports/r.jsonl", message);
    }

    /** Starts a job with a retention and no verify; returns the retention's creation once the backup has returned. */
    private OrchestratorAction retentionAfterBackup(long bytes) {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, null, RETENTION)).getActions(0);
        List<OrchestratorAction> next = replay.episode(replay.subOrchestrationCompleted(backup, bytes)).getActionsList();
        assertEquals(1, next.size(), next.toString());
        return next.get(0);
    }

    private static CompleteOrchestrationAction completion(OrchestratorResponse response) {
        assertEquals(1, response.getActionsCount(), response.getActionsList().toString());
        assertTrue(response.getActions(0).hasCompleteOrchestration(), response.toString());
        return response.getActions(0).getCompleteOrchestration();
    }

    @Test
    void run_noVerify_backupAsSubOrchestrationWithARunUniqueIdThenCompleted() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, null, null)).getActions(0);

        assertEquals(BackupSiteContent.NAME, backup.getCreateSubOrchestration().getName());
        assertEquals(CHILDREN + ":backup", backup.getCreateSubOrchestration().getInstanceId());
        assertEquals(BACKUP.getBlobPrefix(), inputOf(backup, BackupRequest.class).getBlobPrefix());
        assertEquals(JobRun.Step.BACKUP, replay.lastStatus(JobRun.class).getStep());

        JobRun done = result(completion(replay.episode(replay.subOrchestrationCompleted(backup, 4_096L))));

        assertEquals(JobRun.Step.COMPLETED, done.getStep());
        assertEquals("nightly", done.getJob());
        assertEquals(CHILDREN + ":backup", done.getBackupInstance());
        assertEquals(4_096, done.getBytes());
        assertNull(done.getVerifyInstance());
        assertEquals(-1, done.getDifferences());
        assertEquals(JobRun.Step.COMPLETED, replay.lastStatus(JobRun.class).getStep());
    }

    @Test
    void run_verifyAfter_verifyOfTheSameTargetAfterTheBackup() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, VERIFY, null)).getActions(0);
        List<OrchestratorAction> next = replay.episode(replay.subOrchestrationCompleted(backup, 10L)).getActionsList();

        assertEquals(1, next.size(), "the verify starts once the backup has returned, not beside it");
        OrchestratorAction verify = next.get(0);
        assertEquals(VerifyBackup.NAME, verify.getCreateSubOrchestration().getName());
        assertEquals(CHILDREN + ":verify", verify.getCreateSubOrchestration().getInstanceId());
        assertEquals("mounts/site", inputOf(verify, VerifyRequest.class).getBlobPrefix());
        assertEquals(JobRun.Step.VERIFY, replay.lastStatus(JobRun.class).getStep());

        VerifyReport report = VerifyReport.of(5, List.of("new.txt"), List.of(), List.of(new FileProblem("a", "size 1 here, 2 in the backup")));
        JobRun done = result(completion(replay.episode(replay.subOrchestrationCompleted(verify, report))));

        assertEquals(JobRun.Step.COMPLETED, done.getStep());
        assertEquals(10, done.getBytes());
        assertEquals(CHILDREN + ":verify", done.getVerifyInstance());
        assertEquals(2, done.getDifferences());
    }

    @Test
    void run_backupFailsAsAWhole_stepFailedWithItsMessageAndNoVerify() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, VERIFY, null)).getActions(0);

        JobRun done = result(completion(replay.episode(replay.subOrchestrationFailed(backup,
                "java.lang.RuntimeException", "Unexpected failure in the task execution"))));

        assertEquals(JobRun.Step.FAILED, done.getStep());
        assertEquals("the backup failed: Unexpected failure in the task execution", done.getError());
        assertNull(done.getVerifyInstance());
    }

    @Test
    void run_verifyCouldNotRun_stepFailedWithTheVerifysError() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, VERIFY, null)).getActions(0);
        OrchestratorAction verify = replay.episode(replay.subOrchestrationCompleted(backup, 0L)).getActions(0);

        JobRun done = result(completion(replay.episode(replay.subOrchestrationCompleted(verify,
                VerifyReport.rejected("rootDirectory '/mounts/site' does not exist")))));

        assertEquals(JobRun.Step.FAILED, done.getStep());
        assertEquals("the verify did not run: rootDirectory '/mounts/site' does not exist", done.getError());
    }

    @Test
    void run_noInput_failedWithoutStartingAnything() {
        JobRun done = result(completion(replay.start(null)));

        assertEquals(JobRun.Step.FAILED, done.getStep());
        assertEquals("the input of RunJob is missing", done.getError());
    }

    @Test
    void run_replayOfTheWholeHistory_completesTheSameAndLogsOnce() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, null, null)).getActions(0);
        CompleteOrchestrationAction done = completion(replay.episode(replay.subOrchestrationCompleted(backup, 7L)));

        assertEquals(done, completion(replay.replayAll()));
        assertEquals(1, context.records().size(), context.records().toString());
        assertTrue(context.records().get(0).getMessage().contains("job nightly COMPLETED: backup " + CHILDREN + ":backup (7 bytes)"),
                context.records().get(0).getMessage());
    }

    @Test
    void run_verifyThenRetention_retentionOfTheBackupsTargetLastThenCompletedWithItsCounts() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, VERIFY, RETENTION)).getActions(0);
        OrchestratorAction verify = replay.episode(replay.subOrchestrationCompleted(backup, 10L)).getActions(0);
        assertEquals(VerifyBackup.NAME, verify.getCreateSubOrchestration().getName(), "the verify comes first");
        VerifyReport report = VerifyReport.of(5, List.of("new.txt"), List.of(), List.of());
        List<OrchestratorAction> next = replay.episode(replay.subOrchestrationCompleted(verify, report)).getActionsList();

        assertEquals(1, next.size(), next.toString());
        OrchestratorAction retention = next.get(0);
        assertEquals(ApplyRetention.NAME, retention.getCreateSubOrchestration().getName());
        assertEquals(CHILDREN + ":retention", retention.getCreateSubOrchestration().getInstanceId());
        assertEquals(RETENTION.toString(), inputOf(retention, RetentionRequest.class).toString());
        JobRun status = replay.lastStatus(JobRun.class);
        assertEquals(List.of("RETENTION", CHILDREN + ":retention", "1"), List.of(status.getStep().toString(),
                status.getRetentionInstance(), Long.toString(status.getDifferences())));
        assertNull(status.getRetentionPhase());

        JobRun done = result(completion(replay.episode(replay.subOrchestrationCompleted(retention,
                pruning(RetentionResult.Phase.COMPLETED, 3, 40, 2, null)))));

        assertEquals(JobRun.Step.COMPLETED, done.getStep());
        assertEquals(List.of(10L, 1L, 3L, 40L, 2L), List.of(done.getBytes(), done.getDifferences(), done.getExpiredCount(),
                done.getSnapshotsDeleted(), done.getBlobsDeleted()));
        assertEquals(RetentionResult.Phase.COMPLETED, done.getRetentionPhase());
        assertEquals(List.of(CHILDREN + ":backup", CHILDREN + ":verify", CHILDREN + ":retention"),
                List.of(done.getBackupInstance(), done.getVerifyInstance(), done.getRetentionInstance()));
        assertNull(done.getError());
        assertEquals(JobRun.Step.COMPLETED, replay.lastStatus(JobRun.class).getStep());
    }

    @Test
    void run_retentionAfterABackupThatReturnedNothingCopied_stillRuns() {
        OrchestratorAction retention = retentionAfterBackup(0L);

        assertEquals(ApplyRetention.NAME, retention.getCreateSubOrchestration().getName());
        JobRun done = result(completion(replay.episode(replay.subOrchestrationCompleted(retention,
                pruning(RetentionResult.Phase.DRY_RUN_COMPLETED, 2, 5, 1, null)))));
        assertEquals(JobRun.Step.COMPLETED, done.getStep());
        assertEquals(RetentionResult.Phase.DRY_RUN_COMPLETED, done.getRetentionPhase());
        assertEquals(-1, done.getDifferences());
        assertNull(done.getVerifyInstance());
    }

    @Test
    void run_retentionRefusedOrFailed_stepFailedWithTheResultsMessageAndItsCounts() {
        for (RetentionResult.Phase phase : List.of(RetentionResult.Phase.REFUSED, RetentionResult.Phase.FAILED)) {
            Replay fresh = new Replay(RunJob.NAME, "job-nightly",
                    (OrchestratorFunction<JobRun>) ctx -> new RunJob().run(ctx, new RecordingContext(RunJob.NAME)));
            OrchestratorAction backup = fresh.start(new JobRequest("nightly", BACKUP, null, RETENTION)).getActions(0);
            OrchestratorAction retention = fresh.episode(fresh.subOrchestrationCompleted(backup, 8L)).getActions(0);

            JobRun done = result(completion(fresh.episode(fresh.subOrchestrationCompleted(retention,
                    pruning(phase, 4, 9, 3, "Refused, nothing deleted: too much")))));

            assertEquals(JobRun.Step.FAILED, done.getStep(), phase.toString());
            assertEquals("Refused, nothing deleted: too much", done.getError());
            assertEquals(phase, done.getRetentionPhase());
            assertEquals(List.of(8L, 4L, 9L, 3L), List.of(done.getBytes(), done.getExpiredCount(),
                    done.getSnapshotsDeleted(), done.getBlobsDeleted()));
            assertEquals(JobRun.Step.FAILED, fresh.lastStatus(JobRun.class).getStep());
        }
    }

    @Test
    void run_retentionFailsAsAWhole_stepFailedWithItsMessage() {
        OrchestratorAction retention = retentionAfterBackup(1L);

        JobRun done = result(completion(replay.episode(replay.subOrchestrationFailed(retention,
                "java.lang.RuntimeException", "Unexpected failure in the task execution"))));

        assertEquals(JobRun.Step.FAILED, done.getStep());
        assertEquals("the retention failed: Unexpected failure in the task execution", done.getError());
        assertEquals(CHILDREN + ":retention", done.getRetentionInstance());
        assertNull(done.getRetentionPhase());
    }

    @Test
    void run_retentionReturnsNothing_stepFailedSayingSo() {
        OrchestratorAction retention = retentionAfterBackup(1L);

        JobRun done = result(completion(replay.episode(replay.subOrchestrationCompleted(retention,
                NullNode.getInstance()))));

        assertEquals(JobRun.Step.FAILED, done.getStep());
        assertEquals("the retention failed: the output of ApplyRetention is missing", done.getError());
    }

    @Test
    void run_backupOrVerifyFailsAsAWhole_noRetention() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, null, RETENTION)).getActions(0);
        JobRun afterBackup = result(completion(replay.episode(replay.subOrchestrationFailed(backup,
                "java.lang.RuntimeException", "boom"))));
        assertEquals(List.of("FAILED", "the backup failed: boom"), List.of(afterBackup.getStep().toString(),
                afterBackup.getError()));
        assertNull(afterBackup.getRetentionInstance());

        Replay fresh = new Replay(RunJob.NAME, "job-nightly",
                (OrchestratorFunction<JobRun>) ctx -> new RunJob().run(ctx, new RecordingContext(RunJob.NAME)));
        OrchestratorAction second = fresh.start(new JobRequest("nightly", BACKUP, VERIFY, RETENTION)).getActions(0);
        OrchestratorAction verify = fresh.episode(fresh.subOrchestrationCompleted(second, 1L)).getActions(0);
        JobRun afterVerify = result(completion(fresh.episode(fresh.subOrchestrationCompleted(verify,
                VerifyReport.rejected("rootDirectory '/mounts/site' does not exist")))));
        assertEquals(JobRun.Step.FAILED, afterVerify.getStep());
        assertNull(afterVerify.getRetentionInstance());
    }

    @Test
    void run_replayOfAWholeRunWithRetention_completesTheSameAndLogsOnce() {
        OrchestratorAction retention = retentionAfterBackup(7L);
        CompleteOrchestrationAction done = completion(replay.episode(replay.subOrchestrationCompleted(retention,
                pruning(RetentionResult.Phase.COMPLETED, 1, 2, 0, null))));

        assertEquals(done, completion(replay.replayAll()));
        assertEquals(1, context.records().size(), context.records().toString());
        assertTrue(context.records().get(0).getMessage().endsWith("job nightly COMPLETED: backup " + CHILDREN
                + ":backup (7 bytes), retention " + CHILDREN + ":retention (COMPLETED, 1 snapshots expired, 2 blob"
                + " snapshots and 0 blobs deleted)"), context.records().get(0).getMessage());
    }
}
