package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.Wire;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
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
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.ParentInstanceInfo;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceCompletedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceCreatedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceFailedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskCompletedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailureDetails;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskScheduledEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TimerCreatedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TimerFiredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * An in-process stand-in for the Durable Functions backend, for tests and the command line. It is a test
 * harness built on the SDK's own replay engine, not the product and not the Functions host.
 *
 * <p>It drives orchestrations the way the extension drives a Java worker: it keeps every instance's history
 * as protobuf {@link HistoryEvent}s, and each episode calls {@link OrchestrationRunner#loadAndRun} with the
 * whole past history and the new events (at most {@code controlQueueBatchSize} of them, from host.json),
 * then applies the actions that come back: activities run on a pool capped at host.json's
 * {@code maxConcurrentActivityFunctions}, bound through Gson as the Java worker binds them
 * ({@link WorkerActivity}); timers fire in virtual time as soon as nothing else is pending;
 * sub-orchestrations become instances of their own. It counts what it does ({@link HarnessMetrics}).
 *
 * <p>Faults, on demand ({@link Faults}): a restart after every episode, duplicate delivery of every activity
 * (it runs twice; the first completion is recorded), activities that throw on their first attempts, and a hook
 * after each episode (to stop and start storage, say).
 *
 * <p>A restart ends the activity worker's process and starts a new one with a pool of its own. What the dead
 * process had queued never runs; what it was running runs to its end, but its completion is lost, as a process
 * killed after an activity's side effects and before its completion was acknowledged loses it. Every activity
 * whose completion was not reported before the restart is delivered again, once, to the new process, as
 * unacknowledged queue messages are; completions reported before it survive (they were in the durable queue),
 * and everything else is rebuilt from the stored history, as always. The new process takes its activities once
 * no episode is waiting to run. So a restart costs at most {@code maxConcurrentActivityFunctions} executions
 * again ({@link HarnessMetrics#abandonedInFlight()}), and only a restart after a wait for a completion costs any.
 */
public final class DurableHarness {
    private static final JacksonDataConverter JSON = new JacksonDataConverter();
    /** Numbers the runs of this JVM: each root instance gets an id of its own, as a real starter gives it. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    private int maxConcurrentActivities;
    private final int batchSize;
    private final Faults faults;
    private final Map<String, OrchestratorFunction<?>> orchestrators = new HashMap<>();
    private final Map<String, WorkerActivity> activities = new HashMap<>();
    private Consumer<String> statusListener = status -> { };

    // State of one run; the main loop is single-threaded, activities report through `completions`.
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    /** Activities dispatched whose completion is not recorded yet, in the order they were scheduled. */
    private final Map<TaskKey, Dispatch> running = new LinkedHashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparing(Timer::fireAt));
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger activeActivities = new AtomicInteger();
    private final HarnessMetrics.Counter metrics = new HarnessMetrics.Counter();
    // Virtual time starts at the wall clock, so two runs of the same instance id start at different times, as on a real backend.
    private Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    /** The activity worker's current process; a restart replaces it. */
    private Worker worker;

    /** A harness with the concurrency and batch size of {@code hostJson}, and {@code faults}. */
    public DurableHarness(Path hostJson, Faults faults) {
        JsonNode durableTask = readHostJson(hostJson).path("extensions").path("durableTask");
        this.maxConcurrentActivities = durableTask.path("maxConcurrentActivityFunctions").asInt(10);
        this.batchSize = durableTask.path("storageProvider").path("controlQueueBatchSize").asInt(32);
        this.faults = faults;
    }

    /** A harness configured from the project's host.json, without faults. */
    public static DurableHarness fromProjectHostJson() {
        return new DurableHarness(Path.of("host.json"), Faults.none());
    }

    /** Registers an orchestrator under {@code name}. */
    public DurableHarness orchestrator(String name, OrchestratorFunction<?> function) {
        orchestrators.put(name, function);
        return this;
    }

    /** Registers an activity function object (an instance of a class with an activity-trigger method). */
    public DurableHarness activity(Object function) {
        WorkerActivity activity = WorkerActivity.of(function);
        activities.put(activity.name(), activity);
        return this;
    }

    /** Called with the root instance's custom status (JSON) every time it changes. */
    public DurableHarness onStatus(Consumer<String> listener) {
        this.statusListener = listener;
        return this;
    }

    public int maxConcurrentActivities() {
        return maxConcurrentActivities;
    }

    /** Runs at most {@code max} activities at once instead of host.json's {@code maxConcurrentActivityFunctions}. */
    public DurableHarness maxConcurrentActivities(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one activity at a time: " + max);
        }
        this.maxConcurrentActivities = max;
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * {@code input} as JSON, stamped with this code's version where it has none (or 0), as the starter stamps every
     * request it starts ({@link CodeVersion}); an input that names another version keeps it.
     */
    static String stamped(Object input) {
        JsonNode tree = Wire.JSON.valueToTree(input);
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                && object.path("codeVersion").asInt(0) == 0) {
            object.put("codeVersion", CodeVersion.CURRENT);
        }
        return tree.toString();
    }

    /** Runs {@code orchestrator} with {@code input} until its instance completes or fails. */
    public HarnessResult run(String orchestrator, Object input) {
        return run(orchestrator, input, Duration.ofMinutes(30));
    }

    /** Runs {@code orchestrator} with {@code input}; throws if it is still running after {@code timeout}. */
    public HarnessResult run(String orchestrator, Object input, Duration timeout) {
        worker = new Worker(1);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // A run's problem report is named after its instance id and start (virtual time, the same for every
            // run), so a fixed id would make every run of a JVM write into one report.
            Instance root = start("root-" + RUNS.incrementAndGet(), orchestrator, stamped(input), null, -1);
            while (!root.done) {
                drainCompletions();
                Instance ready = instances.values().stream().filter(i -> !i.inbox.isEmpty()).findFirst().orElse(null);
                if (ready != null) {
                    episode(ready);
                } else if (!running.isEmpty()) {
                    worker.takeWork();
                    Completion next = completions.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        throw new IllegalStateException("timed out after " + timeout + " with activities running");
                    }
                    deliver(next);
                } else if (!timers.isEmpty()) {
                    Timer timer = timers.poll();
                    // A timer is delivered a little after it is due, as a real backend delivers it; the SDK
                    // re-arms a timer that fires exactly on time (current time not past its fire time).
                    now = (timer.fireAt().isAfter(now) ? timer.fireAt() : now).plusMillis(1);
                    timer.instance().inbox.add(event().setTimerFired(TimerFiredEvent.newBuilder()
                            .setTimerId(timer.id()).setFireAt(timestamp(timer.fireAt()))).build());
                    metrics.timersFired++;
                } else {
                    throw new IllegalStateException("instance " + root.id + " is stuck: nothing to run, wait for or fire");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + timeout);
                }
            }
            // Let deliveries still running (duplicates) finish, so the counts are final.
            worker.pool.shutdown();
            if (!worker.pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("activities still running a minute after the instance completed");
            }
            drainCompletions();
            return new HarnessResult(root.id, root.status, root.output, root.failure, root.customStatus,
                    metrics.snapshot(), histories(), instances.get(root.id).name, this::replayActions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            worker.pool.shutdownNow();
        }
    }

    private Instance start(String id, String name, String inputJson, Instance parent, int parentTaskId) {
        if (!orchestrators.containsKey(name)) {
            throw new IllegalArgumentException("no orchestrator registered as '" + name + "'");
        }
        Instance instance = new Instance(id, name, parent, parentTaskId);
        ExecutionStartedEvent.Builder started = ExecutionStartedEvent.newBuilder().setName(name)
                .setOrchestrationInstance(OrchestrationInstance.newBuilder().setInstanceId(id))
                .setInput(StringValue.of(inputJson));
        if (parent != null) {
            started.setParentInstance(ParentInstanceInfo.newBuilder().setTaskScheduledId(parentTaskId)
                    .setName(StringValue.of(parent.name))
                    .setOrchestrationInstance(OrchestrationInstance.newBuilder().setInstanceId(parent.id)));
        }
        instance.inbox.add(event().setExecutionStarted(started).build());
        metrics.payload(inputJson);
        instances.put(id, instance);
        return instance;
    }

    private void episode(Instance instance) {
        List<HistoryEvent> newEvents = new ArrayList<>();
        newEvents.add(event().setOrchestratorStarted(OrchestratorStartedEvent.getDefaultInstance()).build());
        for (int i = 0; i < batchSize && !instance.inbox.isEmpty(); i++) {
            newEvents.add(instance.inbox.poll());
        }
        metrics.episodes++;
        metrics.eventsReplayed += instance.history.size();
        metrics.largestBatch = Math.max(metrics.largestBatch, newEvents.size() - 1);
        OrchestratorResponse response = execute(instance.name, instance.id, instance.history, newEvents);
        record(instance, newEvents);
        if (response.hasCustomStatus()) {
            instance.customStatus = response.getCustomStatus().getValue();
            metrics.payload(instance.customStatus);
            if (instance.parent == null) {
                statusListener.accept(instance.customStatus);
            }
        }
        for (OrchestratorAction action : response.getActionsList()) {
            apply(instance, action);
        }
        metrics.largestHistory(instance.history.size(), instance.historyBytes);
        faults.afterEpisode().accept(metrics.episodes);
        if (faults.restartAfterEveryEpisode()) {
            restart();
        }
    }

    private void apply(Instance instance, OrchestratorAction action) {
        HistoryEvent.Builder recorded = HistoryEvent.newBuilder().setEventId(action.getId()).setTimestamp(timestamp(now));
        switch (action.getOrchestratorActionTypeCase()) {
            case SCHEDULETASK -> {
                String name = action.getScheduleTask().getName();
                String input = action.getScheduleTask().getInput().getValue();
                record(instance, List.of(recorded.setTaskScheduled(TaskScheduledEvent.newBuilder().setName(name)
                        .setInput(StringValue.of(input))).build()));
                metrics.payload(input);
                Dispatch dispatch = new Dispatch(instance, action.getId(), name, input);
                running.put(dispatch.key(), dispatch);
                metrics.activitiesScheduled++;
                for (int delivery = faults.duplicateEveryActivity() ? 2 : 1; delivery > 0; delivery--) {
                    worker.submit(dispatch);
                }
            }
            case CREATETIMER -> {
                record(instance, List.of(recorded.setTimerCreated(TimerCreatedEvent.newBuilder()
                        .setFireAt(action.getCreateTimer().getFireAt())).build()));
                Timestamp fireAt = action.getCreateTimer().getFireAt();
                timers.add(new Timer(Instant.ofEpochSecond(fireAt.getSeconds(), fireAt.getNanos()), instance, action.getId()));
            }
            case CREATESUBORCHESTRATION -> {
                var create = action.getCreateSubOrchestration();
                record(instance, List.of(recorded.setSubOrchestrationInstanceCreated(
                        SubOrchestrationInstanceCreatedEvent.newBuilder().setName(create.getName())
                                .setInstanceId(create.getInstanceId()).setInput(create.getInput())).build()));
                start(create.getInstanceId(), create.getName(), create.getInput().getValue(), instance, action.getId());
                metrics.subOrchestrations++;
            }
            case COMPLETEORCHESTRATION -> complete(instance, action.getCompleteOrchestration());
            default -> throw new UnsupportedOperationException("the harness does not support " + action);
        }
    }

    private void complete(Instance instance, CompleteOrchestrationAction completion) {
        instance.done = true;
        instance.status = completion.getOrchestrationStatus() == OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED
                ? "Completed" : completion.getOrchestrationStatus() == OrchestrationStatus.ORCHESTRATION_STATUS_FAILED
                ? "Failed" : completion.getOrchestrationStatus().name();
        instance.output = completion.hasResult() ? completion.getResult().getValue() : null;
        instance.failure = completion.hasFailureDetails() ? completion.getFailureDetails() : null;
        instance.completion = completion;
        if (instance.output != null) {
            metrics.payload(instance.output);
        }
        if (instance.parent != null) {
            HistoryEvent.Builder event = event();
            if (instance.failure == null) {
                event.setSubOrchestrationInstanceCompleted(SubOrchestrationInstanceCompletedEvent.newBuilder()
                        .setTaskScheduledId(instance.parentTaskId)
                        .setResult(StringValue.of(instance.output == null ? "null" : instance.output)));
            } else {
                event.setSubOrchestrationInstanceFailed(SubOrchestrationInstanceFailedEvent.newBuilder()
                        .setTaskScheduledId(instance.parentTaskId).setFailureDetails(instance.failure));
            }
            instance.parent.inbox.add(event.build());
        }
    }

    private String invoke(Dispatch dispatch) throws Exception {
        WorkerActivity activity = activities.get(dispatch.name());
        if (activity == null) {
            throw new IllegalStateException("no activity registered as '" + dispatch.name() + "'");
        }
        int attempt = attempts.computeIfAbsent(dispatch.name() + "\u0000" + dispatch.input(), k -> new AtomicInteger())
                .incrementAndGet();
        if (faults.failAttempt().test(dispatch.name(), dispatch.input(), attempt)) {
            synchronized (metrics) {
                metrics.injectedFailures++;
            }
            throw new IllegalStateException("injected failure of " + dispatch.name() + " attempt " + attempt);
        }
        return activity.invoke(dispatch.input());
    }

    private void drainCompletions() {
        for (Completion completion = completions.poll(); completion != null; completion = completions.poll()) {
            deliver(completion);
        }
    }

    private void deliver(Completion completion) {
        Dispatch dispatch = completion.dispatch();
        if (!dispatch.instance().delivered.add(dispatch.taskId())) {
            metrics.droppedDuplicates++;
            return;
        }
        running.remove(dispatch.key());
        HistoryEvent.Builder event = event();
        if (completion.error() == null) {
            metrics.payload(completion.result());
            event.setTaskCompleted(TaskCompletedEvent.newBuilder().setTaskScheduledId(dispatch.taskId())
                    .setResult(StringValue.of(completion.result())));
        } else {
            metrics.activityFailures++;
            Throwable error = completion.error();
            event.setTaskFailed(TaskFailedEvent.newBuilder().setTaskScheduledId(dispatch.taskId())
                    .setFailureDetails(TaskFailureDetails.newBuilder().setErrorType(error.getClass().getName())
                            .setErrorMessage(String.valueOf(error.getMessage()))));
        }
        dispatch.instance().inbox.add(event.build());
    }

    /**
     * A process restart: the worker's process dies (its queue is dropped, its running activities' completions
     * are lost), the completions it reported before are recorded, and every activity still without one is
     * delivered once to a new process.
     */
    private void restart() {
        metrics.restarts++;
        worker.die();
        drainCompletions();
        worker = new Worker(worker.number + 1);
        worker.holdWork();
        for (Dispatch dispatch : List.copyOf(running.values())) {
            worker.submit(dispatch);
        }
    }

    private void record(Instance instance, List<HistoryEvent> events) {
        for (HistoryEvent e : events) {
            instance.history.add(e);
            instance.historyBytes += e.getSerializedSize();
        }
    }

    private OrchestratorResponse execute(String name, String id, List<HistoryEvent> past, List<HistoryEvent> newEvents) {
        OrchestratorRequest request = OrchestratorRequest.newBuilder().setInstanceId(id)
                .addAllPastEvents(past).addAllNewEvents(newEvents).build();
        return parse(OrchestrationRunner.loadAndRun(request.toByteArray(), orchestrators.get(name)));
    }

    /** Replays {@code instanceId}'s whole final history with no new events and returns the actions it produces. */
    private List<OrchestratorAction> replayActions(String instanceId) {
        Instance instance = instances.get(instanceId);
        OrchestratorRequest request = OrchestratorRequest.newBuilder().setInstanceId(instanceId)
                .addAllPastEvents(instance.history).build();
        return parse(OrchestrationRunner.loadAndRun(request.toByteArray(), orchestrators.get(instance.name)))
                .getActionsList();
    }

    private Map<String, HarnessResult.InstanceRecord> histories() {
        Map<String, HarnessResult.InstanceRecord> records = new LinkedHashMap<>();
        instances.values().forEach(i -> records.put(i.id,
                new HarnessResult.InstanceRecord(i.id, i.name, List.copyOf(i.history), i.completion, i.status)));
        return records;
    }

    private static OrchestratorResponse parse(byte[] bytes) {
        try {
            return OrchestratorResponse.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private HistoryEvent.Builder event() {
        return HistoryEvent.newBuilder().setEventId(-1).setTimestamp(timestamp(now));
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static JsonNode readHostJson(Path hostJson) {
        try {
            return new ObjectMapper().readTree(Files.readString(hostJson, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hostJson, e);
        }
    }

    /** One orchestration instance: its stored history and the messages waiting for it. */
    private static final class Instance {
        final String id;
        final String name;
        final Instance parent;
        final int parentTaskId;
        final List<HistoryEvent> history = new ArrayList<>();
        final Deque<HistoryEvent> inbox = new ArrayDeque<>();
        final Set<Integer> delivered = new HashSet<>();
        long historyBytes;
        boolean done;
        String status = "Running";
        String output;
        String customStatus;
        TaskFailureDetails failure;
        CompleteOrchestrationAction completion;

        Instance(String id, String name, Instance parent, int parentTaskId) {
            this.id = id;
            this.name = name;
            this.parent = parent;
            this.parentTaskId = parentTaskId;
        }
    }

    private record TaskKey(String instanceId, int taskId) {
    }

    private record Dispatch(Instance instance, int taskId, String name, String input) {
        TaskKey key() {
            return new TaskKey(instance.id, taskId);
        }
    }

    private record Completion(Dispatch dispatch, String result, Throwable error) {
    }

    /**
     * One process of the activity worker: a pool of {@code maxConcurrentActivityFunctions} threads. A completion
     * is reported only while the process is alive; once it died, nothing it had queued starts. A process started by
     * a restart holds its activities until the main loop has no episode to run and waits for a completion.
     */
    private final class Worker {
        final int number;
        final ThreadPoolExecutor pool;
        private boolean alive = true; // guarded by this
        /** Activities not handed to the pool yet (main thread only); null once the process takes work. */
        private List<Dispatch> held;

        Worker(int number) {
            this.number = number;
            AtomicInteger threads = new AtomicInteger();
            this.pool = new ThreadPoolExecutor(maxConcurrentActivities, maxConcurrentActivities, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "harness-worker-" + number + "-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
        }

        void submit(Dispatch dispatch) {
            if (held != null) {
                held.add(dispatch);
            } else {
                pool.execute(() -> execute(dispatch));
            }
        }

        /** From now on, activities wait until {@link #takeWork()}. */
        void holdWork() {
            held = new ArrayList<>();
        }

        /** Hands the held activities to the pool, and every later one at once. */
        void takeWork() {
            if (held != null) {
                List<Dispatch> waiting = held;
                held = null;
                waiting.forEach(this::submit);
            }
        }

        private void execute(Dispatch dispatch) {
            synchronized (this) {
                if (!alive) {
                    synchronized (metrics) {
                        metrics.abandonedQueued++;
                    }
                    return;
                }
            }
            int active = activeActivities.incrementAndGet();
            synchronized (metrics) {
                metrics.peakConcurrentActivities = Math.max(metrics.peakConcurrentActivities, active);
                metrics.activityExecutions++;
            }
            Completion completion;
            try {
                completion = new Completion(dispatch, invoke(dispatch), null);
            } catch (Throwable e) {
                completion = new Completion(dispatch, null, e);
            } finally {
                activeActivities.decrementAndGet();
            }
            synchronized (this) {
                if (alive) {
                    completions.add(completion);
                    return;
                }
            }
            synchronized (metrics) {
                metrics.abandonedInFlight++;
            }
        }

        /** Ends this process: nothing queued starts, and it returns once its running activities have ended. */
        void die() {
            synchronized (this) {
                alive = false;
            }
            List<Runnable> queued = new ArrayList<>();
            pool.getQueue().drainTo(queued);
            synchronized (metrics) {
                metrics.abandonedQueued += queued.size() + (held == null ? 0 : held.size());
            }
            pool.shutdown();
            try {
                if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("activities of worker process " + number
                            + " still running a minute after its restart");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while worker process " + number + " ended", e);
            }
        }
    }

    private record Timer(Instant fireAt, Instance instance, int id) {
    }

    /** What can go wrong, on demand. */
    public record Faults(boolean restartAfterEveryEpisode, boolean duplicateEveryActivity,
                         AttemptFailure failAttempt, LongConsumer afterEpisode) {
        /** Decides whether an activity attempt (1-based, per activity name and input) fails before it runs. */
        @FunctionalInterface
        public interface AttemptFailure {
            boolean test(String activity, String inputJson, int attempt);
        }

        public static Faults none() {
            return new Faults(false, false, (a, i, n) -> false, episode -> { });
        }

        public Faults withRestartAfterEveryEpisode() {
            return new Faults(true, duplicateEveryActivity, failAttempt, afterEpisode);
        }

        public Faults withDuplicateDelivery() {
            return new Faults(restartAfterEveryEpisode, true, failAttempt, afterEpisode);
        }

        public Faults withFailingAttempts(AttemptFailure failure) {
            return new Faults(restartAfterEveryEpisode, duplicateEveryActivity, failure, afterEpisode);
        }

        public Faults withAfterEpisode(LongConsumer hook) {
            return new Faults(restartAfterEveryEpisode, duplicateEveryActivity, failAttempt, hook);
        }
    }
}
