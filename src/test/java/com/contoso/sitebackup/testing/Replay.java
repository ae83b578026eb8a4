package com.contoso.sitebackup.testing;

import com.contoso.sitebackup.durable.ProblemRecord;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.durable.RecordProblems;

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

/**
 * One orchestration instance driven episode by episode through the SDK's replay engine
 * ({@link OrchestrationRunner#loadAndRun}, what the Functions middleware calls for a Java worker). The test
 * says what happened (a task completed, a timer fired); this class keeps the history as the backend would:
 * the new events of each episode, then a TaskScheduled, TimerCreated or SubOrchestrationInstanceCreated event
 * for each action the episode returned.
 */
public final class Replay {
    /** The SDK's converter: what the host stores as inputs and results. */
    public static final DataConverter JSON = new JacksonDataConverter();

    private final String name;
    private final String instanceId;
    private final OrchestratorFunction<?> orchestrator;
    private final List<HistoryEvent> history = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<ProblemRecord> recorded = new ArrayList<>();
    /** When every replayed instance starts, in virtual time. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now = START;
    private int nextEventId;
    private int episodes;
    private long eventsReplayed;
    private boolean reportFails;

    public Replay(String name, String instanceId, OrchestratorFunction<?> orchestrator) {
        this.name = name;
        this.instanceId = instanceId;
        this.orchestrator = orchestrator;
    }

    /** The first episode: the instance starts with {@code input}. */
    public OrchestratorResponse start(Object input) {
        ExecutionStartedEvent.Builder started = ExecutionStartedEvent.newBuilder().setName(name)
                .setOrchestrationInstance(OrchestrationInstance.newBuilder().setInstanceId(instanceId));
        if (input != null) {
            started.setInput(StringValue.of(JSON.serialize(input)));
        }
        return episode(event().setExecutionStarted(started).build());
    }

    /** A new episode with {@code events} as its new events (after an OrchestratorStarted event). */
    public OrchestratorResponse episode(HistoryEvent... events) {
        return episode(List.of(events));
    }

    /** A new episode with {@code events} as its new events (after an OrchestratorStarted event). */
    public OrchestratorResponse episode(List<HistoryEvent> events) {
        List<HistoryEvent> newEvents = new ArrayList<>();
        newEvents.add(event().setOrchestratorStarted(OrchestratorStartedEvent.getDefaultInstance()).build());
        newEvents.addAll(events);
        OrchestratorResponse response = run(List.copyOf(history), newEvents);
        episodes++;
        eventsReplayed += history.size() + newEvents.size();
        history.addAll(newEvents);
        if (response.hasCustomStatus()) {
            statuses.add(response.getCustomStatus().getValue());
        }
        for (OrchestratorAction action : response.getActionsList()) {
            HistoryEvent.Builder recorded = HistoryEvent.newBuilder().setEventId(action.getId()).setTimestamp(timestamp());
            if (action.hasScheduleTask()) {
                history.add(recorded.setTaskScheduled(TaskScheduledEvent.newBuilder()
                        .setName(action.getScheduleTask().getName()).setInput(action.getScheduleTask().getInput())).build());
            } else if (action.hasCreateSubOrchestration()) {
                history.add(recorded.setSubOrchestrationInstanceCreated(SubOrchestrationInstanceCreatedEvent.newBuilder()
                        .setName(action.getCreateSubOrchestration().getName())
                        .setInstanceId(action.getCreateSubOrchestration().getInstanceId())
                        .setInput(action.getCreateSubOrchestration().getInput())).build());
            } else if (action.hasCreateTimer()) {
                history.add(recorded.setTimerCreated(TimerCreatedEvent.newBuilder()
                        .setFireAt(action.getCreateTimer().getFireAt())).build());
            }
        }
        return response;
    }

    /**
     * Runs episodes until the orchestration completes, starting from {@code actions}: timers fire at once
     * (in virtual time), {@code RecordProblems} succeeds (its problems kept in {@link #recorded()}), and every
     * other action is answered by {@code answer}, all of an episode's answers delivered together in the next
     * episode.
     */
    public CompleteOrchestrationAction runToEnd(List<OrchestratorAction> actions,
                                                Function<OrchestratorAction, HistoryEvent> answer) {
        for (int episode = 0; episode < 1_000; episode++) {
            List<HistoryEvent> events = new ArrayList<>();
            for (OrchestratorAction action : actions) {
                if (action.hasCompleteOrchestration()) {
                    return action.getCompleteOrchestration();
                }
                if (action.hasCreateTimer()) {
                    events.add(timerFired(action));
                } else if (action.hasScheduleTask() && action.getScheduleTask().getName().equals(RecordProblems.NAME)) {
                    ProblemRecord record = inputOf(action, ProblemRecord.class);
                    recorded.add(record);
                    events.add(reportFails ? taskFailed(action, "BlobStorageException", "Status code 503, ServerBusy")
                            : taskCompleted(action, (long) recordedBy(record).size()));
                } else {
                    events.add(answer.apply(action));
                }
            }
            actions = episode(events).getActionsList();
        }
        throw new AssertionError("the orchestration did not complete in 1,000 episodes");
    }

    /**
     * How many history events the episodes so far handed the orchestrator (past and new, summed over episodes): what
     * the SDK replays, since a Java worker replays an instance's whole history in every episode.
     */
    public long eventsReplayed() {
        return eventsReplayed;
    }

    /** The report lines the records {@link #recorded()} would write. */
    public List<FileProblem> recordedProblems() {
        return recorded.stream().flatMap(record -> recordedBy(record).stream()).toList();
    }

