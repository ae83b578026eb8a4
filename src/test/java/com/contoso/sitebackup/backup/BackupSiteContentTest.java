package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.BatchGroup;
import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.GroupRequest;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemRecord;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.RecordProblems;
import com.contoso.sitebackup.durable.RetrySchedule;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Replay tests: the orchestrator runs in the SDK's own replay engine, fed protobuf histories episode by episode as
 * the extension would feed them (see {@link Replay}). The activities are scripted: the listing answers a plan of
 * batches, each copy answers what a real batch would for the files its input names.
 */
class BackupSiteContentTest {
    private static final String ROOT = "/data/site";
    private static final String MANIFEST = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final BackupRequest REQUEST = BackupRequest.of(ROOT).withDefaults("backups")
            .withCodeVersion(CodeVersion.CURRENT);
    /** Two batches of two files. */
    private static final List<List<FileEntry>> BATCHES = List.of(
            List.of(new FileEntry("a.txt", 10, 1), new FileEntry("dir/b c.bin", 2_000, 2)),
            List.of(new FileEntry("dir/ü/ñ.txt", 0, 3), new FileEntry("z/huge", 5_000_000_000L, 4)));
    private static final long TOTAL = 5_000_002_010L;
    private static final JobPlan PLAN = plan(List.of());

    private final RecordingContext context = new RecordingContext(BackupSiteContent.NAME);
    private final Replay replay = new Replay(BackupSiteContent.NAME, "instance-1",
            (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, context));

