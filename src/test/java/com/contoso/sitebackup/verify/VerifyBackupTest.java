package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.BatchGroup;
import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.GroupRequest;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
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
import org.junit.jupiter.api.Timeout;

/** Replay tests of the verify orchestrator through the SDK's replay engine. */
@Timeout(60)
class VerifyBackupTest {
    private static final VerifyRequest REQUEST = new VerifyRequest("/site", "backups", "site", null, null, true, null)
            .withCodeVersion(CodeVersion.CURRENT);
    private static final String MANIFEST = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private static final String SNAPSHOT = "20261126T100000.000Z";
    /** Two batches of files to check by content. */
    private static final JobPlan TO_CHECK = new JobPlan("/site", MANIFEST, 2, 300, 3_000, 0, 0, 0, List.of(), null,
            SNAPSHOT);
    private static final JobPlan NOTHING_TO_CHECK = new JobPlan("/site", null, 0, 0, 0, 0, 0, 0, List.of(), null,
            SNAPSHOT);

    private final RecordingContext context = new RecordingContext(VerifyBackup.NAME);
    private final Replay replay = new Replay(VerifyBackup.NAME, "verify-1",
            (OrchestratorFunction<VerifyReport>) ctx -> new VerifyBackup().run(ctx, context));

    private static BatchOutcome checked(long same, List<FileProblem> different) {
        return new BatchOutcome(same, same * 10, different.size(), 0, 0, different, List.of(), List.of(), null, false,
                false);
    }

    @Test
    void run_listingDifferencesAndContentChecks_mergedIntoOneReport() {
        VerifyReport byListing = VerifyReport.of(10, List.of("new.txt"), List.of("gone.txt"),
                List.of(new FileProblem("big.txt", "size 1 here, 2 in the snapshot")));

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(byListing, TO_CHECK))
                        : inputOf(action, BatchWork.class).parts().get(0).batch() == 0
                        ? replay.taskCompleted(action, checked(150, List.of()))
                        : replay.taskCompleted(action, checked(149, List.of(new FileProblem("b",
                        "content differs (MD5)")))));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        VerifyReport report = Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class);
        assertEquals(10 + 299, report.getIdentical());
        assertEquals(List.of("new.txt"), report.getMissing());
        assertEquals(List.of("gone.txt"), report.getExtra());
        assertEquals(2, report.getDifferentCount());
        assertEquals(List.of("big.txt", "b"), report.getDifferent().stream().map(FileProblem::getPath).toList());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase(), "differences were found");
        assertEquals(List.of(300L, 299L, 10L, 4L), List.of(status.getFilesPlanned(), status.getFilesDone(),
                status.getFilesUnchanged(), status.getProblemCount()));
        assertEquals(SNAPSHOT, status.getSnapshot());
        assertEquals(List.of(new FileProblem("new.txt", VerifyReport.MISSING), new FileProblem("gone.txt", VerifyReport.EXTRA),
                new FileProblem("big.txt", "size 1 here, 2 in the snapshot"), new FileProblem("b", "content differs (MD5)")),
                status.getProblems());
    }

    @Test
    void run_contentChecks_oneActivityPerBatchAllScheduledInOneEpisode() {
        OrchestratorAction compare = replay.start(REQUEST).getActions(0);
        assertEquals(CompareBackup.NAME, compare.getScheduleTask().getName());

        List<OrchestratorAction> checks = replay.episode(replay.taskCompleted(compare,
                new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), TO_CHECK))).getActionsList();

        assertEquals(List.of(CheckFileContent.NAME, CheckFileContent.NAME),
                checks.stream().map(a -> a.getScheduleTask().getName()).toList(), "300 files, 2 activities");
        assertEquals(List.of(List.of(new BatchWork.Part(0, null)), List.of(new BatchWork.Part(1, null))),
                checks.stream().map(a -> inputOf(a, BatchWork.class).parts()).toList());
        assertEquals(MANIFEST, inputOf(checks.get(0), BatchWork.class).manifest());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.CHECKING, status.getPhase());
        assertEquals(300, status.getFilesPlanned());
    }

    @Test
    void run_manyDifferences_statusCountsEveryOneAndNamesTheFirst() {
        List<String> missing = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "m" + i).toList();
        VerifyReport byListing = VerifyReport.of(0, missing, List.of(), List.of());

        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(byListing, NOTHING_TO_CHECK)));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(300, status.getProblemCount());
        assertEquals(Math.min(JobProgress.MAX_LISTED_PROBLEMS, VerifyReport.MAX_LISTED), status.getProblems().size());
        assertEquals(300, Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class).getMissingCount());
    }

    @Test
    void run_moreBatchesThanAGroup_groupsAsSubOrchestrations() {
        OrchestratorAction compare = replay.start(REQUEST).getActions(0);
        JobPlan large = new JobPlan("/site", MANIFEST, 40, 10_000, 9_000, 0, 0, 0, List.of(), null, SNAPSHOT);

        List<OrchestratorAction> groups = replay.episode(replay.taskCompleted(compare,
                new VerifyPlan(VerifyReport.of(0, List.of(), List.of(), List.of()), large))).getActionsList();

        assertEquals(List.of(BatchGroup.NAME, BatchGroup.NAME),
                groups.stream().map(a -> a.getCreateSubOrchestration().getName()).toList());
        GroupRequest second = inputOf(groups.get(1), GroupRequest.class);
        assertEquals(List.of(CheckFileContent.NAME, 32, 40), List.of(second.activity(), second.from(), second.to()));
    }

    @Test
    void run_contentCheckKeepsFailing_endsPhaseFailedNamingTheFiles() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(VerifyReport.of(0, List.of(), List.of(),
                        List.of()), TO_CHECK))
                        : replay.taskFailed(action, "java.io.UncheckedIOException", "disk gone"));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().startsWith("Verification incomplete: 2 of 300 files could not be checked"),
                status.getMessage());
        assertTrue(status.getMessage().contains("disk gone"), status.getMessage());
        assertEquals(List.of("(batch 0)", "(batch 1)"), replay.recordedProblems().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_comparisonRejected_endsPhaseFailedWithItsMessageAndOneFailedEvent() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, new VerifyPlan(VerifyReport.rejected("snapshot 'latest': container"
                        + " 'backups', prefix 'site' has no snapshot yet"), null)));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertTrue(Replay.JSON.deserialize(done.getResult().getValue(), VerifyReport.class).getError()
                .contains("has no snapshot yet"));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("has no snapshot yet"), status.getMessage());
        JsonNode event = CompletionEvents.only(context);
        assertEquals("Failed", event.get("outcome").asText());
        assertTrue(event.get("reason").asText().contains("has no snapshot yet"), event.toString());
    }

    @Test
    void run_differencesFound_logsOneVerifyEventCountingEveryDifference() {
        VerifyReport byListing = VerifyReport.of(10, List.of("new.txt"), List.of("gone.txt"), List.of());
        replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(CompareBackup.NAME)
                        ? replay.taskCompleted(action, new VerifyPlan(byListing, TO_CHECK))
                        : replay.taskCompleted(action, checked(149, List.of(new FileProblem("a",
                        "content differs (MD5)")))));
        replay.replayAll();

        JsonNode event = CompletionEvents.only(context);
        assertEquals("verify", event.get("kind").asText());
        assertEquals("CompletedWithProblems", event.get("outcome").asText());
        assertEquals(4, event.get("problems").asLong(), "missing, extra, different by content twice");
        assertEquals(10, event.get("unchanged").asLong(), "identical by listing");
    }
}
