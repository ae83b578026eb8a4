package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.BatchGroup;
import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOutSummary;
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
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.HistoryEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replay tests of the restore orchestrator through the SDK's replay engine. */
@Timeout(60)
class RestoreSiteContentTest {
    private static final String MANIFEST = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    private static final String SNAPSHOT = "20261126T100000.000Z";
    private static final RestoreRequest REQUEST = new RestoreRequest("backups", "home/site", "/restore", false, null)
            .withCodeVersion(CodeVersion.CURRENT);
    private static final RestoreRequest AS_OF = new RestoreRequest("backups", "home/site", "/restore", false, null,
            "2026-11-26T10:30:00Z", null).withCodeVersion(CodeVersion.CURRENT);
    /** Two batches of 300 files, one entry of the snapshot reported by the listing. */
    private static final JobPlan PLAN = new JobPlan("/restore", MANIFEST, 2, 300, 9_000, 0, 0, 1,
            List.of(new FileProblem("gone.txt", RestorePlanner.missing("vanished while it was read"))), null, SNAPSHOT);

    private final RecordingContext context = new RecordingContext(RestoreSiteContent.NAME);
    private final Replay replay = new Replay(RestoreSiteContent.NAME, "restore-1",
            (OrchestratorFunction<Long>) ctx -> new RestoreSiteContent().run(ctx, context));

    private static String name(OrchestratorAction action) {
        return action.hasScheduleTask() ? action.getScheduleTask().getName()
                : action.getCreateSubOrchestration().getName();
    }

    /** A batch's outcome: every file of it done, {@code bytes} bytes. */
    private static BatchOutcome done(long files, long bytes) {
        return new BatchOutcome(files, bytes, 0, 0, 0, List.of(), List.of(), List.of(), null, false, false);
    }

    private HistoryEvent answer(OrchestratorAction action, BatchOutcome batch, FanOutSummary folders) {
        return switch (name(action)) {
            case ListBackup.NAME -> replay.taskCompleted(action, PLAN);
            case FinishDirectories.NAME -> replay.taskCompleted(action, folders);
            default -> replay.taskCompleted(action, batch);
        };
    }

