package com.contoso.sitebackup.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.Replay;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared fan-out of batches through the SDK's replay engine, fed as a backend may deliver: a whole round's
 * failures at once, and, for the bounds, the worst delivery there is: one completion per episode, so every
 * completion costs a replay of the whole history so far.
 */
class FanOutTest {
    private static final String MANIFEST = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String WORK = "Work";
    /** Bounds the README states for a group's history, whatever the delivery; asserted below. */
    static final int MAX_GROUP_HISTORY_EVENTS = 160;
    static final long MAX_GROUP_HISTORY_BYTES = 256 * 1024;
    /** The bound issue 22 sets: history events replayed per file, at 100,000 and 1,000,000 files. */
    static final double MAX_REPLAYED_PER_FILE = 0.5;

    private static BatchOutcome done(BatchWork work, long filesPerBatch) {
        return WorstDelivery.done(work, filesPerBatch);
    }

    @Test
    void rounds_everyInputFailsAsAWholeOnceThenSucceeds_oneTimerForTheRound() {
        Replay replay = new Replay(WORK, "storm-1", (OrchestratorFunction<FanOutSummary>) ctx -> FanOut.rounds(ctx, WORK,
                CodeVersion.CURRENT, MANIFEST, BatchWork.whole(0, 8), soFar -> { }));
        List<OrchestratorAction> first = replay.start(null).getActionsList();
        assertEquals(8, first.size(), "every batch scheduled in the first episode");

        OrchestratorResponse failed = replay.episode(first.stream()
                .map(a -> replay.taskFailed(a, "BlobStorageException", "503 ServerBusy")).toList());
        assertEquals(1, failed.getActionsCount(), "one timer for the whole round");
        assertTrue(failed.getActions(0).hasCreateTimer());

        List<OrchestratorAction> second = replay.episode(replay.timerFired(failed.getActions(0))).getActionsList();
        assertEquals(8, second.size());
        assertEquals(2, Replay.inputOf(second.get(0), BatchWork.class).attempt());
        OrchestratorResponse end = replay.episode(second.stream()
                .map(a -> replay.taskCompleted(a, done(Replay.inputOf(a, BatchWork.class), 256))).toList());

        FanOutSummary summary = Replay.JSON.deserialize(end.getActions(0).getCompleteOrchestration().getResult()
                .getValue(), FanOutSummary.class);
        assertEquals(8 * 256, summary.filesDone());
        assertEquals(4, replay.episodes());
    }

    /** The status moves as each batch ends (issue 25: the runner's progress stayed at 0 until a round ended). */
    @Test
    void rounds_batchesEndOneByOne_progressMovesWithEachBatch() {
        Replay replay = new Replay(WORK, "progress-1", (OrchestratorFunction<FanOutSummary>) ctx -> FanOut.rounds(ctx,
                WORK, CodeVersion.CURRENT, MANIFEST, BatchWork.whole(0, 3), soFar -> ctx.setCustomStatus(soFar.filesDone())));
        List<OrchestratorAction> first = replay.start(null).getActionsList();
        assertEquals(3, first.size(), "every batch scheduled in the first episode");

        List<String> statuses = new ArrayList<>();
        List<Integer> actions = new ArrayList<>();
        for (OrchestratorAction batch : first) {
            OrchestratorResponse episode = replay.episode(List.of(replay.taskCompleted(batch,
                    done(Replay.inputOf(batch, BatchWork.class), 256))));
            statuses.add(episode.getCustomStatus().getValue());
            actions.add(episode.getActionsCount());
        }

        assertEquals(List.of("256", "512", "768"), statuses);
        assertEquals(List.of(0, 0, 1), actions, "nothing scheduled until the round ends, then the completion");
    }

