package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.engine.BridgeProcess;
import com.contoso.sitebackup.engine.Sidecar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real engine as the benchmark's engine ({@code sidecar}, measured as tool {@code app-sidecar}): the
 * <b>packaged</b> app ({@code functionAppDir}, default {@code target/azure-functions/site-backup-func}) run by the
 * bridge JVM ({@link BridgeProcess}, the worker's stand-in) on the durabletask-go sidecar ({@link Sidecar}), each
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

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Stack stack;
    /** Whether a job failed: the stack's folder (the bridge's and the sidecar's logs) is then kept. */
    private boolean failed;

    /** A sidecar and the bridge on it, for one storage account and allowed root. */
    private record Stack(String connectionString, Path allowedRoot, Path directory, Sidecar sidecar,
                         BridgeProcess bridge) {
        void stop(boolean keepLogs) {
            try {
                bridge.close();
            } finally {
                sidecar.stop();
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
        URI base = stackFor(connectionString, allowedRoot).bridge().baseUri();
        boolean completed = false;
        try {
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(base.resolve("/orchestrators/" + orchestrator))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(input)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("the starter answered " + accepted.statusCode() + " to " + orchestrator
                        + ": " + accepted.body());
            }
            JsonNode status = awaitEnd(base, JSON.readTree(accepted.body()).get("id").asText());
            completed = status.get("runtimeStatus").asText().equals("Completed");
            return new Outcome(status.get("runtimeStatus").asText(), status.get("output").toString(),
                    status.get("customStatus").toString());
        } catch (IOException e) {
            throw new UncheckedIOException("the bridge at " + base + " did not answer (see " + stack.bridge().log() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + orchestrator + " ran", e);
        } finally {
            failed |= !completed;
        }
    }

    /**
     * The starter's body for {@code input}: its fields without those that are null or false, as a user writes a
     * request (the starter accepts only the fields a job has; a verification has no {@code dryRun}).
     */
    private static ObjectNode body(Object input) {
        ObjectNode body = JSON.valueToTree(input);
        body.properties().removeIf(field -> field.getValue().isBoolean() && !field.getValue().booleanValue());
        return body;
    }

    private JsonNode awaitEnd(URI base, String id) throws IOException, InterruptedException {
        URI status = base.resolve("/runtime/webhooks/durabletask/instances/" + id);
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(status).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return JSON.readTree(response.body());
            }
            if (response.statusCode() != 202) {
                throw new IllegalStateException("the status of " + id + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            // The webhook's own polling interval would add seconds to a job of one second; 50 ms adds at most that.
            Thread.sleep(50);
        }
        throw new IllegalStateException(id + " did not end within " + JOB_TIMEOUT);
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
            stack.stop(failed);
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
            Sidecar sidecar = Sidecar.start(directory.resolve("sidecar"));
            BridgeProcess bridge;
            try {
                bridge = BridgeProcess.start(appDir, sidecar.address(), BatchSettings.with(Map.of(
                        "BackupStorage", connectionString,
                        "BACKUP_READ_ROOTS", allowedRoot.toString(),
                        "BACKUP_WRITE_ROOTS", allowedRoot.toString(),
                        "LC_ALL", "C.UTF-8",
                        "TASK_HUB_NAME", "BenchHub")), directory.resolve("bridge"));
            } catch (RuntimeException e) {
                sidecar.stop();
                throw e;
            }
            stack = new Stack(connectionString, allowedRoot, directory, sidecar, bridge);
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