    /**
     * What a {@link ProblemRecord} writes to the report: its path, or one line per file of its parts (named by batch
     * and position, as this replay has no manifest to read).
     */
    private static List<FileProblem> recordedBy(ProblemRecord record) {
        List<FileProblem> problems = new ArrayList<>();
        if (record.parts().isEmpty()) {
            problems.add(new FileProblem(record.path(), record.reason()));
        }
        for (com.contoso.sitebackup.durable.BatchWork.Part part : record.parts()) {
            for (int position : part.isWhole() ? List.of(-1) : part.positions()) {
                problems.add(new FileProblem("(batch " + part.batch() + (position < 0 ? "" : ", position " + position)
                        + ")", record.reason()));
            }
        }
        return problems;
    }

    /** How many episodes have run. */
    public int episodes() {
        return episodes;
    }

    /** The history so far, in events. */
    public int historyEvents() {
        return history.size();
    }

    /** The history so far, in bytes as the backend would store it (protobuf). */
    public long historyBytes() {
        return history.stream().mapToLong(HistoryEvent::getSerializedSize).sum();
    }

    /** Makes every {@link RecordProblems} that {@link #runToEnd} answers fail, as a report that cannot be written. */
    public Replay withFailingReport() {
        reportFails = true;
        return this;
    }

    /**
     * What the orchestration asked {@link RecordProblems} to write while {@link #runToEnd} ran it (each whole part
     * answered as one file).
     */
    public List<ProblemRecord> recorded() {
        return List.copyOf(recorded);
    }

    /** Replays the whole history with no new events, as a determinism check. */
    public OrchestratorResponse replayAll() {
        return run(List.copyOf(history), List.of());
    }

    private OrchestratorResponse run(List<HistoryEvent> past, List<HistoryEvent> newEvents) {
        OrchestratorRequest request = OrchestratorRequest.newBuilder().setInstanceId(instanceId)
                .addAllPastEvents(past).addAllNewEvents(newEvents).build();
        try {
            return OrchestratorResponse.parseFrom(OrchestrationRunner.loadAndRun(request.toByteArray(), orchestrator));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** An activity's result. */
    public HistoryEvent taskCompleted(OrchestratorAction scheduled, Object result) {
        return event().setTaskCompleted(TaskCompletedEvent.newBuilder().setTaskScheduledId(scheduled.getId())
                .setResult(StringValue.of(JSON.serialize(result)))).build();
    }

    /** An activity's result as the raw JSON text the backend holds, however malformed. */
    public HistoryEvent taskCompletedRaw(OrchestratorAction scheduled, String json) {
        return event().setTaskCompleted(TaskCompletedEvent.newBuilder().setTaskScheduledId(scheduled.getId())
                .setResult(StringValue.of(json))).build();
    }

    /** An activity's failure. */
    public HistoryEvent taskFailed(OrchestratorAction scheduled, String errorType, String message) {
        return event().setTaskFailed(TaskFailedEvent.newBuilder().setTaskScheduledId(scheduled.getId())
                .setFailureDetails(failure(errorType, message))).build();
    }

    /** A sub-orchestration's result. */
    public HistoryEvent subOrchestrationCompleted(OrchestratorAction created, Object result) {
        return event().setSubOrchestrationInstanceCompleted(SubOrchestrationInstanceCompletedEvent.newBuilder()
                .setTaskScheduledId(created.getId()).setResult(StringValue.of(JSON.serialize(result)))).build();
    }

    /** A sub-orchestration's failure. */
    public HistoryEvent subOrchestrationFailed(OrchestratorAction created, String errorType, String message) {
        return event().setSubOrchestrationInstanceFailed(SubOrchestrationInstanceFailedEvent.newBuilder()
                .setTaskScheduledId(created.getId()).setFailureDetails(failure(errorType, message))).build();
    }

    /**
     * A durable timer firing; virtual time moves just past its fire time, as a real backend delivers it (the
     * SDK re-arms a timer whose episode starts exactly at its fire time).
     */
    public HistoryEvent timerFired(OrchestratorAction timer) {
        now = Instant.ofEpochSecond(timer.getCreateTimer().getFireAt().getSeconds(),
                timer.getCreateTimer().getFireAt().getNanos()).plusMillis(1);
        return event().setTimerFired(TimerFiredEvent.newBuilder().setTimerId(timer.getId())
                .setFireAt(timer.getCreateTimer().getFireAt())).build();
    }

    /** The custom status of the latest episode that set one, deserialized. */
    public <T> T lastStatus(Class<T> type) {
        return JSON.deserialize(statuses.get(statuses.size() - 1), type);
    }

    /** The input of a ScheduleTask or CreateSubOrchestration action, read as the receiver reads it ({@link Wire}). */
    public static <T> T inputOf(OrchestratorAction action, Class<T> type) {
        String json = action.hasScheduleTask() ? action.getScheduleTask().getInput().getValue()
                : action.getCreateSubOrchestration().getInput().getValue();
        return Wire.read(json, type, "the input of " + (action.hasScheduleTask() ? action.getScheduleTask().getName()
                : action.getCreateSubOrchestration().getName()));
    }

    private static TaskFailureDetails failure(String errorType, String message) {
        return TaskFailureDetails.newBuilder().setErrorType(errorType).setErrorMessage(message).build();
    }

    private HistoryEvent.Builder event() {
        return HistoryEvent.newBuilder().setEventId(-1 - nextEventId++).setTimestamp(timestamp());
    }

    private Timestamp timestamp() {
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
}
