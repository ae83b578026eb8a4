package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.RecordProblems;
import com.contoso.sitebackup.durable.RetrySchedule;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.testing.CompletionEvents;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Replay;
import static com.contoso.sitebackup.testing.Replay.inputOf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Replay tests: the orchestrator runs in the SDK's own replay engine, fed protobuf histories episode by
 * episode as the extension would feed them (see {@link Replay}).
 */
class BackupSiteContentTest {
    private static final String ROOT = "/data/site";
    private static final BackupRequest REQUEST = BackupRequest.of(ROOT).withDefaults("backups");
    private static final List<FileEntry> FILES = List.of(
            new FileEntry("a.txt", 10, 1), new FileEntry("dir/b c.bin", 2_000, 2),
            new FileEntry("dir/ü/ñ.txt", 0, 3), new FileEntry("z/huge", 5_000_000_000L, 4));
    private static final long TOTAL = 5_000_002_010L;

    private final RecordingContext context = new RecordingContext(BackupSiteContent.NAME);
    private final Replay replay = new Replay(BackupSiteContent.NAME, "instance-1",
            (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, context));

    @Test
    void run_firstEpisode_schedulesGetFileListOnly() {
        List<OrchestratorAction> actions = replay.start(REQUEST).getActionsList();

        assertEquals(1, actions.size());
        assertEquals(GetFileList.NAME, actions.get(0).getScheduleTask().getName());
        BackupRequest input = inputOf(actions.get(0), BackupRequest.class);
        assertEquals(ROOT, input.getRootDirectory());
        assertEquals("backups", input.getContainer());
        assertEquals("data/site", input.getBlobPrefix());
        assertEquals(ProblemReport.nameFor("instance-1", Replay.START), input.getReport());
    }

