package com.contoso.sitebackup.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupProgress;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.SliceRequest;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import com.microsoft.durabletask.DataConverter;
import com.microsoft.durabletask.JacksonDataConverter;
import com.microsoft.durabletask.OrchestrationRunner;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.ExecutionStartedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.HistoryEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationInstance;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorStartedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceCompletedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceCreatedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceFailedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskCompletedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailureDetails;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskScheduledEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TimerCreatedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TimerFiredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Replay tests: the orchestrator runs in the SDK's own replay engine ({@link OrchestrationRunner#loadAndRun},
 * what the Functions middleware calls for a Java worker), fed protobuf histories built here episode by
 * episode, as the extension would feed them.
 */
class BackupSiteContentTest {
    private static final DataConverter JSON = new JacksonDataConverter();
    private static final String ROOT = "/data/site";
    private static final BackupRequest REQUEST = BackupRequest.of(ROOT).withDefaults("backups");
    private static final List<FileEntry> FILES = List.of(
            new FileEntry("a.txt", 10, 1), new FileEntry("dir/b c.bin", 2_000, 2),
            new FileEntry("dir/ü/ñ.txt", 0, 3), new FileEntry("z/huge", 5_000_000_000L, 4));

    private final List<HistoryEvent> history = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private int nextEventId;

    @Test
    void run_firstEpisode_schedulesGetFileListOnly() {
        List<OrchestratorAction> actions = start(REQUEST).getActionsList();

        assertEquals(1, actions.size());
        assertEquals(GetFileList.NAME, actions.get(0).getScheduleTask().getName());
        BackupRequest input = JSON.deserialize(actions.get(0).getScheduleTask().getInput().getValue(), BackupRequest.class);
        assertEquals(ROOT, input.getRootDirectory());
        assertEquals("backups", input.getContainer());
        assertEquals("data/site", input.getBlobPrefix());
    }

    @Test
    void run_listingCompleted_schedulesEveryCopyInOneEpisode() {
        OrchestratorAction list = start(REQUEST).getActions(0);

        OrchestratorResponse response = complete(list, FileListing.of(ROOT, FILES, List.of()));

        List<OrchestratorAction> copies = response.getActionsList();
        assertEquals(FILES.size(), copies.size());
        for (int i = 0; i < FILES.size(); i++) {
            assertEquals(CopyFileToBlob.NAME, copies.get(i).getScheduleTask().getName());
            CopyRequest copy = JSON.deserialize(copies.get(i).getScheduleTask().getInput().getValue(), CopyRequest.class);
            assertEquals(FILES.get(i).getPath(), copy.getPath());
            assertEquals("data/site/" + FILES.get(i).getPath(), copy.getBlobName());
            assertEquals("backups", copy.getContainer());
            assertEquals(ROOT, copy.getRootDirectory());
        }
        assertEquals(FILES.size(), copies.stream().mapToInt(OrchestratorAction::getId).distinct().count());
        BackupProgress status = JSON.deserialize(response.getCustomStatus().getValue(), BackupProgress.class);
        assertEquals(BackupProgress.Phase.COPYING, status.getPhase());
        assertEquals(FILES.size(), status.getFilesPlanned());
        assertEquals(FILES.stream().mapToLong(FileEntry::getSize).sum(), status.getBytesPlanned());
    }

