package com.contoso.sitebackup.functions;

import static com.contoso.sitebackup.testing.Replay.inputOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupProgress;
import com.contoso.sitebackup.backup.ContentCheck;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import com.contoso.sitebackup.backup.SliceRequest;
import com.contoso.sitebackup.backup.VerifyPlan;
import com.contoso.sitebackup.backup.VerifyReport;
import com.contoso.sitebackup.testing.Replay;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of the verify orchestrator through the SDK's replay engine. */
class VerifyBackupTest {
    private static final BackupRequest REQUEST = new BackupRequest("/site", "backups", "site", null, null, false, true);
    private static final String MD5_A = "DMF1ucDxtqgxw5niaXcmYQ==";
    private static final String MD5_B = "kutf/uauL+w61xx3dTFXjw==";

    private final Replay replay = new Replay(VerifyBackup.NAME, "verify-1",
            (OrchestratorFunction<VerifyReport>) ctx -> new VerifyBackup().run(ctx));

    @Test
    void run_listingDifferencesAndContentChecks_mergedIntoOneReport() {
        VerifyReport byListing = VerifyReport.of(10, List.of("new.txt"), List.of("gone.txt"),
                List.of(new FileProblem("big.txt", "size 1 here, 2 in the backup")));
        FileListing toCheck = FileListing.of("/site", List.of(new FileEntry("a", 1, 1, MD5_A), new FileEntry("b", 2, 2, MD5_B)),
                List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(byListing, toCheck))
                        : inputOf(action, ContentCheck.class).getPath().equals("a")
                        ? replay.taskCompleted(action, CopyResult.copied("a", 1))
                        : replay.taskCompleted(action, CopyResult.notCopied("b", "content differs (MD5)")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        VerifyReport report = Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class);
        assertEquals(11, report.getIdentical());
        assertEquals(List.of("new.txt"), report.getMissing());
        assertEquals(List.of("gone.txt"), report.getExtra());
        assertEquals(2, report.getDifferentCount());
        assertEquals(List.of("big.txt", "b"), report.getDifferent().stream().map(FileProblem::getPath).toList());
        BackupProgress status = replay.lastStatus(BackupProgress.class);
        assertEquals(BackupProgress.Phase.COMPLETED, status.getPhase());
        assertEquals(2, status.getFilesPlanned());
        assertEquals(1, status.getFilesDone());
        assertEquals(10, status.getFilesUnchanged(), "identical by listing");
        assertEquals(4, status.getProblemCount(), "missing, extra, different by size, different by content");
        assertEquals(List.of(new FileProblem("new.txt", VerifyReport.MISSING), new FileProblem("gone.txt", VerifyReport.EXTRA),
                new FileProblem("big.txt", "size 1 here, 2 in the backup"), new FileProblem("b", "content differs (MD5)")),
                status.getProblems());
    }

    @Test
    void run_contentChecks_eachCarriesTheListedMd5AndAllAreScheduledInOneEpisode() {
        FileListing toCheck = FileListing.of("/site", List.of(new FileEntry("a", 1, 1, MD5_A), new FileEntry("b", 2, 2, MD5_B)),
                List.of());
        OrchestratorAction compare = replay.start(REQUEST).getActions(0);
        assertEquals(CompareBackup.NAME, compare.getScheduleTask().getName());

        List<OrchestratorAction> checks = replay.episode(replay.taskCompleted(compare,
                new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), toCheck))).getActionsList();

        assertEquals(List.of(CheckFileContent.NAME, CheckFileContent.NAME),
                checks.stream().map(a -> a.getScheduleTask().getName()).toList());
        assertEquals(List.of(MD5_A, MD5_B), checks.stream().map(a -> inputOf(a, ContentCheck.class).getContentMd5()).toList());
        assertEquals("/site", inputOf(checks.get(0), ContentCheck.class).getRootDirectory());
        BackupProgress status = replay.lastStatus(BackupProgress.class);
        assertEquals(BackupProgress.Phase.CHECKING, status.getPhase());
        assertEquals(2, status.getFilesPlanned());
    }

    @Test
    void run_manyDifferences_statusCountsEveryOneAndNamesTheFirst() {
        List<String> missing = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "m" + i).toList();
        VerifyReport byListing = VerifyReport.of(0, missing, List.of(), List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(byListing, FileListing.of("/site", List.of(), List.of()))));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        BackupProgress status = replay.lastStatus(BackupProgress.class);
        assertEquals(300, status.getProblemCount());
        assertEquals(BackupProgress.MAX_LISTED_PROBLEMS, status.getProblems().size());
        assertEquals(300, Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class).getMissingCount());
    }

    @Test
    void run_largeContentCheck_slicesInSubOrchestrations() {
        OrchestratorAction compare = replay.start(REQUEST).getActions(0);
        FileListing large = new FileListing("/site", List.of(), List.of(), 0, 0, null, "m-3", 2, 900, 9_000);

        List<OrchestratorAction> slices = replay.episode(replay.taskCompleted(compare,
                new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), large))).getActionsList();

        assertEquals(List.of(VerifySlice.NAME, VerifySlice.NAME),
                slices.stream().map(a -> a.getCreateSubOrchestration().getName()).toList());
        assertEquals("verify-1:1", slices.get(1).getCreateSubOrchestration().getInstanceId());
        assertEquals("m-3", inputOf(slices.get(1), SliceRequest.class).getManifest());
    }

    @Test
    void run_contentCheckKeepsFailing_failsWithFailedStatus() {
        FileListing toCheck = FileListing.of("/site", List.of(new FileEntry("a", 1, 1, MD5_A)), List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), toCheck))
                        : replay.taskFailed(action, "java.io.UncheckedIOException", "disk gone"));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED, done.getOrchestrationStatus());
        assertTrue(done.getFailureDetails().getErrorMessage().startsWith("Verification incomplete: 1 of 1 files could not be checked"),
                done.getFailureDetails().getErrorMessage());
        assertEquals(BackupProgress.Phase.FAILED, replay.lastStatus(BackupProgress.class).getPhase());
    }

    @Test
    void run_comparisonRejected_failsWithItsMessage() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(VerifyReport.rejected("rootDirectory '/site' does not exist"), null)));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED, done.getOrchestrationStatus());
        assertTrue(done.getFailureDetails().getErrorMessage().contains("does not exist"));
    }
}
