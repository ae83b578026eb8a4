package com.contoso.sitebackup.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.backup.BackupSlice;
import com.contoso.sitebackup.backup.SealSnapshot;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Replay;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.RetryPolicy;
import com.microsoft.durabletask.Task;
import com.microsoft.durabletask.TaskOptions;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.HistoryEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The shared fan-out through the SDK's replay engine, fed batches as a busy backend delivers them: a whole
 * round's failures in one batch, a timer firing together with late duplicates, the biggest jobs' slice counts.
 */
class FanOutTest {
    private static final int FILES = 500;
    private static final String WORK = "Work";

    /** An orchestrator that fans out {@link #FILES} inputs of {@code bytes = input} each. */
    private static final OrchestratorFunction<Long> FAN_OUT = ctx -> FanOut.files(ctx, WORK,
            IntStream.range(0, FILES).boxed().toList(), i -> "file-" + i, null, "inline").getBytesDone();

    private static final long SUM = (long) FILES * (FILES - 1) / 2;

    private static HistoryEvent done(Replay replay, OrchestratorAction action) {
        int input = Replay.inputOf(action, Integer.class);
        return replay.taskCompleted(action, FileOutcome.done("file-" + input, input));
    }

    @Test
    void files_allFailInOneBatchThenSucceed_oneTimerAndAttemptsPlusTwoEpisodes() {
        Replay replay = new Replay("Storm", "storm-1", FAN_OUT);
        List<OrchestratorAction> first = replay.start(null).getActionsList();
        assertEquals(FILES, first.size(), "every input scheduled in the first episode");

        OrchestratorResponse failed = replay.episode(first.stream()
                .map(a -> replay.taskFailed(a, "com.azure.storage.blob.models.BlobStorageException", "503 ServerBusy")).toList());
        assertEquals(1, failed.getActionsCount(), "one timer for the whole round");
        assertTrue(failed.getActions(0).hasCreateTimer());

        List<HistoryEvent> timerAndLateDuplicates = new ArrayList<>();
        timerAndLateDuplicates.add(replay.timerFired(failed.getActions(0)));
        first.stream().limit(50).map(a -> replay.taskFailed(a, "com.azure.storage.blob.models.BlobStorageException",
                "503 ServerBusy (duplicate delivery)")).forEach(timerAndLateDuplicates::add);
        List<OrchestratorAction> second = replay.episode(timerAndLateDuplicates).getActionsList();
        assertEquals(FILES, second.size(), "every failed input again, together");

        List<HistoryEvent> completions = new ArrayList<>(second.stream().map(a -> done(replay, a)).toList());
        second.stream().limit(50).map(a -> done(replay, a)).forEach(completions::add);
        CompleteOrchestrationAction end = replay.episode(completions).getActions(0).getCompleteOrchestration();

        assertEquals(SUM, Long.parseLong(end.getResult().getValue()), "the exact sum");
        int attempts = 2;
        assertTrue(replay.episodes() <= attempts + 2, "episodes: " + replay.episodes());
        System.out.printf("retry storm, rounds: %d inputs failing once in one batch -> %d episodes, history %d events / %d B%n",
                FILES, replay.episodes(), replay.historyEvents(), replay.historyBytes());
    }

    @Test
    void files_failuresUntilTheLastAttempt_roundsOfOneTimerEachAndTheRestReportedAsFailures() {
        Map<Integer, Integer> tries = new HashMap<>();
        Replay replay = new Replay("Storm", "storm-2", FAN_OUT);
        CompleteOrchestrationAction end = replay.runToEnd(replay.start(null).getActionsList(), action -> {
            int input = Replay.inputOf(action, Integer.class);
            int attempt = tries.merge(input, 1, Integer::sum);
            // A tenth never succeeds; the rest fail as often as their input says (0 to 3 times).
            boolean fails = input % 10 == 0 || attempt <= input % 4;
            return fails ? replay.taskFailed(action, "java.io.UncheckedIOException", "timeout") : done(replay, action);
        });

        long expected = IntStream.range(0, FILES).filter(i -> i % 10 != 0).asLongStream().sum();
        assertEquals(expected, Long.parseLong(end.getResult().getValue()));
        assertEquals(RetrySchedule.MAX_ATTEMPTS, tries.get(0), "an input that keeps failing is tried every attempt");
        assertEquals(1, tries.get(1) - 1, "one failure, one retry");
        // Per round: the completions' episode, then the timer's; plus the start.
        assertEquals(1 + 2 * RetrySchedule.MAX_ATTEMPTS - 1, replay.episodes());
    }