    @Test
    void pack_wholeBatchesAloneAndPartsPackedUpToOneBatchOfFiles() {
        List<BatchWork.Part> parts = new ArrayList<>();
        parts.add(new BatchWork.Part(0, null));
        // Retried files of two batches, together more than one input holds: three quarters and a half of it.
        int first = FanOut.RETRY_FILES * 3 / 4;
        int second = FanOut.RETRY_FILES / 2;
        parts.add(new BatchWork.Part(1, IntStream.range(0, first).boxed().toList()));
        parts.add(new BatchWork.Part(2, IntStream.range(0, second).boxed().toList()));
        parts.add(new BatchWork.Part(3, null));

        List<BatchWork> inputs = FanOut.pack(CodeVersion.CURRENT, MANIFEST, parts, 2, false);

        assertEquals(4, inputs.size(), inputs.toString());
        assertEquals(List.of(new BatchWork.Part(0, null)), inputs.get(0).parts());
        assertEquals(FanOut.RETRY_FILES, inputs.get(1).weight(), "a full input as soon as it fills");
        assertEquals(List.of(1, 2), inputs.get(1).parts().stream().map(BatchWork.Part::batch).toList());
        assertEquals(List.of(new BatchWork.Part(3, null)), inputs.get(2).parts());
        assertEquals(first + second - FanOut.RETRY_FILES, inputs.get(3).weight(), "the rest");
        assertTrue(inputs.stream().allMatch(i -> i.attempt() == 2 && !i.last()));
    }

    /** Issue 24, item 3: the host and the sidecar name an exception by its simple name, the SDK by its full one. */
    @Test
    void retriable_refusalsByEitherName_notRetried() {
        for (String refusal : List.of("IllegalArgumentException", "java.lang.IllegalArgumentException",
                "com.contoso.sitebackup.durable.Wire$Refused", "Refused")) {
            assertTrue(!FanOut.retriable(refusal), refusal);
        }
        for (String transientFailure : List.of("BlobStorageException", "java.io.UncheckedIOException",
                "IllegalStateException", "")) {
            assertTrue(FanOut.retriable(transientFailure), transientFailure);
        }
        assertTrue(FanOut.retriable((String) null));
    }

    /**
     * Issues 22 and 24: a group of batches, each completion in an episode of its own, each answering the largest
     * outcome a batch can: the group's history stays under the stated bounds.
     */
    @Test
    void group_oneCompletionPerEpisodeAndTheLargestOutcomes_historyUnderTheStatedBounds() {
        Replay group = runGroup(0, FanOut.GROUP_BATCHES, 256, true);

        System.out.printf("[bounds] a group of %d batches, one completion per episode, largest outcomes: %d episodes,"
                        + " history %d events / %d B, %d events replayed%n", FanOut.GROUP_BATCHES, group.episodes(),
                group.historyEvents(), group.historyBytes(), group.eventsReplayed());
        assertTrue(group.historyEvents() <= MAX_GROUP_HISTORY_EVENTS, group.historyEvents() + " events");
        assertTrue(group.historyBytes() <= MAX_GROUP_HISTORY_BYTES, group.historyBytes() + " B");
    }

    /**
     * Issue 22's goal, in the worst delivery: history events replayed per file at most 0.5, and activities at most 1%
     * of files, for a whole backup of {@code files} small files (batches of 256): the parent and every group, each
     * completion in an episode of its own.
     */
    @ParameterizedTest
    @ValueSource(ints = {10_000, 100_000, 1_000_000})
    void backup_oneCompletionPerEpisode_replayedEventsPerFileAndActivitiesBounded(int files) {
        // The shipped batch size; at 10,000 files the parent fans the batches out itself, above it in groups.
        WorstDelivery.Result cost = WorstDelivery.backup(files, Settings.DEFAULT_BATCH_FILES);
        System.out.printf("[bounds] %,d files in %,d batches, one completion per episode: %d groups, %.3f events"
                        + " replayed per file (parent %,d, groups %,d), %,d activities (%.3f%% of files), largest"
                        + " history %d events (parent %d)%n", files, cost.batches(), cost.groups(),
                cost.replayedPerFile(), cost.parentReplayed(), cost.groupsReplayed(), cost.activities(),
                100.0 * cost.activities() / files, cost.largestGroupHistory(), cost.parentHistory());
        assertTrue(cost.replayedPerFile() <= MAX_REPLAYED_PER_FILE, cost.replayedPerFile() + " events replayed per file");
        assertTrue(cost.activities() <= files / 100, cost.activities() + " activities for " + files + " files");
        assertTrue(cost.parentHistory() <= 2_000, "parent history " + cost.parentHistory() + " events");
    }

    /** Runs one group of batches {@code from} to {@code to}, one completion per episode, to its end. */
    private static Replay runGroup(int from, int to, int filesPerBatch, boolean largestOutcomes) {
        return WorstDelivery.group(from, to, filesPerBatch, largestOutcomes);
    }
}
