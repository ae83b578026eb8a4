package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.CompletionEvents;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Replay;
import static com.contoso.sitebackup.testing.Replay.inputOf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of the verify orchestrator through the SDK's replay engine. */
class VerifyBackupTest {
    private static final VerifyRequest REQUEST = new VerifyRequest("/site", "backups", "site", null, null, true, null);
    private static final String MD5_A = "DMF1ucDxtqgxw5niaXcmYQ==";
    private static final String MD5_B = "kutf/uauL+w61xx3dTFXjw==";

    private final RecordingContext context = new RecordingContext(VerifyBackup.NAME);
    private final Replay replay = new Replay(VerifyBackup.NAME, "verify-1",
            (OrchestratorFunction<VerifyReport>) ctx -> new VerifyBackup().run(ctx, context));

    @Test
    void run_listingDifferencesAndContentChecks_mergedIntoOneReport() {
        VerifyReport byListing = VerifyReport.of(10, List.of("new.txt"), List.of("gone.txt"),
                List.of(new FileProblem("big.txt", "size 1 here, 2 in the backup")));
        JobPlan toCheck = JobPlan.of("/site", List.of(new FileEntry("a", 1, 1, MD5_A), new FileEntry("b", 2, 2, MD5_B)),
                List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(byListing, toCheck))
                        : inputOf(action, ContentCheck.class).getPath().equals("a")
                        ? replay.taskCompleted(action, FileOutcome.done("a", 1))
                        : replay.taskCompleted(action, FileOutcome.notDone("b", "content differs (MD5)")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        VerifyReport report = Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class);
        assertEquals(11, report.getIdentical());
        assertEquals(List.of("new.txt"), report.getMissing());
        assertEquals(List.of("gone.txt"), report.getExtra());
        assertEquals(2, report.getDifferentCount());
        assertEquals(List.of("big.txt", "b"), report.getDifferent().stream().map(FileProblem::getPath).toList());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase(), "differences were found");
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
        JobPlan toCheck = JobPlan.of("/site", List.of(new FileEntry("a", 1, 1, MD5_A), new FileEntry("b", 2, 2, MD5_B)),
                List.of());
        OrchestratorAction compare = replay.start(REQUEST).getActions(0);
        assertEquals(CompareBackup.NAME, compare.getScheduleTask().getName());

        List<OrchestratorAction> checks = replay.episode(replay.taskCompleted(compare,
                new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), toCheck))).getActionsList();

        assertEquals(List.of(CheckFileContent.NAME, CheckFileContent.NAME),
                checks.stream().map(a -> a.getScheduleTask().getName()).toList());
        assertEquals(List.of(MD5_A, MD5_B), checks.stream().map(a -> inputOf(a, ContentCheck.class).getContentMd5()).toList());
        assertEquals("/site", inputOf(checks.get(0), ContentCheck.class).getRootDirectory());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.CHECKING, status.getPhase());
        assertEquals(2, status.getFilesPlanned());
    }

    @Test
    void run_manyDifferences_statusCountsEveryOneAndNamesTheFirst() {
        List<String> missing = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "m" + i).toList();
        VerifyReport byListing = VerifyReport.of(0, missing, List.of(), List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(byListing, JobPlan.of("/site", List.of(), List.of()))));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(300, status.getProblemCount());
        assertEquals(JobProgress.MAX_LISTED_PROBLEMS, status.getProblems().size());
        assertEquals(300, Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class).getMissingCount());
    }

    @Test
    void run_largeContentCheck_slicesInSubOrchestrations() {
        OrchestratorAction compare = replay.start(REQUEST).getActions(0);
        JobPlan large = new JobPlan("/site", List.of(), "m-3", 2, 900, 9_000, 0, 0, 0, List.of(), null);

        List<OrchestratorAction> slices = replay.episode(replay.taskCompleted(compare,
                new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), large))).getActionsList();

        assertEquals(List.of(VerifySlice.NAME, VerifySlice.NAME),
                slices.stream().map(a -> a.getCreateSubOrchestration().getName()).toList());
        assertEquals("verify-1:" + Replay.START.toEpochMilli() + ":1", slices.get(1).getCreateSubOrchestration().getInstanceId());
        assertEquals("m-3", inputOf(slices.get(1), SliceRequest.class).getManifest());
    }

    @Test
    void run_contentCheckKeepsFailing_endsPhaseFailedNamingTheFile() {
        JobPlan toCheck = JobPlan.of("/site", List.of(new FileEntry("a", 1, 1, MD5_A)), List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), toCheck))
                        : replay.taskFailed(action, "java.io.UncheckedIOException", "disk gone"));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().startsWith("Verification incomplete: 1 of 1 files could not be checked"),
                status.getMessage());
    }

    @Test
    void run_comparisonRejected_endsPhaseFailedWithItsMessage() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(VerifyReport.rejected("rootDirectory '/site' does not exist"), null)));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertTrue(Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class).getError().contains("does not exist"));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("does not exist"), status.getMessage());
    }

    @Test
    void run_differencesFound_logsOneVerifyEventCountingEveryDifference() {
        VerifyReport byListing = VerifyReport.of(10, List.of("new.txt"), List.of("gone.txt"), List.of());
        JobPlan toCheck = JobPlan.of("/site", List.of(new FileEntry("a", 1, 1, MD5_A)), List.of());
        replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(byListing, toCheck))
                        : replay.taskCompleted(action, FileOutcome.notDone("a", "content differs (MD5)")));
        replay.replayAll();

        JsonNode event = CompletionEvents.only(context);
        assertEquals("verify", event.get("kind").asText());
        assertEquals("CompletedWithProblems", event.get("outcome").asText());
        assertEquals(3, event.get("problems").asLong(), "missing, extra, different by content");
        assertEquals(10, event.get("unchanged").asLong(), "identical by listing");
    }

    @Test
    void run_comparisonRejected_logsOneFailedEvent() {
        replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(VerifyReport.rejected("rootDirectory '/site' does not exist"), null)));

        JsonNode event = CompletionEvents.only(context);
        assertEquals("Failed", event.get("outcome").asText());
        assertTrue(event.get("reason").asText().contains("does not exist"), event.toString());
    }
}