    @Test
    void run_allCopiesSucceed_completesWithExactSumOfBytes() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, FileListing.of(ROOT, FILES, List.of()),
                copy -> Reply.of(CopyResult.copied(copy.getPath(), sizeOf(copy.getPath()))));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(5_000_002_010L, Long.parseLong(done.getResult().getValue()));
    }

    @Test
    void run_emptyTree_completesWithZero() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, FileListing.of(ROOT, List.of(), List.of()),
                copy -> { throw new AssertionError("nothing to copy"); });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
    }

    @Test
    void run_copyKeepsFailing_failsNamingTheFileAfterRetries() {
        List<String> attempts = new ArrayList<>();
        CompleteOrchestrationAction done = runToEnd(REQUEST, FileListing.of(ROOT, FILES, List.of()), copy -> {
            attempts.add(copy.getPath());
            return copy.getPath().equals("dir/b c.bin")
                    ? Reply.failure("com.azure.storage.blob.models.BlobStorageException", "Status code 503, ServerBusy")
                    : Reply.of(CopyResult.copied(copy.getPath(), sizeOf(copy.getPath())));
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED, done.getOrchestrationStatus());
        String message = done.getFailureDetails().getErrorMessage();
        assertTrue(message.contains("1 of 4 files could not be copied"), message);
        assertTrue(message.contains("dir/b c.bin"), message);
        assertTrue(message.contains("ServerBusy"), message);
        int maxAttempts = BackupSiteContent.ACTIVITY_RETRY.getRetryPolicy().getMaxNumberOfAttempts();
        assertEquals(maxAttempts, attempts.stream().filter("dir/b c.bin"::equals).count());
        assertEquals(1, attempts.stream().filter("a.txt"::equals).count());
    }

    @Test
    void run_copyFailsOnceThenSucceeds_completesAfterRetry() {
        List<String> attempts = new ArrayList<>();
        CompleteOrchestrationAction done = runToEnd(REQUEST, FileListing.of(ROOT, FILES, List.of()), copy -> {
            attempts.add(copy.getPath());
            return attempts.stream().filter(copy.getPath()::equals).count() == 1 && copy.getPath().startsWith("dir/")
                    ? Reply.failure("java.io.UncheckedIOException", "timeout")
                    : Reply.of(CopyResult.copied(copy.getPath(), sizeOf(copy.getPath())));
        });

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(5_000_002_010L, Long.parseLong(done.getResult().getValue()));
        assertEquals(FILES.size() + 2, attempts.size());
    }

    @Test
    void run_fileVanishedAndEntryUnreadable_completesAndReportsBoth() {
        FileListing listing = FileListing.of(ROOT, FILES, List.of(new FileProblem("secret", "not readable")));
        CompleteOrchestrationAction done = runToEnd(REQUEST, listing, copy -> Reply.of(copy.getPath().equals("a.txt")
                ? CopyResult.notCopied("a.txt", "vanished since it was listed")
                : CopyResult.copied(copy.getPath(), sizeOf(copy.getPath()))));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(5_000_002_000L, Long.parseLong(done.getResult().getValue()));
        BackupProgress summary = lastStatus();
        assertEquals(BackupProgress.Phase.COMPLETED, summary.getPhase());
        assertEquals(3, summary.getFilesDone());
        assertEquals(2, summary.getProblemCount());
        assertEquals(List.of("secret", "a.txt"), summary.getProblems().stream().map(FileProblem::getPath).toList());
    }

    @Test
    void run_listingRejected_failsWithTheListingError() {
        CompleteOrchestrationAction done = runToEnd(REQUEST,
                FileListing.rejected("rootDirectory '/data/site' does not exist"), copy -> null);

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED, done.getOrchestrationStatus());
        assertEquals("rootDirectory '/data/site' does not exist", done.getFailureDetails().getErrorMessage());
    }

    @Test
    void run_blankRoot_failsWithoutSchedulingAnything() {
        OrchestratorResponse response = start(BackupRequest.of("  ").withDefaults("backups").withRootDirectory(" "));

        assertEquals(1, response.getActionsCount());
        CompleteOrchestrationAction done = response.getActions(0).getCompleteOrchestration();
        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED, done.getOrchestrationStatus());
        assertTrue(done.getFailureDetails().getErrorMessage().contains("rootDirectory"));
    }

    @Test
    void run_dryRun_completesWithZeroAndPlanWithoutCopying() {
        BackupRequest dryRun = new BackupRequest(ROOT, "backups", "data/site", null, null, true, false);
        CompleteOrchestrationAction done = runToEnd(dryRun, FileListing.of(ROOT, FILES, List.of()),
                copy -> { throw new AssertionError("a dry run copies nothing"); });

        assertEquals(0L, Long.parseLong(done.getResult().getValue()));
        BackupProgress summary = lastStatus();
        assertEquals(BackupProgress.Phase.DRY_RUN_COMPLETED, summary.getPhase());
        assertEquals(FILES.size(), summary.getFilesPlanned());
    }

    @Test
    void run_replayOfWholeFinalHistory_schedulesNothingNewAndCompletesTheSame() {
        CompleteOrchestrationAction done = runToEnd(REQUEST, FileListing.of(ROOT, FILES, List.of()),
                copy -> Reply.of(CopyResult.copied(copy.getPath(), sizeOf(copy.getPath()))));

        OrchestratorResponse replay = run(List.copyOf(history), List.of());

        // The history records no completion event (completion is an action), so the engine reports the
        // completion again; anything else would be a new, non-deterministic action.
        assertEquals(1, replay.getActionsCount(), replay.getActionsList().toString());
        assertEquals(done, replay.getActions(0).getCompleteOrchestration());
    }

    @Test
    void run_largeTreeInManifest_copiesSlicesInSubOrchestrationsAtMostEightAtATime() {
        int slices = 11;
        FileListing large = new FileListing(ROOT, List.of(), List.of(), 0, 0, null, "m-1", slices, 5_500, 11_000);
        OrchestratorAction list = start(REQUEST).getActions(0);

        List<OrchestratorAction> firstWave = complete(list, large).getActionsList();

        assertEquals(BackupSiteContent.MAX_SLICES_IN_FLIGHT, firstWave.size());
        for (int i = 0; i < firstWave.size(); i++) {
            assertEquals(BackupSlice.NAME, firstWave.get(i).getCreateSubOrchestration().getName());
            assertEquals("instance-1:" + i, firstWave.get(i).getCreateSubOrchestration().getInstanceId());
            SliceRequest slice = JSON.deserialize(firstWave.get(i).getCreateSubOrchestration().getInput().getValue(),
                    SliceRequest.class);
            assertEquals(i, slice.getIndex());
            assertEquals("m-1", slice.getManifest());
            assertEquals(ROOT, slice.getRootDirectory());
            assertEquals("backups", slice.getRequest().getContainer());
        }

        List<Long> bytesDone = new ArrayList<>();
        List<OrchestratorAction> pending = new ArrayList<>(firstWave);
        CompleteOrchestrationAction done = null;
        while (done == null) {
            OrchestratorAction child = pending.remove(0);
            OrchestratorResponse response = run(List.copyOf(history), List.of(orchestratorStarted(),
                    event().setSubOrchestrationInstanceCompleted(SubOrchestrationInstanceCompletedEvent.newBuilder()
                            .setTaskScheduledId(child.getId()).setResult(StringValue.of(JSON.serialize(
                                    new CopySummary(500, 1_000, List.of(), List.of())))))
                            .build()));
            for (OrchestratorAction action : response.getActionsList()) {
                if (action.hasCompleteOrchestration()) {
                    done = action.getCompleteOrchestration();
                } else {
                    pending.add(action);
                }
            }
            assertTrue(pending.size() <= BackupSiteContent.MAX_SLICES_IN_FLIGHT);
            if (done == null) {
                bytesDone.add(lastStatus().getBytesDone());
            }
        }

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        assertEquals(11_000L, Long.parseLong(done.getResult().getValue()));
        assertEquals(List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L, 7_000L, 8_000L, 9_000L, 10_000L),
                bytesDone, "the custom status moves as each slice finishes");
        BackupProgress summary = lastStatus();
        assertEquals(5_500, summary.getFilesDone());
        assertEquals(BackupProgress.Phase.COMPLETED, summary.getPhase());
    }

    @Test
    void run_sliceFailsAsAWhole_failsNamingTheSlice() {
        FileListing large = new FileListing(ROOT, List.of(), List.of(), 0, 0, null, "m-2", 2, 600, 600);
        OrchestratorAction list = start(REQUEST).getActions(0);
        List<OrchestratorAction> children = complete(list, large).getActionsList();

        run(List.copyOf(history), List.of(orchestratorStarted(),
                event().setSubOrchestrationInstanceCompleted(SubOrchestrationInstanceCompletedEvent.newBuilder()
                        .setTaskScheduledId(children.get(0).getId()).setResult(StringValue.of(JSON.serialize(
                                new CopySummary(500, 500, List.of(), List.of()))))).build()));
        OrchestratorResponse last = run(List.copyOf(history), List.of(orchestratorStarted(),
                event().setSubOrchestrationInstanceFailed(SubOrchestrationInstanceFailedEvent.newBuilder()
                        .setTaskScheduledId(children.get(1).getId()).setFailureDetails(TaskFailureDetails.newBuilder()
                                .setErrorType("java.io.UncheckedIOException").setErrorMessage("manifest unreadable")))
                        .build()));

        CompleteOrchestrationAction done = last.getActions(0).getCompleteOrchestration();
        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED, done.getOrchestrationStatus());
        String message = done.getFailureDetails().getErrorMessage();
        assertTrue(message.contains("slice 1 of manifest m-2"), message);
        assertTrue(message.contains("manifest unreadable"), message);
    }

    // --- driving the replay engine ---------------------------------------------------------------

    /** What a scripted activity answers: a result, or a failure. */
    private record Reply(Object result, String errorType, String message) {
        static Reply of(Object result) {
            return new Reply(result, null, null);
        }

        static Reply failure(String errorType, String message) {
            return new Reply(null, errorType, message);
        }
    }

    private static long sizeOf(String path) {
        return FILES.stream().filter(f -> f.getPath().equals(path)).findFirst().orElseThrow().getSize();
    }

    private OrchestratorResponse start(BackupRequest input) {
        return run(List.of(), List.of(orchestratorStarted(), event().setExecutionStarted(ExecutionStartedEvent.newBuilder()
                .setName(BackupSiteContent.NAME)
                .setOrchestrationInstance(OrchestrationInstance.newBuilder().setInstanceId("instance-1"))
                .setInput(StringValue.of(JSON.serialize(input)))).build()));
    }

    private OrchestratorResponse complete(OrchestratorAction scheduled, Object result) {
        List<HistoryEvent> past = List.copyOf(history);
        return run(past, List.of(orchestratorStarted(), completed(scheduled.getId(), result)));
    }

    /** Runs episodes until the orchestration completes: GetFileList answers {@code listing}, copies {@code copies}. */
    private CompleteOrchestrationAction runToEnd(BackupRequest input, FileListing listing, Function<CopyRequest, Reply> copies) {
        List<OrchestratorAction> actions = start(input).getActionsList();
        for (int episode = 0; episode < 100; episode++) {
            List<HistoryEvent> newEvents = new ArrayList<>();
            newEvents.add(orchestratorStarted());
            for (OrchestratorAction action : actions) {
                if (action.hasCompleteOrchestration()) {
                    return action.getCompleteOrchestration();
                }
                if (action.hasCreateTimer()) {
                    now = Instant.ofEpochSecond(action.getCreateTimer().getFireAt().getSeconds());
                    newEvents.add(event().setTimerFired(TimerFiredEvent.newBuilder().setTimerId(action.getId())
                            .setFireAt(action.getCreateTimer().getFireAt())).build());
                    continue;
                }
                String name = action.getScheduleTask().getName();
                String json = action.getScheduleTask().getInput().getValue();
                Reply reply = name.equals(GetFileList.NAME) ? Reply.of(listing)
                        : copies.apply(JSON.deserialize(json, CopyRequest.class));
                newEvents.add(reply.result() != null ? completed(action.getId(), reply.result())
                        : event().setTaskFailed(TaskFailedEvent.newBuilder().setTaskScheduledId(action.getId())
                        .setFailureDetails(TaskFailureDetails.newBuilder().setErrorType(reply.errorType())
                                .setErrorMessage(reply.message()))).build());
            }
            actions = run(List.copyOf(history), newEvents).getActionsList();
        }
        throw new AssertionError("the orchestration did not complete in 100 episodes");
    }

    /**
     * One episode through the SDK's replay engine. Afterwards the history holds the new events and, as the
     * backend records them, a TaskScheduled or TimerCreated event for each new action.
     */
    private OrchestratorResponse run(List<HistoryEvent> past, List<HistoryEvent> newEvents) {
        OrchestratorRequest request = OrchestratorRequest.newBuilder().setInstanceId("instance-1")
                .addAllPastEvents(past).addAllNewEvents(newEvents).build();
        byte[] bytes = OrchestrationRunner.loadAndRun(request.toByteArray(),
                (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx));
        OrchestratorResponse response;
        try {
            response = OrchestratorResponse.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        history.addAll(newEvents);
        if (response.hasCustomStatus()) {
            statuses.add(response.getCustomStatus().getValue());
        }
        for (OrchestratorAction action : response.getActionsList()) {
            if (action.hasScheduleTask()) {
                history.add(HistoryEvent.newBuilder().setEventId(action.getId()).setTimestamp(timestamp())
                        .setTaskScheduled(TaskScheduledEvent.newBuilder().setName(action.getScheduleTask().getName())
                                .setInput(action.getScheduleTask().getInput())).build());
            } else if (action.hasCreateSubOrchestration()) {
                history.add(HistoryEvent.newBuilder().setEventId(action.getId()).setTimestamp(timestamp())
                        .setSubOrchestrationInstanceCreated(SubOrchestrationInstanceCreatedEvent.newBuilder()
                                .setName(action.getCreateSubOrchestration().getName())
                                .setInstanceId(action.getCreateSubOrchestration().getInstanceId())
                                .setInput(action.getCreateSubOrchestration().getInput())).build());
            } else if (action.hasCreateTimer()) {
                history.add(HistoryEvent.newBuilder().setEventId(action.getId()).setTimestamp(timestamp())
                        .setTimerCreated(TimerCreatedEvent.newBuilder().setFireAt(action.getCreateTimer().getFireAt()))
                        .build());
            }
        }
        return response;
    }

    private final List<String> statuses = new ArrayList<>();

    private BackupProgress lastStatus() {
        return JSON.deserialize(statuses.get(statuses.size() - 1), BackupProgress.class);
    }

    private HistoryEvent orchestratorStarted() {
        return event().setOrchestratorStarted(OrchestratorStartedEvent.getDefaultInstance()).build();
    }

    private HistoryEvent completed(int taskId, Object result) {
        return event().setTaskCompleted(TaskCompletedEvent.newBuilder().setTaskScheduledId(taskId)
                .setResult(StringValue.of(JSON.serialize(result)))).build();
    }

    private HistoryEvent.Builder event() {
        return HistoryEvent.newBuilder().setEventId(-1 - nextEventId++).setTimestamp(timestamp());
    }

    private Timestamp timestamp() {
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build();
    }
}
