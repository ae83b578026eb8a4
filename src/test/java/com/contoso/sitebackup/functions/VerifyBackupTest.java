package com.contoso.sitebackup.functions;

import static com.contoso.sitebackup.testing.Replay.inputOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import com.contoso.sitebackup.backup.VerifyPlan;
import com.contoso.sitebackup.backup.VerifyReport;
import com.contoso.sitebackup.testing.Replay;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of the verify orchestrator through the SDK's replay engine. */
class VerifyBackupTest {
    private static final BackupRequest REQUEST = new BackupRequest("/site", "backups", "site", null, null, false, true);

    private final Replay replay = new Replay(VerifyBackup.NAME, "verify-1",
            (OrchestratorFunction<VerifyReport>) ctx -> new VerifyBackup().run(ctx));

    @Test
    void run_listingDifferencesAndContentChecks_mergedIntoOneReport() {
        VerifyReport byListing = VerifyReport.of(10, List.of("new.txt"), List.of("gone.txt"),
                List.of(new FileProblem("big.txt", "size 1 here, 2 in the backup")));
        FileListing toCheck = FileListing.of("/site", List.of(new FileEntry("a", 1, 1), new FileEntry("b", 2, 2)), List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(byListing, toCheck))
                        : inputOf(action, CopyRequest.class).getPath().equals("a")
                        ? replay.taskCompleted(action, CopyResult.copied("a", 1))
                        : replay.taskCompleted(action, CopyResult.notCopied("b", "content differs (MD5)")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        VerifyReport report = Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class);
        assertEquals(11, report.getIdentical());
        assertEquals(List.of("new.txt"), report.getMissing());
        assertEquals(List.of("gone.txt"), report.getExtra());
        assertEquals(2, report.getDifferentCount());
        assertEquals(List.of("big.txt", "b"), report.getDifferent().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_comparisonRejected_failsWithItsMessage() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(VerifyReport.rejected("rootDirectory '/site' does not exist"), null)));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED, done.getOrchestrationStatus());
        assertTrue(done.getFailureDetails().getErrorMessage().contains("does not exist"));
    }
}
