package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.durable.RequestSchema;
import com.contoso.sitebackup.standin.stack.BridgeProcess;
import com.contoso.sitebackup.standin.stack.StandIn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real engine as the benchmark's engine ({@code sidecar}, measured as tool {@code app-sidecar}): the
 * <b>packaged</b> app ({@code functionAppDir}, default {@code target/azure-functions/site-backup-func}) run by the
 * bridge JVM ({@link BridgeProcess}, the worker's stand-in) on the durabletask-go sidecar, started by the stand-in's
 * one client ({@link StandIn}), each
 * job requested through the app's own starter ({@code POST /orchestrators/<name>}) and followed through the status
 * webhook until it ends, as a user of the app does.
 *
 * <p>The stack (a sidecar with a fresh task hub, and a bridge whose app settings name the storage account and the
 * allowed root) starts with the first job of a connection string and root and then serves every later job with
 * the same ones, as a running function app does; {@link AppRun}'s warm-up jobs therefore warm the bridge JVM the
 * jobs it times run in. It stops when another account or root is asked for, on {@link #close}, and when this JVM
 * exits. The stack's processes are this JVM's descendants, so {@link AppRun} counts their CPU time and peak memory
 * with its own, and reads the bridge's metrics.
 */
public final class SidecarEngine implements AppEngine, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    /** Workers (bridges) on the engine: {@code BENCH_WORKERS}, 1 by default (issue 27: several instances, one hub). */
    private static final int WORKERS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WORKERS", "1"));

    private Stack stack;
    /** Whether a job failed: the stack's folder (the bridge's and the sidecar's logs) is then kept. */
    private boolean failed;

    /** A sidecar and the bridge on it, for one storage account and allowed root. */
    private record Stack(String connectionString, Path allowedRoot, Path directory, StandIn standIn) {
        BridgeProcess bridge() {
            return standIn.bridge();
        }

        void stop(boolean keepLogs) {
            try {
                standIn.close();
            } finally {
                if (keepLogs) {
                    System.err.println("the sidecar engine's logs are kept in " + directory);
                } else {
                    deleteTree(directory);
                }
            }
        }
    }

    @Override
    public String name() {
        return "sidecar";
    }

    @Override
    public Outcome run(String orchestrator, Object input, String connectionString, Path allowedRoot) {
        StandIn standIn = stackFor(connectionString, allowedRoot).standIn();
        boolean completed = false;
        try {
            String id = standIn.start(orchestrator, JSON.writeValueAsString(body(input))).get("id").asText();
            JsonNode status = standIn.awaitEnd(id, JOB_TIMEOUT, SidecarEngine::pollInterval, running -> { });
            completed = status.get("runtimeStatus").asText().equals("Completed");
            return new Outcome(status.get("runtimeStatus").asText(), status.get("output").toString(),
                    status.get("customStatus").toString());
        } catch (StandIn.Refused refused) {
            throw new IllegalStateException("the starter answered " + refused.status() + " to " + orchestrator + ": "
                    + refused.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            failed |= !completed;
        }
    }

    /**
     * How long the benchmark waits between two status polls, {@code elapsed} into a job: 50 ms, or a 50th of the time
     * so far once that is longer. The webhook's own interval (Retry-After, seconds) would add seconds to a job of one
     * second; this adds at most 50 ms or 2 % of a job's time, while a 20,000-file job of two minutes is polled a few
     * hundred times, not 2,400 (each poll costs the bridge and the sidecar about 3 ms of CPU, measured with 500
     * polls of a finished instance).
     */
    static Duration pollInterval(Duration elapsed) {
        return StandIn.growingPolls(FIRST_POLL, 50, JOB_TIMEOUT).apply(elapsed);
    }

    /**
     * The starter's body for {@code input}: its user fields ({@link RequestSchema} of its type) that are set (not
     * null, not false), as a user writes a request; the stamped ones (code version, account, report) are left to
     * the starter, which refuses them in a body.
     */
    static ObjectNode body(Object input) {
        ObjectNode all = JSON.valueToTree(input);
        ObjectNode body = JSON.createObjectNode();
        for (String name : RequestSchema.names(input.getClass())) {
            JsonNode value = all.get(name);
            if (value != null && !value.isNull() && !(value.isBoolean() && !value.booleanValue())) {
                body.set(name, value);
            }
        }
        return body;
    }

    /**
     * Starts the stack for {@code connectionString} and {@code allowedRoot} unless it runs already (a benchmark that
     * times the stack's start apart from its jobs calls this first).
     */
    public void start(String connectionString, Path allowedRoot) {
        stackFor(connectionString, allowedRoot);
    }

    /** The running bridge's metrics, one JSON line per episode and per activity ({@link BridgeProcess}). */
    public synchronized Path metricsFile() {
        if (stack == null) {
            throw new IllegalStateException("the sidecar engine runs no stack");
        }
        return stack.bridge().metricsFile();
    }

    /** Stops the stack, if one runs. */
    @Override
    public synchronized void close() {
        if (stack != null) {
            stack.stop(failed || System.getenv("BENCH_KEEP_LOGS") != null);
            stack = null;
        }
    }

    private synchronized Stack stackFor(String connectionString, Path allowedRoot) {
        if (stack != null && stack.connectionString().equals(connectionString) && stack.allowedRoot().equals(allowedRoot)) {
            return stack;
        }
        if (stack != null) {
            stack.stop(failed);
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "sidecar-engine-stop"));
        }
        Path appDir = Path.of(System.getProperty("functionAppDir", "target/azure-functions/site-backup-func"))
                .toAbsolutePath();
        if (!Files.isRegularFile(appDir.resolve("host.json")) || !Files.isDirectory(appDir.resolve("lib"))) {
            throw new IllegalArgumentException("functionAppDir " + appDir + " is not a packaged app: run mvn package");
        }
        try {
            Path directory = Files.createTempDirectory("sidecar-engine-");
            StandIn standIn = StandIn.in(directory).app(appDir).storage(connectionString).settings(BenchSettings.with(
                    Map.of("BACKUP_READ_ROOTS", allowedRoot.toString(),
                            "BACKUP_WRITE_ROOTS", allowedRoot.toString(),
                            "LC_ALL", "C.UTF-8",
                            "TASK_HUB_NAME", "BenchHub"))).workers(WORKERS).start();
            stack = new Stack(connectionString, allowedRoot, directory, standIn);
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the sidecar engine", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover folder under the temporary directory is not worth failing a benchmark run for.
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
