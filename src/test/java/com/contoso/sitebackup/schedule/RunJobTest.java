package com.contoso.sitebackup.schedule;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.files.FileProblem;
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
    private static final String CHILDREN = "job-nightly:" + Replay.START.toEpochMilli();

    private final RecordingContext context = new RecordingContext(RunJob.NAME);
    private final Replay replay = new Replay(RunJob.NAME, "job-nightly",
            (OrchestratorFunction<JobRun>) ctx -> new RunJob().run(ctx, context));

    private static JobRun result(CompleteOrchestrationAction done) {
        return Replay.JSON.deserialize(done.getResult().getValue(), JobRun.class);
    }

    private static CompleteOrchestrationAction completion(OrchestratorResponse response) {
        assertEquals(1, response.getActionsCount(), response.getActionsList().toString());
        assertTrue(response.getActions(0).hasCompleteOrchestration(), response.toString());
        return response.getActions(0).getCompleteOrchestration();
    }

    @Test
    void run_noVerify_backupAsSubOrchestrationWithARunUniqueIdThenCompleted() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, null)).getActions(0);

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
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, VERIFY)).getActions(0);
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
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, VERIFY)).getActions(0);

        JobRun done = result(completion(replay.episode(replay.subOrchestrationFailed(backup,
                "java.lang.RuntimeException", "Unexpected failure in the task execution"))));

        assertEquals(JobRun.Step.FAILED, done.getStep());
        assertEquals("the backup failed: Unexpected failure in the task execution", done.getError());
        assertNull(done.getVerifyInstance());
    }

    @Test
    void run_verifyCouldNotRun_stepFailedWithTheVerifysError() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, VERIFY)).getActions(0);
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
        assertEquals("the input must be a scheduled job with a backup", done.getError());
    }

    @Test
    void run_replayOfTheWholeHistory_completesTheSameAndLogsOnce() {
        OrchestratorAction backup = replay.start(new JobRequest("nightly", BACKUP, null)).getActions(0);
        CompleteOrchestrationAction done = completion(replay.episode(replay.subOrchestrationCompleted(backup, 7L)));

        assertEquals(done, completion(replay.replayAll()));
        assertEquals(1, context.records().size(), context.records().toString());
        assertTrue(context.records().get(0).getMessage().contains("job nightly COMPLETED: backup " + CHILDREN + ":backup (7 bytes)"),
                context.records().get(0).getMessage());
    }
}
