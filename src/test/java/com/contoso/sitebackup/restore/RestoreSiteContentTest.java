package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.EntryType;
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

/** Replay tests of the restore orchestrator through the SDK's replay engine. */
class RestoreSiteContentTest {
    private static final RestoreRequest REQUEST = new RestoreRequest("backups", "home/site", "/restore", false, null);
    private static final List<FileEntry> FILES = List.of(new FileEntry("a.txt", 5, 1), new FileEntry("d/b.txt", 7, 2));
    private static final String SNAPSHOT = "20261126T100000Z";
    private static final RestoreRequest OF_SNAPSHOT = new RestoreRequest("backups", "home/site", "/restore", false, null,
            "2026-11-26T10:30:00Z", null);
    /** A snapshot's plan: a file from its blob snapshot, and a link. */
    private static final JobPlan SNAPSHOT_PLAN = JobPlan.of("/restore", List.of(
            new FileEntry("a.txt", 5, 1).withVersion("2026-11-26T10:00:00.1234567Z", "q83vEjRWeJq83vEjRWeJqw=="),
            new FileEntry("d/l", 5, 2).withAttributes(EntryType.SYMLINK, null, null, null, null, "a.txt")),
            List.of(new FileProblem("gone.txt", RestorePlanner.missing("vanished while it was read")))).withSnapshot(SNAPSHOT);

    private final RecordingContext context = new RecordingContext(RestoreSiteContent.NAME);
    private final Replay replay = new Replay(RestoreSiteContent.NAME, "restore-1",
            (OrchestratorFunction<Long>) ctx -> new RestoreSiteContent().run(ctx, context));

