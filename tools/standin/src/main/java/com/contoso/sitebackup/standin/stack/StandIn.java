package com.contoso.sitebackup.standin.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnknownFieldSet;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.GetInstanceRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.GetInstanceResponse;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TerminateRequest;
import com.microsoft.durabletask.implementation.protobuf.TaskHubSidecarServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one client of the stand-in: starts the local stack (Azurite when asked, the durabletask-go sidecar with a
 * task hub of its own, and N bridge JVMs that run the <b>packaged</b> app as the Functions host and its Java worker
 * would), talks to it as a client of the deployed app does (a POST to the app's own starter, the status webhook),
 * terminates an instance through the engine, and stops everything it started. The runner
 * ({@code scripts/site-backup}), {@code scripts/stand-in.sh}, the end-to-end tests and the benchmark all use it.
 *
 * <p>Every process runs in a session of its own (a Ctrl-C at the terminal reaches only the caller) and each bridge
 * exits when this JVM does, even when it is killed; the sidecar and Azurite are named by {@link #processes()} so a
 * caller can record them and stop what a killed run left behind.
 */
public final class StandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The status webhook's path, as on the host. */
    public static final String STATUS_PATH = "/runtime/webhooks/durabletask/instances/";

    private final Path directory;
    private final AzuriteProcess azurite;
    private final SidecarProcess sidecar;
    private final List<BridgeProcess> bridges;
    private final String storage;
    /**
     * The engine's gRPC channel for {@link #terminate}, made on first use: building one loads gRPC and Netty (half a
     * second of a command's start on 2 cores), and only an interrupted run needs it.
     */
    private ManagedChannel channel;
    private final HttpClient http;

    private StandIn(Path directory, AzuriteProcess azurite, SidecarProcess sidecar, List<BridgeProcess> bridges,
                    String storage, HttpClient http) {
        this.http = http;
        this.directory = directory;
        this.azurite = azurite;
        this.sidecar = sidecar;
        this.bridges = List.copyOf(bridges);
        this.storage = storage;
    }

    private synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = ManagedChannelBuilder.forTarget(sidecar.address()).usePlaintext()
                    .maxInboundMessageSize(Integer.MAX_VALUE).build();
        }
        return channel;
    }

    private synchronized void closeChannel() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    /** A stack whose files (the task hub, the bridges' logs and metrics) go under {@code directory}. */
    public static Builder in(Path directory) {
        return new Builder(directory);
    }

    /** What to start. */
    public static final class Builder {
        private final Path directory;
        private Path app;
        private String storage;
        private Path azuriteLocation;
        private boolean azurite;
        private int azuritePort;
        private Function<AzuriteProcess, String> storageOfAzurite = AzuriteProcess::connectionString;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> sidecarFlags = new ArrayList<>();
        private int workers = 1;
        private int httpPort;
        private Consumer<ProcessHandle> onProcess = handle -> { };

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        }

        /** The packaged app to run (default: the project's {@code target/azure-functions/site-backup-func}). */
        public Builder app(Path appDir) {
            this.app = appDir;
            return this;
        }

        /** The app's backup storage: this connection string (no Azurite is started). */
        public Builder storage(String connectionString) {
            this.storage = connectionString;
            this.azurite = false;
            return this;
        }

        /** An Azurite of the stack's own, in memory, as the app's backup storage. */
        public Builder azuriteInMemory() {
            this.azurite = true;
            this.azuriteLocation = null;
            return this;
        }

        /** An Azurite of the stack's own keeping its data in {@code location} ({@code port} 0: a free one). */
        public Builder azuriteOnDisk(Path location, int port) {
            this.azurite = true;
            this.azuriteLocation = location;
            this.azuritePort = port;
            return this;
        }

        /**
         * The app's connection string made from the stack's Azurite (one naming a proxy in front of it, for
         * instance); by default Azurite's own.
         */
        public Builder storageOfAzurite(Function<AzuriteProcess, String> storage) {
            this.storageOfAzurite = storage;
            return this;
        }

        /** App settings (the bridges' environment), {@code BackupStorage} apart. */
        public Builder settings(Map<String, String> values) {
            settings.putAll(values);
            return this;
        }

        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** Flags for the sidecar ({@code --lock-timeout 10s}...). */
        public Builder sidecarFlags(String... flags) {
            sidecarFlags.addAll(List.of(flags));
            return this;
        }

        /** How many bridges (workers) run the app on the engine; the first answers HTTP. Default 1. */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + count);
            }
            this.workers = count;
            return this;
        }

        /** The first bridge's HTTP port (default 0: a free one). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** Called with every process the stack starts, right after it started (to record it). */
        public Builder onProcess(Consumer<ProcessHandle> listener) {
            this.onProcess = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Starts Azurite (if asked), the bridges and the sidecar, and returns once all of them serve; what started is
         * stopped if a later step fails. They start side by side: Azurite's second of Node start-up and a bridge
         * JVM's (its own start and the app's load) are most of a stack's start, and the sidecar's fifth of a second
         * fits inside them. The sidecar's port is chosen first, so the bridges are told it as they start; a bridge
         * connects to it when it has loaded the app, and tries again if the sidecar is not listening yet. The sidecar
         * and the bridges touch no storage until a job runs.
         */
        public StandIn start() {
            Path appDir = (app == null ? Project.app() : app).toAbsolutePath();
            if (!Files.isRegularFile(appDir.resolve("host.json")) || !Files.isDirectory(appDir.resolve("lib"))) {
                throw new IllegalArgumentException("the packaged app " + appDir + " is missing: build it with"
                        + " `mvn -B -DskipTests package`");
            }
            if (!azurite && storage == null) {
                throw new IllegalStateException("no storage: give a connection string or an Azurite of its own");
            }
            // The HTTP client (a JDK HttpClient sets up TLS defaults as it is built: 0.4 s of CPU) is built while
            // the bridge's JVM starts, when this one only waits.
            CompletableFuture<HttpClient> http = CompletableFuture.supplyAsync(
                    () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), task -> {
                        Thread builder = new Thread(task, "http-client");
                        builder.setDaemon(true);
                        builder.start();
                    });
            AzuriteProcess startedAzurite = null;
            SidecarProcess startedSidecar = null;
            List<BridgeProcess> startedBridges = new ArrayList<>();
            try {
                Files.createDirectories(directory);
                String connectionString = storage;
                if (azurite) {
                    int port = azuritePort == 0 ? AzuriteProcess.freePort() : azuritePort;
                    startedAzurite = azuriteLocation == null ? AzuriteProcess.inMemory(port)
                            : AzuriteProcess.onDisk(azuriteLocation, port);
                    startedAzurite.launch();
                    startedAzurite.handle().ifPresent(onProcess);
                    connectionString = storageOfAzurite.apply(startedAzurite);
                }
                int sidecarPort = AzuriteProcess.freePort();
                Map<String, String> environment = new LinkedHashMap<>(settings);
                environment.put("BackupStorage", connectionString);
                environment.putIfAbsent("LC_ALL", "C.UTF-8");
                for (int i = 0; i < workers; i++) {
                    BridgeProcess bridge = BridgeProcess.launch(appDir, "127.0.0.1:" + sidecarPort, environment,
                            directory.resolve(i == 0 ? "bridge" : "bridge-" + (i + 1)), i == 0 ? httpPort : 0);
                    startedBridges.add(bridge);
                    bridge.handle().ifPresent(onProcess);
                }
                startedSidecar = SidecarProcess.start(directory.resolve("sidecar"), sidecarPort,
                        sidecarFlags.toArray(String[]::new));
                startedSidecar.handle().ifPresent(onProcess);
                for (BridgeProcess bridge : startedBridges) {
                    bridge.awaitReady();
                }
                if (startedAzurite != null) {
                    startedAzurite.awaitListening();
                }
                return new StandIn(directory, startedAzurite, startedSidecar, startedBridges, connectionString,
                        http.join());
            } catch (IOException e) {
                stopAll(startedBridges, startedSidecar, startedAzurite, Duration.ofSeconds(10));
                throw new UncheckedIOException("cannot create " + directory, e);
            } catch (RuntimeException | Error e) {
                stopAll(startedBridges, startedSidecar, startedAzurite, Duration.ofSeconds(10));
                throw e;
            }
        }
    }

    /** The stack's Azurite, when it started one. */
    public Optional<AzuriteProcess> azurite() {
        return Optional.ofNullable(azurite);
    }

    public SidecarProcess sidecar() {
        return sidecar;
    }

    /** The first bridge: the one that answers HTTP. */
    public BridgeProcess bridge() {
        return bridges.get(0);
    }

    public List<BridgeProcess> bridges() {
        return bridges;
    }

    /** The connection string the app was given as {@code BackupStorage}. */
    public String storage() {
        return storage;
    }

    /** The folder of the stack's files. */
    public Path directory() {
        return directory;
    }

    /** {@code http://127.0.0.1:<port>}: the host's HTTP front (the first bridge's). */
    public URI baseUri() {
        return bridge().baseUri();
    }

    /** Every process of the stack that runs now. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> handles = new ArrayList<>();
        if (azurite != null) {
            azurite.handle().ifPresent(handles::add);
        }
        sidecar.handle().ifPresent(handles::add);
        bridges.forEach(b -> b.handle().ifPresent(handles::add));
        return handles;
    }

    /** POSTs the JSON text {@code body} to the app's starter, {@code /orchestrators/<orchestrator>}. */
    public HttpResponse<String> post(String orchestrator, String body) {
        return send(HttpRequest.newBuilder(baseUri().resolve("/orchestrators/" + orchestrator))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** GETs {@code pathOrUri}: a path on the host's HTTP front, or a whole URL the app answered. */
    public HttpResponse<String> get(String pathOrUri) {
        URI uri = pathOrUri.startsWith("/") ? baseUri().resolve(pathOrUri) : URI.create(pathOrUri);
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    /** The status webhook's answer for {@code instanceId}: 202 running, 200 ended, 404 unknown. */
    public HttpResponse<String> status(String instanceId) {
        return get(STATUS_PATH + instanceId);
    }

    /**
     * Starts {@code orchestrator} with the JSON text {@code body} through the app's starter and answers the 202's
     * body; any other answer is a {@link Refused} with the code and body.
     */
    public JsonNode start(String orchestrator, String body) {
        HttpResponse<String> response = post(orchestrator, body);
        if (response.statusCode() != 202) {
            throw new Refused(response.statusCode(), response.body());
        }
        return read(response.body());
    }

    /** The starter's answer to a request it did not accept. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String body;

        public Refused(int status, String body) {
            super("the starter answered HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    /**
     * Polls the status webhook every {@code every} until the instance has ended (HTTP 200) and answers that status;
     * {@code onStatus} gets every status read while it runs. A poll that fails (a bridge being restarted) is tried
     * again. Fails after {@code timeout}; a 404 fails at once.
     */
    public JsonNode awaitEnd(String instanceId, Duration timeout, Duration every, Consumer<JsonNode> onStatus) {
        return awaitEnd(instanceId, timeout, elapsed -> every, onStatus);
    }

    /**
     * Intervals for {@link #awaitEnd(String, Duration, UnaryOperator, Consumer)} that grow with a run: a
     * {@code divisor}-th of the time since the first poll, at least {@code first}, at most {@code longest}. A short run
     * is seen soon after it ends; a long one is not polled more often than it needs.
     */
    public static UnaryOperator<Duration> growingPolls(Duration first, int divisor, Duration longest) {
        return elapsed -> {
            Duration share = elapsed.dividedBy(divisor);
            return share.compareTo(first) < 0 ? first : share.compareTo(longest) > 0 ? longest : share;
        };
    }

    /**
     * As {@link #awaitEnd(String, Duration, Duration, Consumer)}, waiting {@code every.apply(time since the first
     * poll)} between two polls.
     */
    public JsonNode awaitEnd(String instanceId, Duration timeout, UnaryOperator<Duration> every,
                             Consumer<JsonNode> onStatus) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = status(instanceId);
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200) {
                    return read(response.body());
                }
                if (response.statusCode() == 404) {
                    throw new IllegalStateException("no instance " + instanceId + " in the task hub "
                            + sidecar.database());
                }
                onStatus.accept(read(response.body()));
            } catch (UncheckedIOException bridgeDown) {
                last = bridgeDown.toString();
            }
            sleep(every.apply(Duration.ofNanos(System.nanoTime() - started)).toMillis());
        }
        throw new IllegalStateException(instanceId + " did not end within " + timeout + "; last status: " + last);
    }

    /** {@link #awaitEnd(String, Duration, Duration, Consumer)} every 250 ms, ignoring the statuses on the way. */
    public JsonNode awaitEnd(String instanceId, Duration timeout) {
        return awaitEnd(instanceId, timeout, Duration.ofMillis(250), status -> { });
    }

    /**
     * Terminates {@code instanceId} and its sub-orchestrations (recursively) through the engine, with
     * {@code reason} as its output, and waits up to {@code wait} for the engine to record it ended; answers its
     * status name then ({@code TERMINATED}, or {@code COMPLETED}/{@code FAILED} when it ended first), or
     * {@code RUNNING}... when the wait ran out.
     */
    public String terminate(String instanceId, String reason, Duration wait) {
        TaskHubSidecarServiceGrpc.TaskHubSidecarServiceBlockingStub engine = TaskHubSidecarServiceGrpc
                .newBlockingStub(channel());
        // SDK 1.5.0's TerminateRequest predates field 3, `recursive`, which durabletask-go reads: set it as such.
        TerminateRequest request = TerminateRequest.newBuilder().setInstanceId(instanceId)
                .setOutput(StringValue.of(quote(reason)))
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(3, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
                .build();
        engine.withDeadlineAfter(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS).terminateInstance(request);
        long deadline = System.nanoTime() + wait.toNanos();
        OrchestrationStatus status = OrchestrationStatus.ORCHESTRATION_STATUS_RUNNING;
        while (true) {
            try {
                GetInstanceResponse response = engine.withDeadlineAfter(1, TimeUnit.SECONDS)
                        .getInstance(GetInstanceRequest.newBuilder().setInstanceId(instanceId).build());
                status = response.getOrchestrationState().getOrchestrationStatus();
            } catch (StatusRuntimeException e) {
                // Asked again until the wait runs out.
            }
            if (status == OrchestrationStatus.ORCHESTRATION_STATUS_TERMINATED
                    || status == OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED
                    || status == OrchestrationStatus.ORCHESTRATION_STATUS_FAILED
                    || System.nanoTime() > deadline) {
                return status.name().substring("ORCHESTRATION_STATUS_".length());
            }
            sleep(50);
        }
    }

    /** Stops the bridges, the sidecar and Azurite, each with SIGTERM and then SIGKILL after {@code grace}, at once. */
    public void stop(Duration grace) {
        closeChannel();
        stopAll(bridges, sidecar, azurite, grace);
    }

    /** Kills every process of the stack at once (SIGKILL), without waiting. */
    public void kill() {
        processes().forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops the stack: the bridges finish what they run (30 s at most), the sidecar and Azurite 10 s at most. */
    @Override
    public void close() {
        closeChannel();
        try {
            for (BridgeProcess bridge : bridges) {
                bridge.stop();
            }
        } finally {
            try {
                sidecar.stop();
            } finally {
                if (azurite != null) {
                    azurite.stop();
                }
            }
        }
    }

    private static void stopAll(List<BridgeProcess> bridges, SidecarProcess sidecar, AzuriteProcess azurite,
                                Duration grace) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (BridgeProcess bridge : bridges) {
            stops.add(CompletableFuture.runAsync(() -> bridge.stop(grace)));
        }
        if (sidecar != null) {
            stops.add(CompletableFuture.runAsync(() -> sidecar.stop(grace)));
        }
        if (azurite != null) {
            stops.add(CompletableFuture.runAsync(() -> azurite.stop(grace)));
        }
        for (CompletableFuture<Void> stop : stops) {
            try {
                stop.join();
            } catch (RuntimeException e) {
                // The others are still stopped; a process that would not stop was killed.
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the host stand-in did not answer " + request.uri() + " (see "
                    + bridge().log() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code text} as JSON. */
    public static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** {@code value} as JSON text. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String text) {
        return json(text);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