    @Test
    void run_listingThenOneActivityPerBatchInOneEpisode_statusCountsThePlanAndItsProblemsFromTheStart() {
        OrchestratorAction list = replay.start(REQUEST).getActions(0);
        assertEquals(ListBackup.NAME, list.getScheduleTask().getName());
        assertEquals(REQUEST.getContainer(), inputOf(list, RestoreRequest.class).getContainer());

        List<OrchestratorAction> batches = replay.episode(replay.taskCompleted(list, PLAN)).getActionsList();

        assertEquals(2, batches.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(RestoreBlobToFile.NAME, batches.get(i).getScheduleTask().getName());
            BatchWork work = inputOf(batches.get(i), BatchWork.class);
            assertEquals(List.of(new BatchWork.Part(i, null)), work.parts());
            assertEquals(List.of(MANIFEST, 1, CodeVersion.CURRENT), List.of(work.manifest(), work.attempt(),
                    work.codeVersion()));
        }
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.RESTORING, status.getPhase());
        assertEquals(List.of(300L, 9_000L, 1L), List.of(status.getFilesPlanned(), status.getBytesPlanned(),
                status.getProblemCount()));
        assertEquals(SNAPSHOT, status.getSnapshot());
        assertEquals("gone.txt", status.getProblems().get(0).getPath());
    }

    @Test
    void run_batchesDoneThenFolders_completedWithProblemsBytesAsOutputFoldersLast() {
        List<String> order = new ArrayList<>();
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            order.add(name(action));
            return answer(action, done(150, 4_500), FanOutSummary.empty());
        });

        assertEquals(List.of(ListBackup.NAME, RestoreBlobToFile.NAME, RestoreBlobToFile.NAME, FinishDirectories.NAME),
                order, "the folders come last, once every file is in place");
        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(9_000L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase(), "the listing's problem stays");
        assertEquals(List.of(300L, 9_000L, 1L, 0L), List.of(status.getFilesDone(), status.getBytesDone(),
                status.getProblemCount(), status.getFailureCount()));
    }

    @Test
    void run_theFoldersStepNamesTheRestoresManifestWhoseCardNamesTheChosenSnapshot() {
        OrchestratorAction list = replay.start(AS_OF).getActions(0);
        assertEquals("2026-11-26T10:30:00Z", inputOf(list, RestoreRequest.class).getAsOf());
        List<OrchestratorAction> batches = replay.episode(replay.taskCompleted(list, PLAN)).getActionsList();

        List<OrchestratorAction> finish = replay.episode(replay.taskCompleted(batches.get(0), done(150, 1)),
                replay.taskCompleted(batches.get(1), done(150, 1))).getActionsList();

        assertEquals(1, finish.size());
        assertEquals(FinishDirectories.NAME, finish.get(0).getScheduleTask().getName());
        assertEquals(new FinishRequest(CodeVersion.CURRENT, MANIFEST), inputOf(finish.get(0), FinishRequest.class));
    }

    @Test
    void run_aBatchFailingEveryAttempt_phaseFailedEachFileInTheReportAndTheMessageNamesIt() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                name(action).equals(RestoreBlobToFile.NAME) && inputOf(action, BatchWork.class).parts().get(0).batch() == 1
                        ? replay.taskFailed(action, "java.io.UncheckedIOException", "disk full")
                        : answer(action, done(150, 4_500), FanOutSummary.empty()));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(4_500L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().startsWith("Restore incomplete: 1 of 300 files could not be restored"),
                status.getMessage());
        assertTrue(status.getMessage().contains("disk full"), status.getMessage());
        assertEquals(List.of("(batch 1)"), replay.recordedProblems().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_listingRejected_phaseFailedWithItsMessageAndOneFailedEvent() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, JobPlan.rejected("snapshot 'latest': container 'backups', prefix"
                        + " 'home/site' has no snapshot yet")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertEquals("Restore not started: snapshot 'latest': container 'backups', prefix 'home/site' has no"
                + " snapshot yet", status.getMessage());
        JsonNode event = CompletionEvents.only(context);
        assertEquals("Failed", event.get("outcome").asText());
        assertEquals(status.getMessage(), event.get("reason").asText());
    }

    @Test
    void run_anotherCodeVersion_phaseFailedNamingBothWithoutListing() {
        RestoreRequest older = new RestoreRequest("backups", "home/site", "/restore", false, null)
                .withCodeVersion(CodeVersion.CURRENT - 1);

        List<OrchestratorAction> actions = replay.start(older).getActionsList();

        assertEquals(1, actions.size());
        assertTrue(actions.get(0).hasCompleteOrchestration(), "nothing scheduled");
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains(Integer.toString(CodeVersion.CURRENT))
                && status.getMessage().contains(Integer.toString(CodeVersion.CURRENT - 1)), status.getMessage());
    }

    @Test
    void run_doneWithProblems_logsOneRestoreEventCompletedWithProblems() {
        replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> answer(action, done(150, 6),
                FanOutSummary.empty()));
        replay.replayAll();

        JsonNode event = CompletionEvents.only(context);
        assertEquals("restore", event.get("kind").asText());
        assertEquals("restore-1", event.get("instance").asText());
        assertEquals("CompletedWithProblems", event.get("outcome").asText());
        assertEquals(List.of(300L, 12L, 1L), List.of(event.get("files").asLong(), event.get("bytes").asLong(),
                event.get("problems").asLong()));
    }

    @Test
    void run_foldersStepReportsAFolder_countedAndNamedAfterTheBatches() {
        FanOutSummary folders = FanOutSummary.empty().plus(new FanOutSummary(0, 0, 1, 0, 0,
                List.of(new FileProblem("d", "refused: 'd' on the way: a file, not a folder; not created")), List.of(),
                false));

        replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> answer(action, done(150, 1), folders));

        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase());
        assertEquals(List.of(300L, 2L), List.of(status.getFilesDone(), status.getProblemCount()));
        assertEquals(List.of("gone.txt", "d"), status.getProblems().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_foldersStepKeepsFailing_phaseFailedNamingEveryFolderInTheReport() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                name(action).equals(FinishDirectories.NAME)
                        ? replay.taskFailed(action, "java.io.UncheckedIOException", "disk gone")
                        : answer(action, done(150, 5), FanOutSummary.empty()));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains(FinishDirectories.EVERY_FOLDER) && status.getMessage().contains("disk gone"),
                status.getMessage());
        assertEquals(List.of(FinishDirectories.EVERY_FOLDER), replay.recordedProblems().stream().map(FileProblem::getPath)
                .toList(), "the failure is in the run's report");
    }

    /**
     * Issue 21, item 8: the status listed no problem at all while it counted 4, when the first one's path was very
     * long. Each listed problem is cut to a line now, so a 10,000-character path leaves room for the others.
     */
    @Test
    void run_firstProblemWithAVeryLongPath_theStatusStillNamesEveryProblemItCounts() {
        String longPath = "d/".repeat(5_000) + "x.txt";
        List<FileProblem> problems = List.of(new FileProblem(longPath, RestorePlanner.missing("name too long")),
                new FileProblem("pipe", RestorePlanner.missing("not a regular file or folder")),
                new FileProblem("b", RestorePlanner.missing("changed while it was being copied")),
                new FileProblem("c", RestorePlanner.NO_VERSION));
        JobPlan plan = new JobPlan("/restore", MANIFEST, 1, 10, 100, 0, 0, 4, problems, null, SNAPSHOT);

        replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> name(action).equals(ListBackup.NAME)
                ? replay.taskCompleted(action, plan) : answer(action, done(10, 100), FanOutSummary.empty()));

        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(4, status.getProblemCount());
        assertEquals(List.of(4, FileProblem.MAX_TEXT), List.of(status.getProblems().size(),
                status.getProblems().get(0).getPath().length()), "every counted problem listed, the long path cut");
        assertTrue(longPath.startsWith(status.getProblems().get(0).getPath().replace("...", "")));
        assertEquals(List.of("pipe", "b", "c"), status.getProblems().subList(1, 4).stream().map(FileProblem::getPath)
                .toList());
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase());
        // The status itself cuts each problem, whatever hands it the list (the plan already cut them above).
        JobProgress direct = new JobProgress(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, 10, 100, 10, 100, 0, 0, 4, 0,
                0, problems, null, null);
        assertEquals(4, direct.getProblems().size(), direct.getProblems().toString());
    }

    @Test
    void run_moreBatchesThanAGroup_groupsAsSubOrchestrations() {
        OrchestratorAction list = replay.start(REQUEST).getActions(0);
        JobPlan large = new JobPlan("/restore", MANIFEST, 100, 25_600, 9_000, 0, 0, 0, List.of(), null, SNAPSHOT);

        List<OrchestratorAction> groups = replay.episode(replay.taskCompleted(list, large)).getActionsList();

        assertEquals(4, groups.size(), "at most 4 groups in flight");
        assertEquals(BatchGroup.NAME, groups.get(1).getCreateSubOrchestration().getName());
        GroupRequest second = inputOf(groups.get(1), GroupRequest.class);
        assertEquals(List.of(RestoreBlobToFile.NAME, MANIFEST, 32, 64), List.of(second.activity(), second.manifest(),
                second.from(), second.to()));
    }
}
