package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.FileSlice;
import com.contoso.sitebackup.durable.ReadManifestSlice;
import com.contoso.sitebackup.durable.RetrySchedule;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Replay;
import static com.contoso.sitebackup.testing.Replay.inputOf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of the slice sub-orchestrator through the SDK's replay engine. */
class BackupSliceTest {
    private static final BackupRequest REQUEST = BackupRequest.of("/data").withDefaults("backups");
    private static final SliceRequest SLICE = SliceRequest.of("00000000-0000-4000-8000-000000000009", "/data", "backups", "data", false, "reports/parent.jsonl").at(3);
    private static final List<FileEntry> FILES = List.of(
            new FileEntry("x/1", 7, 1), new FileEntry("x/2", 9, 1), new FileEntry("y", 0, 1));

    private final Replay replay = new Replay(BackupSlice.NAME, "parent:3",
            (OrchestratorFunction<FanOutSummary>) ctx -> new BackupSlice().run(ctx));

    @Test
    void run_firstEpisodes_readTheSliceThenScheduleOneCopyPerFileAtOnce() {
        List<OrchestratorAction> first = replay.start(SLICE).getActionsList();
        assertEquals(1, first.size());
        assertEquals(ReadManifestSlice.NAME, first.get(0).getScheduleTask().getName());
        SliceRequest read = inputOf(first.get(0), SliceRequest.class);
        assertEquals("00000000-0000-4000-8000-000000000009", read.getManifest());
        assertEquals(3, read.getIndex());

        List<OrchestratorAction> copies = replay.episode(replay.taskCompleted(first.get(0), new FileSlice(FILES)))
                .getActionsList();

        assertEquals(3, copies.size());
        assertEquals(List.of("data/x/1", "data/x/2", "data/y"),
                copies.stream().map(a -> inputOf(a, CopyRequest.class).getBlobName()).toList());
    }

    @Test
    void run_copiesSucceedVanishAndFail_completesWithASummaryInsteadOfFailing() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(SLICE).getActionsList(), action -> {
            if (action.getScheduleTask().getName().equals(ReadManifestSlice.NAME)) {
                return replay.taskCompleted(action, new FileSlice(FILES));
            }
            CopyRequest copy = inputOf(action, CopyRequest.class);
            return switch (copy.getPath()) {
                case "x/1" -> replay.taskCompleted(action, FileOutcome.done("x/1", 7));
                case "x/2" -> replay.taskCompleted(action, FileOutcome.notDone("x/2", "vanished since it was listed"));
                default -> replay.taskFailed(action, "java.lang.IllegalStateException", "disk on fire");
            };
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        FanOutSummary summary = Replay.JSON.deserialize(done.getResult().getValue(), FanOutSummary.class);
        assertEquals(1, summary.getFilesDone());
        assertEquals(7, summary.getBytesDone());
        assertEquals(List.of(new FileProblem("x/2", "vanished since it was listed")), summary.getProblems());
        assertEquals(1, summary.getFailures().size());
        assertEquals("y", summary.getFailures().get(0).getPath());
        assertEquals("failed after " + RetrySchedule.MAX_ATTEMPTS + " attempt(s): disk on fire",
                summary.getFailures().get(0).getReason());
        assertEquals(List.of("y", "x/2"), replay.recorded().stream().map(FileProblem::getPath).toList(),
                "every failure, then every problem, goes to the run's report");
    }

    /** A manifest name with '..' could make the slice's blob name lead into another container: nothing is read. */
    @Test
    void run_manifestThatIsNotAManifestId_rejectedWithoutReadingAnything() {
        for (String planted : List.of("../backups/site", "m-9", "00000000-0000-4000-8000-000000000009/../x")) {
            Replay planted9 = new Replay(BackupSlice.NAME, "parent:9",
                    (OrchestratorFunction<FanOutSummary>) ctx -> new BackupSlice().run(ctx));
            List<OrchestratorAction> actions = planted9.start(SliceRequest.of(planted, "/", "backups", "data", false,
                    "reports/parent.jsonl")).getActionsList();

            CompleteOrchestrationAction done = actions.stream().filter(OrchestratorAction::hasCompleteOrchestration)
                    .findFirst().orElseThrow(() -> new AssertionError(planted + " scheduled " + actions)).getCompleteOrchestration();
            FanOutSummary summary = Replay.JSON.deserialize(done.getResult().getValue(), FanOutSummary.class);
            assertEquals(1, summary.getFailureCount(), planted);
            assertTrue(summary.getFailures().get(0).getReason().contains("is not a manifest id"),
                    summary.getFailures().get(0).getReason());
        }
    }
}