    private static JobPlan plan(List<FileProblem> problems) {
        return new JobPlan(ROOT, MANIFEST, BATCHES.size(), 4, TOTAL, 0, 0, problems.size(), problems, null, null);
    }

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
        assertEquals(SnapshotIds.of(Replay.START), input.getRun());
        assertEquals(CodeVersion.CURRENT, input.getCodeVersion());
        assertEquals("instance-1", input.getInstanceId(), "the listing names the run's snapshot after its orchestration");
    }

    /** A listing that found nothing to copy seals the run itself: no copy, no seal of the orchestrator's own. */
    @Test
    void run_listingSealedTheRun_completesInTheNextEpisodeNamingItsSnapshot() {
        OrchestratorAction list = replay.start(REQUEST).getActions(0);
        JobPlan sealedByListing = new JobPlan(ROOT, MANIFEST, 0, 0, 0, 12, 3400, 0, List.of(), null,
                "20261206T010203.004Z");

        List<OrchestratorAction> actions = replay.episode(replay.taskCompleted(list, sealedByListing)).getActionsList();

        assertEquals(1, actions.size(), actions.toString());
        CompleteOrchestrationAction done = actions.get(0).getCompleteOrchestration();
        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase());
        assertEquals("20261206T010203.004Z", status.getSnapshot());
        assertEquals(12, status.getFilesUnchanged());
    }

    /** One activity per batch, all in one episode, each input a few hundred bytes naming its batch. */
    @Test
    void run_listingCompleted_schedulesOneCopyPerBatchInOneEpisode() {
        OrchestratorAction list = replay.start(REQUEST).getActions(0);

        OrchestratorResponse response = replay.episode(replay.taskCompleted(list, PLAN));

        List<OrchestratorAction> copies = response.getActionsList();
        assertEquals(BATCHES.size(), copies.size());
        for (int i = 0; i < copies.size(); i++) {
            assertEquals(CopyFileToBlob.NAME, copies.get(i).getScheduleTask().getName());
            BatchWork work = inputOf(copies.get(i), BatchWork.class);
            assertEquals(new BatchWork(CodeVersion.CURRENT, MANIFEST, List.of(new BatchWork.Part(i, null)), 1, false),
                    work);
            assertTrue(copies.get(i).getScheduleTask().getInput().getValue().length() < 200,
                    copies.get(i).getScheduleTask().getInput().getValue());
        }
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COPYING, status.getPhase());
        assertEquals(4, status.getFilesPlanned());
        assertEquals(TOTAL, status.getBytesPlanned());
    }

    @Test
    void run_allCopiesSucceed_completesWithExactSumOfBytes() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, PLAN, (file, work) -> Fate.DONE);

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(TOTAL, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase());
        assertEquals(4, status.getFilesDone());
        assertEquals(SnapshotIds.of(Replay.START), status.getSnapshot());
    }

    @Test
    void run_copiesDone_sealsTheRunsSnapshotOnce() {
        List<SealRequest> seals = new ArrayList<>();
        runToEnd(REQUEST, PLAN, (file, work) -> Fate.DONE, seal -> {
            seals.add(seal);
            return sealed(0);
        });

        assertEquals(List.of(new SealRequest(CodeVersion.CURRENT, MANIFEST, "instance-1",
                Replay.START.toString())), seals, "one seal, after every copy, naming the manifest and the instance");
    }

    @Test
    void run_sealFails_failedSayingTheSnapshotWasNotWritten() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            return name.equals(GetFileList.NAME) ? replay.taskCompleted(action, PLAN)
                    : name.equals(SealSnapshot.NAME)
                    ? replay.taskFailed(action, "IllegalArgumentException", "manifest x is not a backup run's")
                    : replay.taskCompleted(action, outcome(inputOf(action, BatchWork.class), (f, w) -> Fate.DONE));
        });

        assertEquals(TOTAL, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertNull(status.getSnapshot());
        assertTrue(status.getMessage().contains("snapshot could not be written: SealSnapshot failed after 1 attempt(s):"
                + " manifest x is not a backup run's"), status.getMessage());
    }

    /** A snapshot that lacks entries the run did not report (its copies went elsewhere): never COMPLETED. */
    @Test
    void run_sealFindsEntriesMissingThatNoCopyReported_failed() {
        runToEnd(REQUEST, PLAN, (file, work) -> Fate.DONE, seal -> sealed(2));

        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("lacks 2 entries, more than the 0 the run reported"),
                status.getMessage());
    }

    /** Entries the listing could not take (a FIFO) are in the snapshot as missing: COMPLETED_WITH_PROBLEMS. */
    @Test
    void run_sealRecordsTheListingsProblemsAsMissing_completedWithProblems() {
        runToEnd(REQUEST, plan(List.of(new FileProblem("pipe", "not a regular file or folder"))),
                (file, work) -> Fate.DONE, seal -> sealed(1));

        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, replay.lastStatus(JobProgress.class).getPhase());
    }

    @Test
    void run_emptyTree_completesWithZeroWithoutACopy() {
        JobPlan empty = new JobPlan(ROOT, MANIFEST, 0, 0, 0, 0, 0, 0, List.of(), null, null);
        CompleteOrchestrationAction done = runToEnd(REQUEST, empty, (file, work) -> {
            throw new AssertionError("nothing to copy");
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
    }

    /**
     * A file that keeps failing is handed back each round (regrouped with the others' failures), and on the last
     * attempt the activity counts it as a failure itself; the batch's other files are copied once.
     */
    @Test
    void run_copyKeepsFailing_retriedInRoundsThenFailedNamingTheFile() {
        Map<String, Integer> attempts = new HashMap<>();
        CompleteOrchestrationAction done = runToEnd(REQUEST, PLAN, (file, work) -> {
            attempts.merge(file.getPath(), 1, Integer::sum);
            return file.getPath().equals("dir/b c.bin") ? Fate.TRANSIENT : Fate.DONE;
        });

        assertEquals(TOTAL - 2_000, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertEquals(1, status.getFailureCount());
        String message = status.getMessage();
        assertTrue(message.contains("1 of 4 files could not be copied"), message);
        assertTrue(message.contains("dir/b c.bin"), message);
        assertTrue(message.contains(ProblemReport.nameFor("instance-1", Replay.START)), message);
        assertEquals(RetrySchedule.MAX_ATTEMPTS, attempts.get("dir/b c.bin"));
        assertEquals(1, attempts.get("a.txt"));
        assertEquals(List.of(), replay.recorded(), "the activity wrote the failure to the report itself");
    }

    /** Retry rounds send only the files that failed, regrouped: here one input naming one position. */
    @Test
    void run_copyFailsOnceThenSucceeds_theRetryNamesOnlyThatFile() {
        List<BatchWork> inputs = new ArrayList<>();
        Map<String, Integer> attempts = new HashMap<>();
        CompleteOrchestrationAction done = runToEnd(REQUEST, PLAN, (file, work) -> {
            if (!inputs.contains(work)) {
                inputs.add(work);
            }
            return attempts.merge(file.getPath(), 1, Integer::sum) == 1 && file.getPath().startsWith("dir/")
                    ? Fate.TRANSIENT : Fate.DONE;
        });

        assertEquals(TOTAL, Long.parseLong(done.getResult().getValue()));
        assertEquals(3, inputs.size(), inputs.toString());
        assertEquals(List.of(new BatchWork.Part(0, List.of(1)), new BatchWork.Part(1, List.of(0))),
                inputs.get(2).parts(), "both failed files, regrouped into one input");
        assertEquals(2, inputs.get(2).attempt());
        assertEquals(JobProgress.Phase.COMPLETED, replay.lastStatus(JobProgress.class).getPhase());
    }

    /** An input whose activity fails as a whole (the worker died) is retried whole; after every attempt, recorded. */
    @Test
    void run_batchActivityKeepsFailingAsAWhole_eachOfItsFilesRecordedAsAFailure() {
        List<Integer> tries = new ArrayList<>();
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            if (name.equals(GetFileList.NAME)) {
                return replay.taskCompleted(action, PLAN);
            }
            if (name.equals(SealSnapshot.NAME)) {
                return replay.taskCompleted(action, sealed(0));
            }
            BatchWork work = inputOf(action, BatchWork.class);
            if (work.parts().get(0).batch() == 1) {
                tries.add(work.attempt());
                return replay.taskFailed(action, "WorkerCrashedException", "the worker process exited");
            }
            return replay.taskCompleted(action, outcome(work, (f, w) -> Fate.DONE));
        });

        assertEquals(2_010L, Long.parseLong(done.getResult().getValue()));
        assertEquals(List.of(1, 2, 3, 4, 5), tries);
        assertEquals(List.of(new ProblemRecord(CodeVersion.CURRENT, MANIFEST, List.of(new BatchWork.Part(1, null)),
                null, "CopyFileToBlob failed: the worker process exited (attempt 5)")), replay.recorded());
        assertEquals(JobProgress.Phase.FAILED, replay.lastStatus(JobProgress.class).getPhase());
    }

    /**
     * Issue 24, item 6: a run whose problem report cannot be written (a batch's own lines, or RecordProblems failing
     * every attempt) still seals its snapshot and ends with a message that says so, never the generic one.
     */
    @Test
    void run_reportCannotBeWritten_stillSealsAndSaysSo() {
        replay.withFailingReport();
        List<SealRequest> seals = new ArrayList<>();
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(REQUEST).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            if (name.equals(GetFileList.NAME)) {
                return replay.taskCompleted(action, PLAN);
            }
            if (name.equals(SealSnapshot.NAME)) {
                seals.add(inputOf(action, SealRequest.class));
                return replay.taskCompleted(action, sealed(0));
            }
            BatchWork work = inputOf(action, BatchWork.class);
            if (work.parts().get(0).batch() == 1) {
                return replay.taskFailed(action, "WorkerCrashedException", "the worker process exited");
            }
            BatchOutcome vanished = outcome(work, (f, w) -> f.getPath().equals("a.txt") ? Fate.VANISHED : Fate.DONE);
            return replay.taskCompleted(action, new BatchOutcome(vanished.filesDone(), vanished.bytesDone(),
                    vanished.problemCount(), 0, 0, vanished.problems(), List.of(), List.of(), null, false, true));
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(1, seals.size(), "the snapshot is sealed all the same");
        assertEquals(RetrySchedule.MAX_ATTEMPTS, replay.recorded().size(), "RecordProblems tried every attempt");
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertEquals(SnapshotIds.of(Replay.START), status.getSnapshot());
        assertTrue(status.getMessage().contains("the report could not name each file"), status.getMessage());
        assertTrue(status.getMessage().contains("some problems could not be written to the report"), status.getMessage());
    }

    /** A refusal (IllegalArgumentException), however the host names its class, is not retried. */
    @Test
    void run_batchRefusedBySimpleOrFullClassName_notRetried() {
        for (String errorType : List.of("IllegalArgumentException", "java.lang.IllegalArgumentException")) {
            Replay run = new Replay(BackupSiteContent.NAME, "instance-" + errorType,
                    (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, context));
            List<Integer> tries = new ArrayList<>();
            run.runToEnd(run.start(REQUEST).getActionsList(), action -> {
                String name = action.getScheduleTask().getName();
                if (name.equals(GetFileList.NAME)) {
                    return run.taskCompleted(action, PLAN);
                }
                if (name.equals(SealSnapshot.NAME)) {
                    return run.taskCompleted(action, sealed(0));
                }
                tries.add(inputOf(action, BatchWork.class).attempt());
                return run.taskFailed(action, errorType, "refused");
            });
            assertEquals(List.of(1, 1), tries, errorType);
        }
    }

    @Test
    void run_fileVanishedAndEntryUnreadable_completesWithProblemsNamingBoth() {
        CompleteOrchestrationAction done = runToEnd(REQUEST,
                plan(List.of(new FileProblem("secret", "not readable"))),
                (file, work) -> file.getPath().equals("a.txt") ? Fate.VANISHED : Fate.DONE, seal -> sealed(1));

        assertEquals(TOTAL - 10, Long.parseLong(done.getResult().getValue()));
        JobProgress summary = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, summary.getPhase());
        assertEquals(3, summary.getFilesDone());
        assertEquals(2, summary.getProblemCount());
        assertEquals(List.of("secret", "a.txt"), summary.getProblems().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_listingRejected_endsPhaseFailedWithTheListingError() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, JobPlan.rejected("rootDirectory '/data/site' does not exist"),
                (file, work) -> Fate.DONE);

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

    /** An input of the wrong shape (Durable's HTTP API takes any JSON): FAILED naming the field. */
    @Test
    void run_inputOfTheWrongShape_failedNamingTheField() {
        replay.start(java.util.Map.of("rootDirectory", 7, "codeVersion", CodeVersion.CURRENT));

        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("the input of BackupSiteContent is not a BackupRequest: field"
                + " 'rootDirectory'"), status.getMessage());
    }

    /**
     * Issue 24: a history started by other code (version 1) replayed by this code: it fails at once, naming both
     * versions, instead of feeding the old actions' results to new ones.
     */
    @Test
    void run_historyOfAnotherCodeVersion_failsNamingBothVersions() {
        BackupRequest old = REQUEST.withCodeVersion(CodeVersion.CURRENT - 1);

        OrchestratorResponse response = replay.start(old);

        assertEquals(1, response.getActionsCount(), "nothing scheduled");
        assertTrue(response.getActions(0).hasCompleteOrchestration());
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("started by code version " + (CodeVersion.CURRENT - 1)
                + " and cannot run on code version " + CodeVersion.CURRENT), status.getMessage());
    }

    @Test
    void run_dryRun_completesWithZeroAndThePlanWithoutCopying() {
        BackupRequest dryRun = new BackupRequest(ROOT, "backups", "data/site", null, null, true, false, null)
                .withCodeVersion(CodeVersion.CURRENT);
        CompleteOrchestrationAction done = runToEnd(dryRun, PLAN, (file, work) -> {
            throw new AssertionError("a dry run copies nothing");
        });

        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
        JobProgress summary = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.DRY_RUN_COMPLETED, summary.getPhase());
        assertEquals(4, summary.getFilesPlanned());
        assertEquals(TOTAL, summary.getBytesPlanned());
    }

    @Test
    void run_replayOfWholeFinalHistory_schedulesNothingNewAndCompletesTheSame() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, PLAN, (file, work) -> Fate.DONE);

        OrchestratorResponse again = replay.replayAll();

        assertEquals(1, again.getActionsCount(), again.getActionsList().toString());
        assertEquals(done, again.getActions(0).getCompleteOrchestration());
    }

    /** Above one group of batches: groups as sub-orchestrations, at most four at once, the status moving per group. */
    @Test
    void run_largeTree_groupsOfBatchesAsSubOrchestrationsAtMostFourAtATime() {
        int batches = FanOut.GROUP_BATCHES * 5 + 3;
        JobPlan large = new JobPlan(ROOT, MANIFEST, batches, batches * 256L, batches * 2_560L, 0, 0, 0, List.of(),
                null, null);
        OrchestratorAction list = replay.start(REQUEST).getActions(0);

        List<OrchestratorAction> firstWave = replay.episode(replay.taskCompleted(list, large)).getActionsList();

        assertEquals(FanOut.GROUPS_IN_FLIGHT, firstWave.size());
        for (int i = 0; i < firstWave.size(); i++) {
            assertEquals(BatchGroup.NAME, firstWave.get(i).getCreateSubOrchestration().getName());
            assertEquals("instance-1:" + Replay.START.toEpochMilli() + ":g" + i * FanOut.GROUP_BATCHES,
                    firstWave.get(i).getCreateSubOrchestration().getInstanceId());
            assertEquals(new GroupRequest(CodeVersion.CURRENT, CopyFileToBlob.NAME, MANIFEST, i * FanOut.GROUP_BATCHES,
                    (i + 1) * FanOut.GROUP_BATCHES), inputOf(firstWave.get(i), GroupRequest.class));
        }

        List<Long> bytesDone = new ArrayList<>();
        List<OrchestratorAction> pending = new ArrayList<>(firstWave);
        CompleteOrchestrationAction done = null;
        while (done == null) {
            OrchestratorAction next = pending.remove(0);
            OrchestratorResponse response;
            if (next.hasScheduleTask()) {
                response = replay.episode(replay.taskCompleted(next, sealed(0)));
            } else {
                GroupRequest group = inputOf(next, GroupRequest.class);
                long count = (group.to() - group.from()) * 256L;
                response = replay.episode(replay.subOrchestrationCompleted(next,
                        new FanOutSummary(count, count * 10, 0, 0, 0, List.of(), List.of(), false)));
            }
            for (OrchestratorAction action : response.getActionsList()) {
                if (action.hasCompleteOrchestration()) {
                    done = action.getCompleteOrchestration();
                } else {
                    pending.add(action);
                }
            }
            assertTrue(pending.size() <= FanOut.GROUPS_IN_FLIGHT);
            if (done == null) {
                bytesDone.add(replay.lastStatus(JobProgress.class).getBytesDone());
            }
        }

        assertEquals(batches * 2_560L, Long.parseLong(done.getResult().getValue()));
        assertEquals(6, bytesDone.size(), "the status moves as each of the 6 groups finishes");
        assertEquals(batches * 256L, replay.lastStatus(JobProgress.class).getFilesDone());
        assertEquals(JobProgress.Phase.COMPLETED, replay.lastStatus(JobProgress.class).getPhase());
    }

    @Test
    void run_groupFailsAsAWhole_itsBatchesRecordedAndThePhaseFailed() {
        int batches = FanOut.GROUP_BATCHES + 1;
        JobPlan large = new JobPlan(ROOT, MANIFEST, batches, 600, 600, 0, 0, 0, List.of(), null, null);
        OrchestratorAction list = replay.start(REQUEST).getActions(0);
        List<OrchestratorAction> groups = replay.episode(replay.taskCompleted(list, large)).getActionsList();

        replay.episode(replay.subOrchestrationCompleted(groups.get(0),
                new FanOutSummary(500, 500, 0, 0, 0, List.of(), List.of(), false)));
        OrchestratorAction record = replay.episode(replay.subOrchestrationFailed(groups.get(1),
                "java.lang.IllegalStateException", "Unexpected failure in the task execution")).getActions(0);
        assertEquals(RecordProblems.NAME, record.getScheduleTask().getName());
        assertEquals(List.of(new BatchWork.Part(FanOut.GROUP_BATCHES, null)),
                inputOf(record, ProblemRecord.class).parts());
        OrchestratorAction seal = replay.episode(replay.taskCompleted(record, 100L)).getActions(0);
        assertEquals(SealSnapshot.NAME, seal.getScheduleTask().getName());
        CompleteOrchestrationAction done = replay.episode(replay.taskCompleted(seal, sealed(0)))
                .getActions(0).getCompleteOrchestration();

        assertEquals(500L, Long.parseLong(done.getResult().getValue()));
        JobProgress status = replay.lastStatus(JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertEquals(100, status.getFailureCount(), "each file of the group's batches, as the record counted them");
        assertTrue(status.getMessage().contains("batch " + FanOut.GROUP_BATCHES + " of manifest " + MANIFEST),
                status.getMessage());
    }

    /**
     * Issue 24, item 1: a result of the wrong shape (a field of the wrong JSON type), for each result this
     * orchestrator reads: the instance ends, and its status names the function and the field.
     */
    @Test
    void run_eachResultOfTheWrongShape_theInstanceEndsNamingTheFunctionAndTheField() {
        String[][] cases = {
                {GetFileList.NAME, "{\"batchCount\":\"many\"}", "the result of GetFileList is not a JobPlan: field 'batchCount'"},
                {CopyFileToBlob.NAME, "{\"filesDone\":[1]}", "the result of CopyFileToBlob is not a BatchOutcome: field 'filesDone'"},
                {SealSnapshot.NAME, "{\"files\":true}", "the result of SealSnapshot is not a SnapshotInfo: field 'files'"},
        };
        for (String[] c : cases) {
            Replay run = new Replay(BackupSiteContent.NAME, "shape-" + c[0],
                    (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, context));
            CompleteOrchestrationAction done = run.runToEnd(run.start(REQUEST).getActionsList(), action -> {
                String name = action.getScheduleTask().getName();
                if (name.equals(c[0])) {
                    return run.taskCompletedRaw(action, c[1]);
                }
                return name.equals(GetFileList.NAME) ? run.taskCompleted(action, PLAN)
                        : name.equals(SealSnapshot.NAME) ? run.taskCompleted(action, sealed(0))
                        : run.taskCompleted(action, outcome(inputOf(action, BatchWork.class), (f, w) -> Fate.DONE));
            });
            assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus(), c[0]);
            String status = run.lastStatus(JsonNode.class).toString();
            assertTrue(status.contains("\"phase\":\"FAILED\""), c[0] + ": " + status);
            assertTrue(status.contains(c[2]), c[0] + ": " + status);
        }
    }

    @Test
    void run_allCopiesSucceed_logsOneSucceededEventAndNoneOnReplay() {
        runToEnd(REQUEST, PLAN, (file, work) -> Fate.DONE);
        replay.replayAll();

        JsonNode event = CompletionEvents.only(context);
        assertEquals("backup", event.get("kind").asText());
        assertTrue(event.get("job").isNull(), "not a scheduled job");
        assertEquals("instance-1", event.get("instance").asText());
        assertEquals("Succeeded", event.get("outcome").asText());
        assertEquals(4, event.get("files").asLong());
        assertEquals(TOTAL, event.get("bytes").asLong());
        assertEquals(0, event.get("durationMs").asLong(), "no timer fired: the run took no orchestration time");
        assertEquals(Level.INFO, context.records().stream()
                .filter(r -> r.getMessage().startsWith(CompletionEvents.PREFIX)).findFirst().orElseThrow().getLevel());
    }

    @Test
    void run_copyKeepsFailing_logsOneFailedEventWithTheReasonAndTheRetriesInItsDuration() {
        runToEnd(REQUEST, PLAN, (file, work) -> file.getPath().equals("a.txt") ? Fate.TRANSIENT : Fate.DONE);

        JsonNode event = CompletionEvents.only(context);
        assertEquals("Failed", event.get("outcome").asText());
        assertEquals(replay.lastStatus(JobProgress.class).getMessage(), event.get("reason").asText());
        assertEquals(3, event.get("files").asLong());
        long waited = 0;
        for (int attempt = 2; attempt <= RetrySchedule.MAX_ATTEMPTS; attempt++) {
            waited += RetrySchedule.delayBefore(attempt).toMillis() + 1; // each timer fires 1 ms late in Replay
        }
        assertEquals(waited, event.get("durationMs").asLong(), "from the first line to the end, in orchestration time");
    }

    @Test
    void run_scheduledJobsInstance_eventNamesTheJob() {
        Replay job = new Replay(BackupSiteContent.NAME, "job-nightly",
                (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, context));
        job.runToEnd(job.start(REQUEST).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            return name.equals(GetFileList.NAME) ? job.taskCompleted(action, plan(List.of(new FileProblem("secret",
                    "not readable")))) : name.equals(SealSnapshot.NAME) ? job.taskCompleted(action, sealed(1))
                    : job.taskCompleted(action, outcome(inputOf(action, BatchWork.class), (f, w) -> Fate.DONE));
        });

        JsonNode event = CompletionEvents.only(context);
        assertEquals("nightly", event.get("job").asText());
        assertEquals("job-nightly", event.get("instance").asText());
        assertEquals("CompletedWithProblems", event.get("outcome").asText());
        assertEquals(1, event.get("problems").asLong());
    }

    @Test
    void run_sameInstanceLaterRun_groupsGetOtherInstanceIds() {
        JobPlan large = new JobPlan(ROOT, MANIFEST, FanOut.GROUP_BATCHES * 2, 600, 600, 0, 0, 0, List.of(), null, null);
        List<String> firstRun = replay.episode(replay.taskCompleted(replay.start(REQUEST).getActions(0), large))
                .getActionsList().stream().map(a -> a.getCreateSubOrchestration().getInstanceId()).toList();

        // The same instance id run again later: here its listing fails once, so its groups start after a timer.
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

    /** What becomes of one file in a scripted batch. */
    private enum Fate { DONE, VANISHED, TRANSIENT }

    /**
     * What a real batch activity answers for {@code work}: each file's fate from {@code fates}; a transient failure
     * handed back for the next round, or counted as a failure on the last attempt.
     */
    private static BatchOutcome outcome(BatchWork work, BiFunction<FileEntry, BatchWork, Fate> fates) {
        long done = 0;
        long bytes = 0;
        List<FileProblem> problems = new ArrayList<>();
        List<FileProblem> failures = new ArrayList<>();
        List<BatchWork.Part> retry = new ArrayList<>();
        for (BatchWork.Part part : work.parts()) {
            List<FileEntry> batch = BATCHES.get(part.batch());
            List<Integer> positions = part.isWhole() ? java.util.stream.IntStream.range(0, batch.size()).boxed().toList()
                    : part.positions();
            List<Integer> again = new ArrayList<>();
            for (int position : positions) {
                FileEntry file = batch.get(position);
                switch (fates.apply(file, work)) {
                    case DONE -> {
                        done++;
                        bytes += file.getSize();
                    }
                    case VANISHED -> problems.add(new FileProblem(file.getPath(), "vanished since it was listed"));
                    case TRANSIENT -> {
                        if (work.last()) {
                            failures.add(new FileProblem(file.getPath(), "failed after " + work.attempt()
                                    + " attempt(s): Status code 503, ServerBusy"));
                        } else {
                            again.add(position);
                        }
                    }
                }
            }
            if (!again.isEmpty()) {
                retry.add(new BatchWork.Part(part.batch(), again));
            }
        }
        return new BatchOutcome(done, bytes, problems.size(), 0, failures.size(), problems, failures, retry, null,
                false, false);
    }

    /** The seal's answer: the run's snapshot, {@code missing} entries without content. */
    private static SnapshotInfo sealed(long missing) {
        String run = SnapshotIds.of(Replay.START);
        return new SnapshotInfo(run, "backups", "data/site", ROOT, "instance-1", run, Replay.START.toString(), 4, 0, 0,
                TOTAL, missing);
    }

    private CompleteOrchestrationAction runToEnd(BackupRequest input, JobPlan listing,
                                                 BiFunction<FileEntry, BatchWork, Fate> fates) {
        return runToEnd(input, listing, fates, seal -> sealed(0));
    }

    /** Runs the instance to its end: GetFileList answers {@code listing}, each batch what {@code fates} says. */
    private CompleteOrchestrationAction runToEnd(BackupRequest input, JobPlan listing,
                                                 BiFunction<FileEntry, BatchWork, Fate> fates,
                                                 java.util.function.Function<SealRequest, SnapshotInfo> seal) {
        return replay.runToEnd(replay.start(input).getActionsList(), action -> {
            String name = action.getScheduleTask().getName();
            return name.equals(GetFileList.NAME) ? replay.taskCompleted(action, listing)
                    : name.equals(SealSnapshot.NAME) ? replay.taskCompleted(action,
                            seal.apply(inputOf(action, SealRequest.class)))
                    : replay.taskCompleted(action, outcome(inputOf(action, BatchWork.class), fates));
        });
    }
}