    @Test
    void files_failuresWithARetryPolicyPerTask_crawlWhereRoundsDoNot() {
        OrchestratorFunction<Long> perTask = ctx -> {
            TaskOptions retry = new TaskOptions(new RetryPolicy(RetrySchedule.MAX_ATTEMPTS, RetrySchedule.FIRST_DELAY));
            List<Task<FileOutcome>> tasks = IntStream.range(0, FILES)
                    .mapToObj(i -> ctx.callActivity(WORK, i, retry, FileOutcome.class)).toList();
            return ctx.allOf(tasks).await().stream().mapToLong(FileOutcome::getBytes).sum();
        };
        Map<Integer, Integer> tries = new HashMap<>();
        Replay replay = new Replay("Storm", "storm-3", perTask);
        CompleteOrchestrationAction end = replay.runToEnd(replay.start(null).getActionsList(), action -> {
            int input = Replay.inputOf(action, Integer.class);
            return tries.merge(input, 1, Integer::sum) == 1
                    ? replay.taskFailed(action, "java.io.UncheckedIOException", "timeout") : done(replay, action);
        });

        assertEquals(SUM, Long.parseLong(end.getResult().getValue()));
        // The SDK's nested retry waits one task after another: the reason FanOut retries in rounds.
        assertTrue(replay.episodes() > FILES, "episodes: " + replay.episodes());
        System.out.printf("retry storm, RetryPolicy per task (SDK 1.5.0): %d inputs failing once -> %d episodes%n",
                FILES, replay.episodes());
    }

    @Test
    void slices_2000SlicesOf500ProblemsEach_everyHistoryUnder1MB() {
        int slices = 2_000;
        String longPath = "deep/".repeat(30) + "name-";
        Replay parent = new Replay(BackupSiteContent.NAME, "million",
                (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, new RecordingContext(BackupSiteContent.NAME)));
        OrchestratorAction list = parent.start(BackupRequest.of("/data").withDefaults("backups")).getActions(0);
        JobPlan plan = new JobPlan("/data", List.of(), "00000000-0000-4000-8000-00000000b16b", slices, 1_000_000, 1_000_000_000L, 0, 0, 0, List.of(), null);
        List<OrchestratorAction> next = parent.episode(parent.taskCompleted(list, plan)).getActionsList();
        int groups = 0;
        CompleteOrchestrationAction end = null;
        while (end == null) {
            OrchestratorAction group = next.get(0);
            if (group.hasScheduleTask()) {
                // After the last group, the run's snapshot is sealed.
                assertEquals(SealSnapshot.NAME, group.getScheduleTask().getName());
                next = parent.episode(parent.taskCompleted(group, new SnapshotInfo("20260101T000000.000Z", "backups",
                        "data", "/data", "million", "x", "y", 0, 0, 0, 0, 0))).getActionsList();
                end = next.get(0).getCompleteOrchestration();
                continue;
            }
            assertEquals(SliceGroup.NAME, group.getCreateSubOrchestration().getName());
            groups++;
            List<FileProblem> problems = IntStream.range(0, FanOut.SLICES_PER_GROUP * 500)
                    .mapToObj(i -> new FileProblem(longPath + i, "not readable: AccessDeniedException")).toList();
            next = parent.episode(parent.subOrchestrationCompleted(group, FanOutSummary.of(0, 0, problems, List.of())))
                    .getActionsList();
            if (next.get(0).hasCompleteOrchestration()) {
                end = next.get(0).getCompleteOrchestration();
            }
        }
        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, end.getOrchestrationStatus());
        JobProgress status = parent.lastStatus(JobProgress.class);
        assertEquals(slices / FanOut.SLICES_PER_GROUP, groups);
        assertEquals((long) slices * 500, status.getProblemCount(), "every problem counted");
        assertTrue(parent.historyBytes() < 1_000_000, "parent history " + parent.historyBytes() + " B");

        Replay group = new Replay(SliceGroup.NAME, "million:g0", (OrchestratorFunction<FanOutSummary>) ctx -> new SliceGroup().run(ctx));
        SliceRequest slice = SliceRequest.of("00000000-0000-4000-8000-00000000b16b", "/data", "backups", "data", false, "reports/million-0.jsonl");
        List<OrchestratorAction> inFlight = new ArrayList<>(group.start(new SliceGroupRequest(BackupSlice.NAME, slice, 0,
                FanOut.SLICES_PER_GROUP)).getActionsList());
        FanOutSummary groupResult = null;
        while (groupResult == null) {
            List<FileProblem> problems = IntStream.range(0, 500)
                    .mapToObj(i -> new FileProblem(longPath + i, "not readable: AccessDeniedException")).toList();
            OrchestratorResponse response = group.episode(group.subOrchestrationCompleted(inFlight.remove(0),
                    FanOutSummary.of(0, 0, problems, List.of())));
            for (OrchestratorAction action : response.getActionsList()) {
                if (action.hasCompleteOrchestration()) {
                    groupResult = Replay.JSON.deserialize(action.getCompleteOrchestration().getResult().getValue(),
                            FanOutSummary.class);
                } else {
                    inFlight.add(action);
                }
            }
        }
        assertEquals(FanOut.SLICES_PER_GROUP * 500L, groupResult.getProblemCount());
        assertTrue(group.historyBytes() < 1_000_000, "group history " + group.historyBytes() + " B");
        System.out.printf("2,000 slices x 500 problems: parent %d episodes, history %d events / %d B; "
                        + "a group of %d slices: history %d events / %d B%n", parent.episodes(), parent.historyEvents(),
                parent.historyBytes(), FanOut.SLICES_PER_GROUP, group.historyEvents(), group.historyBytes());
    }
}
