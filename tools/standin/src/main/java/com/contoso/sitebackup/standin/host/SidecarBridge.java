package com.contoso.sitebackup.standin.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.ActivityRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.ActivityResponse;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.GetWorkItemsRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.HistoryEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailureDetails;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.WorkItem;
import com.microsoft.durabletask.implementation.protobuf.TaskHubSidecarServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A stand-in for the Azure Functions host and its Java worker, for tests and local runs only; it is not part of
 * the product and does nothing the host would not. It connects to a Durable Task sidecar (durabletask-go,
 * {@link Sidecar}) over {@code TaskHubSidecarService}, reads the work-item stream, runs each work item on the
 * <b>packaged</b> app ({@link PackagedApp}: orchestrator episodes through the Durable middleware of {@code lib/},
 * activities with Gson-bound inputs) and completes it with {@code CompleteOrchestratorTask} or
 * {@code CompleteActivityTask}. At most host.json's {@code maxConcurrentOrchestratorFunctions} episodes and
 * {@code maxConcurrentActivityFunctions} activities run at once, as on the host.
 *
 * <p>Failures are turned into what the Durable extension records: an activity that throws completes with its
 * failure details (the root cause's short type and message, as the worker reports them); an orchestrator
 * invocation that throws (rather than answering a failed completion, as the SDK does for the orchestrator's own
 * exceptions) fails the instance. A work item whose completion cannot be delivered (the sidecar restarted) is
 * dropped: the sidecar dispatches it again when its lock expires. The stream is re-opened whenever it breaks.
 *
 * <p>Run as its own JVM with {@link #main} (tests kill it with SIGKILL and start it again): the app's settings
 * come from that JVM's environment, as on the host. It also answers the starter's HTTP route and the status
 * webhook ({@link HostHttp}).
 */
public final class SidecarBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SidecarBridge.class.getName());

    private final PackagedApp app;
    private final ManagedChannel channel;
    private final TaskHubSidecarServiceGrpc.TaskHubSidecarServiceBlockingStub sidecar;
    private final ExecutorService orchestrators;
    private final ExecutorService activities;
    private final BridgeMetrics metrics;
    private final Thread receiver;
    private volatile boolean closed;

    private SidecarBridge(PackagedApp app, ManagedChannel channel, Path metricsFile) {
        this.app = app;
        this.channel = channel;
        this.sidecar = TaskHubSidecarServiceGrpc.newBlockingStub(channel);
        JsonNode durableTask = app.hostJson().path("extensions").path("durableTask");
        int cores = Runtime.getRuntime().availableProcessors();
        this.orchestrators = Executors.newFixedThreadPool(
                durableTask.path("maxConcurrentOrchestratorFunctions").asInt(10 * cores), named("orchestrator"));
        this.activities = Executors.newFixedThreadPool(
                durableTask.path("maxConcurrentActivityFunctions").asInt(10 * cores), named("activity"));
        this.metrics = new BridgeMetrics(metricsFile);
        this.receiver = new Thread(this::receive, "work-item-stream");
    }

    /**
     * Connects to the sidecar at {@code sidecarAddress} ({@code host:port}) and starts running its work items on
     * {@code app}; {@code metricsFile} (may be null) receives one JSON line per work item.
     */
    public static SidecarBridge start(PackagedApp app, String sidecarAddress, Path metricsFile) {
        return start(app, channel(sidecarAddress), metricsFile);
    }

    private static SidecarBridge start(PackagedApp app, ManagedChannel channel, Path metricsFile) {
        SidecarBridge bridge = new SidecarBridge(app, channel, metricsFile);
        bridge.receiver.start();
        return bridge;
    }

    /**
     * {@code SidecarBridge --sidecar HOST:PORT [--app DIR] [--http-port N] [--metrics FILE] [--task-hub NAME]
     * [--exit-with-parent]}: runs the packaged app in {@code DIR} (default
     * {@code target/azure-functions/site-backup-func}) on the sidecar, with the HTTP front on loopback port {@code N}
     * (default 7071; 0 picks a free one), until the process ends (with {@code --exit-with-parent}, also when its
     * standard input closes: the process that started it has ended, even by SIGKILL). Prints
     * {@code bridge ready: http://127.0.0.1:<port>} on stdout once both are up.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new HashMap<>(Map.of("--app", "target/azure-functions/site-backup-func",
                "--http-port", "7071", "--task-hub", System.getenv().getOrDefault("TASK_HUB_NAME", "SiteBackupHub")));
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--exit-with-parent")) {
                exitWithParent = true;
                i--;
                continue;
            }
            if (!Set.of("--sidecar", "--app", "--http-port", "--metrics", "--task-hub").contains(args[i])
                    || i + 1 == args.length) {
                System.err.println("usage: SidecarBridge --sidecar HOST:PORT [--app DIR] [--http-port N]"
                        + " [--metrics FILE] [--task-hub NAME] [--exit-with-parent]; not understood: " + args[i]);
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        if (exitWithParent) {
            Thread watch = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // Nothing is ever sent; only the end of the stream matters.
                    }
                } catch (java.io.IOException e) {
                    // A broken pipe ends the parent's side too.
                }
                LOG.info("standard input closed: the process that started this bridge has ended; exiting");
                System.exit(0);
            }, "parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        if (!options.containsKey("--sidecar")) {
            System.err.println("SidecarBridge: --sidecar HOST:PORT is required");
            System.exit(2);
        }
        // The bridge's own two channels to the sidecar are built while the app loads: the first loads gRPC and
        // Netty (the stand-in's, not the app's), a third of a second on 2 cores. The app loads as before.
        String sidecarAddress = options.get("--sidecar");
        CompletableFuture<ManagedChannel[]> channels = CompletableFuture.supplyAsync(
                () -> new ManagedChannel[] {channel(sidecarAddress), channel(sidecarAddress)}, task -> {
                    Thread builder = new Thread(task, "sidecar-channels");
                    builder.setDaemon(true);
                    builder.start();
                });
        PackagedApp app = PackagedApp.load(Path.of(options.get("--app")));
        SidecarBridge bridge = start(app, channels.join()[0],
                options.containsKey("--metrics") ? Path.of(options.get("--metrics")) : null);
        HostHttp http = HostHttp.start(app, sidecarAddress, channels.join()[1], options.get("--task-hub"),
                Integer.parseInt(options.get("--http-port")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            bridge.close();
            app.close();
        }, "bridge-shutdown"));
        System.out.println("bridge ready: http://127.0.0.1:" + http.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** A channel to the sidecar at {@code address}; it connects on first use, and again after a failure. */
    static ManagedChannel channel(String address) {
        // The host gives the worker channel no message size limit; neither does this stand-in.
        return ManagedChannelBuilder.forTarget(address).usePlaintext().maxInboundMessageSize(Integer.MAX_VALUE).build();
    }

    private void receive() {
        long backoffMillis = 100;
        while (!closed) {
            try {
                Iterator<WorkItem> items = sidecar.getWorkItems(GetWorkItemsRequest.getDefaultInstance());
                while (items.hasNext()) {
                    backoffMillis = 100;
                    dispatch(items.next());
                }
            } catch (StatusRuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.FINE, "work-item stream broke; opening it again", e);
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(2_000, backoffMillis * 2);
        }
    }

    private void dispatch(WorkItem item) {
        if (item.hasOrchestratorRequest()) {
            orchestrators.execute(() -> runOrchestrator(item.getOrchestratorRequest()));
        } else if (item.hasActivityRequest()) {
            activities.execute(() -> runActivity(item.getActivityRequest()));
        } else {
            LOG.warning("work item of an unknown kind ignored: " + item.getRequestCase());
        }
    }

    private void runOrchestrator(OrchestratorRequest request) {
        long started = System.nanoTime();
        String name = orchestratorName(request);
        OrchestratorResponse response;
        String outcome;
        if (name == null || !app.functionsTriggeredBy("orchestrationTrigger").contains(name)) {
            response = failed(request, "FunctionNotFound", "The function '" + name
                    + "' doesn't exist, is disabled, or is not an orchestrator function.", "");
            outcome = "unknown orchestrator";
        } else {
            try {
                String base64 = app.runOrchestrator(name, Base64.getEncoder().encodeToString(request.toByteArray()));
                response = OrchestratorResponse.parseFrom(Base64.getDecoder().decode(base64)).toBuilder()
                        .setInstanceId(request.getInstanceId()).build();
                outcome = outcome(response);
            } catch (InvocationFailure failure) {
                LOG.log(Level.WARNING, "orchestrator " + name + " " + request.getInstanceId() + " failed", failure);
                response = failed(request, failure.errorType(), "Function '" + name
                        + "' failed with an unhandled exception: " + failure.errorMessage(), failure.stackTraceText());
                outcome = "invocation failed";
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                response = failed(request, e.getClass().getSimpleName(), "Function '" + name
                        + "' answered no OrchestratorResponse: " + e.getMessage(), "");
                outcome = "bad response";
            }
        }
        OrchestratorResponse answer = response;
        complete(() -> sidecar.completeOrchestratorTask(answer), "orchestrator " + request.getInstanceId());
        metrics.episode(request.getInstanceId(), String.valueOf(name),
                request.getPastEventsCount() + request.getNewEventsCount(), request.getSerializedSize(),
                (int) request.getNewEventsList().stream().filter(HistoryEvent::hasTimerFired).count(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), outcome);
    }

    private void runActivity(ActivityRequest request) {
        long started = System.nanoTime();
        String instanceId = request.getOrchestrationInstance().getInstanceId();
        ActivityResponse.Builder response = ActivityResponse.newBuilder().setInstanceId(instanceId)
                .setTaskId(request.getTaskId());
        boolean failed = false;
        if (!app.functionsTriggeredBy("activityTrigger").contains(request.getName())) {
            response.setFailureDetails(details("FunctionNotFound", "The function '" + request.getName()
                    + "' doesn't exist, is disabled, or is not an activity function.", ""));
            failed = true;
        } else {
            try {
                String input = request.hasInput() ? request.getInput().getValue() : null;
                response.setResult(StringValue.of(app.runActivity(request.getName(), input)));
            } catch (InvocationFailure failure) {
                response.setFailureDetails(details(failure.errorType(), failure.errorMessage(),
                        failure.stackTraceText()));
                failed = true;
            }
        }
        complete(() -> sidecar.completeActivityTask(response.build()),
                "activity " + request.getName() + " #" + request.getTaskId() + " of " + instanceId);
        metrics.activity(instanceId, request.getName(), request.getTaskId(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), failed);
    }

    private static void complete(Runnable call, String what) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            // The sidecar lost this work item (it restarted, or the stream broke): it dispatches it again.
            LOG.info("could not complete " + what + " (" + e.getStatus() + "); the sidecar will dispatch it again");
        }
    }

    private static String orchestratorName(OrchestratorRequest request) {
        return Stream.concat(request.getPastEventsList().stream(), request.getNewEventsList().stream())
                .filter(HistoryEvent::hasExecutionStarted).map(e -> e.getExecutionStarted().getName())
                .findFirst().orElse(null);
    }

    private static String outcome(OrchestratorResponse response) {
        return response.getActionsList().stream().filter(OrchestratorAction::hasCompleteOrchestration)
                .map(a -> a.getCompleteOrchestration().getOrchestrationStatus().name())
                .findFirst().orElse(response.getActionsCount() + " actions");
    }

    private static OrchestratorResponse failed(OrchestratorRequest request, String type, String message,
                                               String stackTrace) {
        return OrchestratorResponse.newBuilder().setInstanceId(request.getInstanceId())
                .addActions(OrchestratorAction.newBuilder().setId(-1).setCompleteOrchestration(
                        CompleteOrchestrationAction.newBuilder()
                                .setOrchestrationStatus(OrchestrationStatus.ORCHESTRATION_STATUS_FAILED)
                                .setFailureDetails(details(type, message, stackTrace))))
                .build();
    }

    private static TaskFailureDetails details(String type, String message, String stackTrace) {
        return TaskFailureDetails.newBuilder().setErrorType(type).setErrorMessage(message)
                .setStackTrace(StringValue.of(stackTrace)).build();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops reading work items and waits up to 30 s for the ones running; the sidecar redelivers the rest. */
    @Override
    public void close() {
        closed = true;
        channel.shutdownNow();
        orchestrators.shutdown();
        activities.shutdown();
        try {
            orchestrators.awaitTermination(30, TimeUnit.SECONDS);
            activities.awaitTermination(30, TimeUnit.SECONDS);
            receiver.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }
}