    @Test
    void run_listingCompleted_schedulesEveryCopyInOneEpisode() {
        OrchestratorAction list = replay.start(REQUEST).getActions(0);

        OrchestratorResponse response = replay.episode(replay.taskCompleted(list, JobPlan.of(ROOT, FILES, List.of())));

        List<OrchestratorAction> copies = response.getActionsList();
        assertEquals(FILES.size(), copies.size());
        for (int i = 0; i < FILES.size(); i++) {
            assertEquals(CopyFileToBlob.NAME, copies.get(i).getScheduleTask().getName());
            CopyRequest copy = inputOf(copies.get(i), CopyRequest.class);
            assertEquals(FILES.get(i).getPath(), copy.getPath());
            assertEquals("data/site/" + FILES.get(i).getPath(), copy.getBlobName());
            assertEquals("backups", copy.getContainer());
            assertEquals(ROOT, copy.getRootDirectory());
        }
        assertEquals(FILES.size(), copies.stream().mapToInt(OrchestratorAction::getId).distinct().count());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COPYING, status.getPhase());
        assertEquals(FILES.size(), status.getFilesPlanned());
        assertEquals(TOTAL, status.getBytesPlanned());
    }

    @Test
    void run_allCopiesSucceed_completesWithExactSumOfBytes() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, JobPlan.of(ROOT, FILES, List.of()),
                copy -> Reply.of(FileOutcome.done(copy.getPath(), sizeOf(copy.getPath()))));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(TOTAL, Long.parseLong(done.getResult().getValue()));
    }

    @Test
    void run_copiesDone_sealsTheRunsSnapshotAndNamesItInTheStatus() {
        List<SealRequest> seals = new ArrayList<>();
        List<String> copyRuns = new ArrayList<>();
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            if (name.equals(GetFileList.NAME)) {
                assertEquals(SnapshotIds.of(Replay.START), inputOf(action, BackupRequest.class).getRun());
                return replay.taskCompleted(action, JobPlan.of(ROOT, FILES, List.of()));
            }
            if (name.equals(SealSnapshot.NAME)) {
                seals.add(inputOf(action, SealRequest.class));
                return replay.taskCompleted(action, sealed(seals.get(0)));
            }
            CopyRequest copy = inputOf(action, CopyRequest.class);
            copyRuns.add(copy.getRun());
            return replay.taskCompleted(action, FileOutcome.done(copy.getPath(), sizeOf(copy.getPath())));
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        String run = SnapshotIds.of(Replay.START);
        assertEquals(1, seals.size(), "one seal, after every copy");
        SealRequest seal = seals.get(0);
        assertEquals(List.of(ROOT, "backups", "data/site", run, "instance-1"), List.of(seal.getRootDirectory(),
                seal.getContainer(), seal.getBlobPrefix(), seal.getRun(), seal.getInstanceId()));
        assertEquals(ProblemReport.nameFor("instance-1", Replay.START), seal.getReport());
        assertTrue(copyRuns.stream().allMatch(run::equals), "every copy is tagged with the run: " + copyRuns);
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase());
        assertEquals(run, status.getSnapshot());
    }

    @Test
    void run_sealFails_failedSayingTheSnapshotWasNotWritten() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            if (name.equals(GetFileList.NAME)) {
                return replay.taskCompleted(action, JobPlan.of(ROOT, FILES, List.of()));
            }
            if (name.equals(SealSnapshot.NAME)) {
                return replay.taskFailed(action, "java.lang.IllegalArgumentException", "run 'x' is not a snapshot id");
            }
            CopyRequest copy = inputOf(action, CopyRequest.class);
            return replay.taskCompleted(action, FileOutcome.done(copy.getPath(), sizeOf(copy.getPath())));
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(TOTAL, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertNull(status.getSnapshot());
        assertTrue(status.getMessage().contains("snapshot could not be written: run 'x' is not a snapshot id"),
                status.getMessage());
    }

    @Test
    void run_emptyTree_completesWithZero() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, JobPlan.of(ROOT, List.of(), List.of()),
                copy -> { throw new AssertionError("nothing to copy"); });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
    }

    @Test
    void run_copyKeepsFailing_endsPhaseFailedNamingTheFileAfterEveryAttempt() {
        List<String> attempts = new ArrayList<>();
        CompleteOrchestrationAction done = runToEnd(REQUEST, JobPlan.of(ROOT, FILES, List.of()), copy -> {
            attempts.add(copy.getPath());
            return copy.getPath().equals("dir/b c.bin")
                    ? Reply.failure("com.azure.storage.blob.models.BlobStorageException", "Status code 503, ServerBusy")
                    : Reply.of(FileOutcome.done(copy.getPath(), sizeOf(copy.getPath())));
        });

        // Returned, not thrown: the middleware would replace a thrown message with a generic one.
        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(TOTAL - 2_000, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertEquals(1, status.getFailureCount());
        String message = status.getMessage();
        assertTrue(message.contains("1 of 4 files could not be copied"), message);
        assertTrue(message.contains("dir/b c.bin"), message);
        assertTrue(message.contains("ServerBusy"), message);
        assertTrue(message.contains(ProblemReport.nameFor("instance-1", Replay.START)), message);
        assertEquals(RetrySchedule.MAX_ATTEMPTS, attempts.stream().filter("dir/b c.bin"::equals).count());
        assertEquals(1, attempts.stream().filter("a.txt"::equals).count());
        assertEquals(List.of("dir/b c.bin"), replay.recorded().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_copyFailsOnceThenSucceeds_completesAfterRetry() {
        List<String> attempts = new ArrayList<>();
        CompleteOrchestrationAction done = runToEnd(REQUEST, JobPlan.of(ROOT, FILES, List.of()), copy -> {
            attempts.add(copy.getPath());
            return attempts.stream().filter(copy.getPath()::equals).count() == 1 && copy.getPath().startsWith("dir/")
                    ? Reply.failure("java.io.UncheckedIOException", "timeout")
                    : Reply.of(FileOutcome.done(copy.getPath(), sizeOf(copy.getPath())));
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(TOTAL, Long.parseLong(done.getResult().getValue()));
        assertEquals(FILES.size() + 2, attempts.size());
    }

    @Test
    void run_fileVanishedAndEntryUnreadable_completesAndReportsBoth() {
        JobPlan listing = JobPlan.of(ROOT, FILES, List.of(new FileProblem("secret", "not readable")));
        CompleteOrchestrationAction done = runToEnd(REQUEST, listing, copy -> Reply.of(copy.getPath().equals("a.txt")
                ? FileOutcome.notDone("a.txt", "vanished since it was listed")
                : FileOutcome.done(copy.getPath(), sizeOf(copy.getPath()))));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(TOTAL - 10, Long.parseLong(done.getResult().getValue()));
        JobProgress summary = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, summary.getPhase());
        assertEquals(3, summary.getFilesDone());
        assertEquals(2, summary.getProblemCount());
        assertEquals(List.of("secret", "a.txt"), summary.getProblems().stream().map(FileProblem::getPath).toList());
        assertEquals(List.of("a.txt"), replay.recorded().stream().map(FileProblem::getPath).toList(),
                "the copy's problem goes to the report; the listing's was written by the listing");
    }

    @Test
    void run_listingRejected_endsPhaseFailedWithTheListingError() {
        CompleteOrchestrationAction done = runToEnd(REQUEST,
                JobPlan.rejected("rootDirectory '/data/site' does not exist"), copy -> null);

        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertEquals("Backup not started: rootDirectory '/data/site' does not exist", status.getMessage());
    }

    @Test
    void run_listingKeepsFailing_endsPhaseFailedNamingTheCause() {
        List<String> tries = new ArrayList<>();
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            tries.add(action.getScheduleTask().getName());
            return replay.taskFailed(action, "java.io.UncheckedIOException", "storage unreachable");
        });

        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
        assertEquals(RetrySchedule.MAX_ATTEMPTS, tries.size());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("storage unreachable"), status.getMessage());
    }

    @Test
    void run_noInput_endsPhaseFailedWithoutSchedulingAnything() {
        OrchestratorResponse response = replay.start(null);

        assertEquals(1, response.getActionsCount());
        assertTrue(response.getActions(0).hasCompleteOrchestration());
        assertEquals(JobProgress.Phase.FAILED, replay.lastStatus(JobProgress.class).getPhase());
    }

    @Test
    void run_dryRun_completesWithZeroAndThePlanWithoutCopying() {
        BackupRequest dryRun = new BackupRequest(ROOT, "backups", "data/site", null, null, true, false, null);
        CompleteOrchestrationAction done = runToEnd(dryRun, JobPlan.of(ROOT, FILES, List.of()),
                copy -> { throw new AssertionError("a dry run copies nothing"); });

        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
        JobProgress summary = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.DRY_RUN_COMPLETED, summary.getPhase());
        assertEquals(FILES.size(), summary.getFilesPlanned());
        assertEquals(TOTAL, summary.getBytesPlanned());
    }

    @Test
    void run_replayOfWholeFinalHistory_schedulesNothingNewAndCompletesTheSame() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, JobPlan.of(ROOT, FILES, List.of()),
                copy -> Reply.of(FileOutcome.done(copy.getPath(), sizeOf(copy.getPath()))));

        OrchestratorResponse again = replay.replayAll();

        // The history records no completion event (completion is an action), so the engine reports the
        // completion again; anything else would be a new, non-deterministic action.
        assertEquals(1, again.getActionsCount(), again.getActionsList().toString());
        assertEquals(done, again.getActions(0).getCompleteOrchestration());
    }

    @Test
    void run_largeTreeInManifest_copiesSlicesInSubOrchestrationsAtMostEightAtATime() {
        JobPlan large = new JobPlan(ROOT, List.of(), "m-1", 11, 5_500, 11_000, 0, 0, 0, List.of(), null);
        OrchestratorAction list = replay.start(REQUEST).getActions(0);

        List<OrchestratorAction> firstWave = replay.episode(replay.taskCompleted(list, large)).getActionsList();

        assertEquals(FanOut.MAX_SLICES_IN_FLIGHT, firstWave.size());
        for (int i = 0; i < firstWave.size(); i++) {
            assertEquals(BackupSlice.NAME, firstWave.get(i).getCreateSubOrchestration().getName());
            assertEquals("instance-1:" + Replay.START.toEpochMilli() + ":" + i,
                    firstWave.get(i).getCreateSubOrchestration().getInstanceId());
            SliceRequest slice = inputOf(firstWave.get(i), SliceRequest.class);
            assertEquals(i, slice.getIndex());
            assertEquals("m-1", slice.getManifest());
            assertEquals(ROOT, slice.getDirectory());
            assertEquals("backups", slice.getContainer());
            assertEquals("data/site", slice.getBlobPrefix());
        }

        List<Long> bytesDone = new ArrayList<>();
        List<OrchestratorAction> pending = new ArrayList<>(firstWave);
        CompleteOrchestrationAction done = null;
        while (done == null) {
            OrchestratorAction next = pending.remove(0);
            OrchestratorResponse response = replay.episode(next.hasScheduleTask()
                    ? replay.taskCompleted(next, sealed(inputOf(next, SealRequest.class)))
                    : replay.subOrchestrationCompleted(next, FanOutSummary.of(500, 1_000, List.of(), List.of())));
            for (OrchestratorAction action : response.getActionsList()) {
                if (action.hasCompleteOrchestration()) {
                    done = action.getCompleteOrchestration();
                } else {
                    pending.add(action);
                }
            }
            assertTrue(pending.size() <= FanOut.MAX_SLICES_IN_FLIGHT);
            if (done == null) {
                bytesDone.add(replay.lastStatus(JobProgress.class).getBytesDone());
            }
        }

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(11_000L, Long.parseLong(done.getResult().getValue()));
        assertEquals(List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L, 7_000L, 8_000L, 9_000L, 10_000L, 11_000L),
                bytesDone, "the custom status moves as each slice finishes (the last while the snapshot is sealed)");
        JobProgress summary = replay.lastStatus(JobProgress.class);
        assertEquals(5_500, summary.getFilesDone());
        assertEquals(JobProgress.Phase.COMPLETED, summary.getPhase());
    }

    @Test
    void run_sliceFailsAsAWhole_endsPhaseFailedNamingTheSlice() {
        JobPlan large = new JobPlan(ROOT, List.of(), "m-2", 2, 600, 600, 0, 0, 0, List.of(), null);
        OrchestratorAction list = replay.start(REQUEST).getActions(0);
        List<OrchestratorAction> children = replay.episode(replay.taskCompleted(list, large)).getActionsList();

        replay.episode(replay.subOrchestrationCompleted(children.get(0), FanOutSummary.of(500, 500, List.of(), List.of())));
        OrchestratorResponse recordFailure = replay.episode(replay.subOrchestrationFailed(children.get(1),
                "java.io.UncheckedIOException", "manifest unreadable"));
        OrchestratorAction record = recordFailure.getActions(0);
        assertEquals(RecordProblems.NAME, record.getScheduleTask().getName());
        OrchestratorAction seal = replay.episode(replay.taskCompleted(record, 1)).getActions(0);
        assertEquals(SealSnapshot.NAME, seal.getScheduleTask().getName());
        OrchestratorResponse last = replay.episode(replay.taskCompleted(seal, sealed(inputOf(seal, SealRequest.class))));

        CompleteOrchestrationAction done = last.getActions(0).getCompleteOrchestration();
        assertEquals(500L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        String message = status.getMessage();
        assertTrue(message.contains("slice 1 of manifest m-2"), message);
        assertTrue(message.contains("manifest unreadable"), message);
    }

    @Test
    void run_allCopiesSucceed_logsOneSucceededEventAndNoneOnReplay() {
        runToEnd(REQUEST, JobPlan.of(ROOT, FILES, List.of()),
                copy -> Reply.of(FileOutcome.done(copy.getPath(), sizeOf(copy.getPath()))));
        replay.replayAll();

        JsonNode event = CompletionEvents.only(context);
        assertEquals("backup", event.get("kind").asText());
        assertTrue(event.get("job").isNull(), "not a scheduled job");
        assertEquals("instance-1", event.get("instance").asText());
        assertEquals("Succeeded", event.get("outcome").asText());
        assertEquals(FILES.size(), event.get("files").asLong());
        assertEquals(TOTAL, event.get("bytes").asLong());
        assertEquals(0, event.get("durationMs").asLong(), "no timer fired: the run took no orchestration time");
        assertEquals(Level.INFO, context.records().stream()
                .filter(r -> r.getMessage().startsWith(CompletionEvents.PREFIX)).findFirst().orElseThrow().getLevel());
    }

    @Test
    void run_copyKeepsFailing_logsOneFailedEventWithTheReasonAndTheRetriesInItsDuration() {
        runToEnd(REQUEST, JobPlan.of(ROOT, FILES, List.of()), copy -> copy.getPath().equals("a.txt")
                ? Reply.failure("java.io.UncheckedIOException", "ServerBusy")
                : Reply.of(FileOutcome.done(copy.getPath(), sizeOf(copy.getPath()))));

        JsonNode event = CompletionEvents.only(context);
        assertEquals("Failed", event.get("outcome").asText());
        assertEquals(replay.lastStatus(JobProgress.class).getMessage(), event.get("reason").asText());
        assertEquals(FILES.size() - 1, event.get("files").asLong());
        long waited = 0;
        for (int attempt = 2; attempt <= RetrySchedule.MAX_ATTEMPTS; attempt++) {
            waited += RetrySchedule.delayBefore(attempt).toMillis() + 1; // each timer fires 1 ms late in Replay
        }
        assertEquals(waited, event.get("durationMs").asLong(), "from the first line to the end, in orchestration time");
    }

    @Test
    void run_listingRejected_logsOneFailedEvent() {
        runToEnd(REQUEST, JobPlan.rejected("rootDirectory '/data/site' does not exist"), copy -> null);

        JsonNode event = CompletionEvents.only(context);
        assertEquals("Failed", event.get("outcome").asText());
        assertEquals("Backup not started: rootDirectory '/data/site' does not exist", event.get("reason").asText());
    }

    @Test
    void run_scheduledJobsInstance_eventNamesTheJob() {
        Replay job = new Replay(BackupSiteContent.NAME, "job-nightly",
                (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, context));
        job.runToEnd(job.start(REQUEST).getActionsList(), action -> action.getScheduleTask().getName().equals(GetFileList.NAME)
                ? job.taskCompleted(action, JobPlan.of(ROOT, FILES, List.of(new FileProblem("secret", "not readable"))))
                : action.getScheduleTask().getName().equals(SealSnapshot.NAME)
                ? job.taskCompleted(action, sealed(inputOf(action, SealRequest.class)))
                : job.taskCompleted(action, FileOutcome.done(inputOf(action, CopyRequest.class).getPath(), 1)));

        JsonNode event = CompletionEvents.only(context);
        assertEquals("nightly", event.get("job").asText());
        assertEquals("job-nightly", event.get("instance").asText());
        assertEquals("CompletedWithProblems", event.get("outcome").asText());
        assertEquals(1, event.get("problems").asLong());
    }

    @Test
    void run_sameInstanceLaterRun_slicesGetOtherInstanceIds() {
        JobPlan large = new JobPlan(ROOT, List.of(), "m-1", 2, 600, 600, 0, 0, 0, List.of(), null);
        List<String> firstRun = replay.episode(replay.taskCompleted(replay.start(REQUEST).getActions(0), large))
                .getActionsList().stream().map(a -> a.getCreateSubOrchestration().getInstanceId()).toList();

        // The same instance id run again later: here its listing fails once, so its slices start after a timer.
        Replay again = new Replay(BackupSiteContent.NAME, "instance-1",
                (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, context));
        OrchestratorAction list = again.start(REQUEST).getActions(0);
        OrchestratorAction timer = again.episode(again.taskFailed(list, "java.io.UncheckedIOException", "timeout")).getActions(0);
        OrchestratorAction retry = again.episode(again.timerFired(timer)).getActions(0);
        List<String> secondRun = again.episode(again.taskCompleted(retry, large)).getActionsList().stream()
                .map(a -> a.getCreateSubOrchestration().getInstanceId()).toList();

        assertEquals(2, firstRun.size());
        assertEquals(2, secondRun.size());
        assertTrue(firstRun.stream().noneMatch(secondRun::contains), firstRun + " and " + secondRun);
        assertTrue(secondRun.stream().allMatch(id -> id.startsWith("instance-1:")), secondRun.toString());
    }

    /** What a scripted activity answers: a result, or a failure. */
    private record Reply(Object result, String errorType, String message) {
        static Reply of(Object result) {
            return new Reply(result, null, null);
        }

        static Reply failure(String errorType, String message) {
            return new Reply(null, errorType, message);
        }
    }

    /** What the seal answers for {@code request}: the snapshot of its run. */
    private static SnapshotInfo sealed(SealRequest request) {
        return new SnapshotInfo(request.getRun(), request.getContainer(), request.getBlobPrefix(),
                request.getRootDirectory(), request.getInstanceId(), request.getRun(), request.getCompleted(),
                1, 0, 0, 1, 0);
    }

    private static long sizeOf(String path) {
        return FILES.stream().filter(f -> f.getPath().equals(path)).findFirst().orElseThrow().getSize();
    }

    /**
     * Runs the instance to its end: GetFileList answers {@code listing}, each copy what {@code copies} says.
     */
    private CompleteOrchestrationAction runToEnd(BackupRequest input, JobPlan listing, Function<CopyRequest, Reply> copies) {
        return replay.runToEnd(replay.start(input).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            Reply reply = name.equals(GetFileList.NAME) ? Reply.of(listing)
                    : name.equals(SealSnapshot.NAME) ? Reply.of(sealed(inputOf(action, SealRequest.class)))
                    : copies.apply(inputOf(action, CopyRequest.class));
            return reply.result() != null ? replay.taskCompleted(action, reply.result())
                    : replay.taskFailed(action, reply.errorType(), reply.message());
        });
    }
}