    @Test
    void run_listing_thenOneRestorePerBlobInOneEpisode() {
        OrchestratorAction list = replay.start(REQUEST).getActions(0);
        assertEquals(ListBackup.NAME, list.getScheduleTask().getName());

        List<OrchestratorAction> restores = replay.episode(replay.taskCompleted(list, JobPlan.of("/restore", FILES,
                List.of(new FileProblem("home/site/../x", "refused: the name leads outside the target directory")))))
                .getActionsList();

        assertEquals(2, restores.size());
        RestoreFileRequest second = inputOf(restores.get(1), RestoreFileRequest.class);
        assertEquals(RestoreBlobToFile.NAME, restores.get(1).getScheduleTask().getName());
        assertEquals("home/site/d/b.txt", second.getBlobName());
        assertEquals("d/b.txt", second.getPath());
        assertEquals("/restore", second.getTargetDirectory());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.RESTORING, status.getPhase());
        assertEquals(2, status.getFilesPlanned());
        assertEquals(12, status.getBytesPlanned());
        assertEquals(1, status.getProblemCount(), "the refused name is reported from the start");
    }

    @Test
    void run_restoresAndOneRefusal_completesWithBytesAndReportsTheRefusal() {
        JobPlan listing = JobPlan.of("/restore", FILES, List.of(new FileProblem("home/site/../x", "refused")));
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(ListBackup.NAME) ? replay.taskCompleted(action, listing)
                        : replay.taskCompleted(action, FileOutcome.done(inputOf(action, RestoreFileRequest.class).getPath(),
                        inputOf(action, RestoreFileRequest.class).getPath().equals("a.txt") ? 5 : 7)));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(12L, Long.parseLong(done.getResult().getValue()));
        JobProgress summary = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, summary.getPhase());
        assertEquals(2, summary.getFilesDone());
        assertEquals(12, summary.getBytesDone());
        assertEquals(1, summary.getProblemCount());
    }

    @Test
    void run_restoreKeepsFailing_endsPhaseFailedNamingTheFile() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(ListBackup.NAME)
                        ? replay.taskCompleted(action, JobPlan.of("/restore", FILES, List.of()))
                        : inputOf(action, RestoreFileRequest.class).getPath().equals("d/b.txt")
                        ? replay.taskFailed(action, "java.io.UncheckedIOException", "disk full")
                        : replay.taskCompleted(action, FileOutcome.done("a.txt", 5)));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(5L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        String message = status.getMessage();
        assertTrue(message.startsWith("Restore incomplete: 1 of 2 files could not be restored"), message);
        assertTrue(message.contains("d/b.txt") && message.contains("disk full"), message);
        assertEquals(List.of("d/b.txt"), replay.recorded().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_largeBackup_restoresSlicesInSubOrchestrations() {
        OrchestratorAction list = replay.start(REQUEST).getActions(0);
        JobPlan large = new JobPlan("/restore", List.of(), "m-7", 3, 1_200, 9_000, 0, 0, 0, List.of(), null);

        List<OrchestratorAction> slices = replay.episode(replay.taskCompleted(list, large)).getActionsList();

        assertEquals(3, slices.size());
        assertEquals(RestoreSlice.NAME, slices.get(2).getCreateSubOrchestration().getName());
        SliceRequest slice = inputOf(slices.get(2), SliceRequest.class);
        assertEquals(2, slice.getIndex());
        assertEquals("m-7", slice.getManifest());
        assertEquals("/restore", slice.getDirectory());
        assertEquals("restore-1:" + Replay.START.toEpochMilli() + ":2", slices.get(2).getCreateSubOrchestration().getInstanceId());
    }

    @Test
    void run_listingRejected_endsPhaseFailedWithItsMessage() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, JobPlan.rejected("container 'backups' does not exist")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertEquals("Restore not started: container 'backups' does not exist", status.getMessage());
    }

    @Test
    void run_restoresAndOneRefusal_logsOneRestoreEventCompletedWithProblems() {
        JobPlan listing = JobPlan.of("/restore", FILES, List.of(new FileProblem("home/site/../x", "refused")));
        replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                action.getScheduleTask().getName().equals(ListBackup.NAME) ? replay.taskCompleted(action, listing)
                        : replay.taskCompleted(action, FileOutcome.done(inputOf(action, RestoreFileRequest.class).getPath(), 6)));
        replay.replayAll();

        JsonNode event = CompletionEvents.only(context);
        assertEquals("restore", event.get("kind").asText());
        assertEquals("restore-1", event.get("instance").asText());
        assertEquals("CompletedWithProblems", event.get("outcome").asText());
        assertEquals(List.of(2L, 12L, 1L), List.of(event.get("files").asLong(), event.get("bytes").asLong(),
                event.get("problems").asLong()));
    }

    @Test
    void run_listingRejected_logsOneFailedEventWithTheReason() {
        replay.runToEnd(replay.start(REQUEST).getActionsList(), action ->
                replay.taskCompleted(action, JobPlan.rejected("container 'backups' does not exist")));

        JsonNode event = CompletionEvents.only(context);
        assertEquals("Failed", event.get("outcome").asText());
        assertEquals("Restore not started: container 'backups' does not exist", event.get("reason").asText());
    }

    @Test
    void run_snapshot_restoresItsEntriesThenFinishesTheFoldersOfTheChosenSnapshot() {
        List<String> order = new java.util.ArrayList<>();
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(OF_SNAPSHOT).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            order.add(name);
            if (name.equals(ListBackup.NAME)) {
                return replay.taskCompleted(action, SNAPSHOT_PLAN);
            }
            if (name.equals(FinishDirectories.NAME)) {
                return replay.taskCompleted(action, FanOutSummary.of(0, 0,
                        List.of(new FileProblem("d", "refused: 'd' on the way: a file, not a folder; not created")), List.of()));
            }
            RestoreFileRequest file = inputOf(action, RestoreFileRequest.class);
            return replay.taskCompleted(action, FileOutcome.done(file.getPath(), 5));
        });

        assertEquals(List.of(ListBackup.NAME, RestoreBlobToFile.NAME, RestoreBlobToFile.NAME, FinishDirectories.NAME),
                order, "the folders come last, once every file is in place");
        assertEquals(10L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase());
        assertEquals(List.of(2L, 2L), List.of(status.getFilesDone(), status.getProblemCount()),
                "the missing entry and the folder are both problems");
        assertEquals(List.of("gone.txt", "d"), status.getProblems().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_snapshot_eachEntryGoesToItsActivityAsRecordedAndTheFoldersStepNamesTheSnapshotById() {
        OrchestratorAction list = replay.start(OF_SNAPSHOT).getActions(0);
        assertEquals("2026-11-26T10:30:00Z", inputOf(list, RestoreRequest.class).getAsOf());

        List<OrchestratorAction> restores = replay.episode(replay.taskCompleted(list, SNAPSHOT_PLAN)).getActionsList();
        RestoreFileRequest file = inputOf(restores.get(0), RestoreFileRequest.class);
        RestoreFileRequest link = inputOf(restores.get(1), RestoreFileRequest.class);
        List<OrchestratorAction> finish = replay.episode(
                replay.taskCompleted(restores.get(0), FileOutcome.done("a.txt", 5)),
                replay.taskCompleted(restores.get(1), FileOutcome.done("d/l", 5))).getActionsList();

        assertEquals(SNAPSHOT_PLAN.getFiles().get(0), file.getEntry());
        assertEquals("home/site/a.txt", file.getBlobName());
        assertEquals(EntryType.SYMLINK, link.getEntry().getEntryType());
        assertEquals(1, finish.size());
        assertEquals(FinishDirectories.NAME, finish.get(0).getScheduleTask().getName());
        RestoreRequest folders = inputOf(finish.get(0), RestoreRequest.class);
        assertEquals(java.util.Arrays.asList(SNAPSHOT, null, "/restore"),
                java.util.Arrays.asList(folders.getSnapshot(), folders.getAsOf(), folders.getTargetDirectory()),
                "the id the listing chose, not the asOf again");
        assertEquals(replay.lastStatus(JobProgress.class).getReport(), folders.getReport());
    }

    @Test
    void run_latestContent_noFoldersStepAndEntriesTravelWithout() {
        List<String> names = new java.util.ArrayList<>();
        replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            names.add(action.getScheduleTask().getName());
            return action.getScheduleTask().getName().equals(ListBackup.NAME)
                    ? replay.taskCompleted(action, JobPlan.of("/restore", FILES, List.of()))
                    : replay.taskCompleted(action, FileOutcome.done(inputOf(action, RestoreFileRequest.class).getPath(), 1));
        });

        assertEquals(List.of(ListBackup.NAME, RestoreBlobToFile.NAME, RestoreBlobToFile.NAME), names);
    }

    @Test
    void run_snapshotFoldersStepKeepsFailing_phaseFailedNamingTheFolders() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(OF_SNAPSHOT).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            if (name.equals(ListBackup.NAME)) {
                return replay.taskCompleted(action, SNAPSHOT_PLAN);
            }
            return name.equals(FinishDirectories.NAME) ? replay.taskFailed(action, "java.io.UncheckedIOException", "disk gone")
                    : replay.taskCompleted(action, FileOutcome.done(inputOf(action, RestoreFileRequest.class).getPath(), 5));
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains(FinishDirectories.EVERY_FOLDER) && status.getMessage().contains("disk gone"),
                status.getMessage());
        assertEquals(List.of(FinishDirectories.EVERY_FOLDER), replay.recorded().stream().map(FileProblem::getPath)
                .filter(FinishDirectories.EVERY_FOLDER::equals).toList(), "the failure is in the run's report");
    }
}
