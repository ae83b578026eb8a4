package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.contoso.sitebackup.engine.BridgeMetrics;
import com.contoso.sitebackup.engine.BridgeProcess;
import com.contoso.sitebackup.engine.Sidecar;
import com.contoso.sitebackup.testing.Azurite;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The whole local stack of an end-to-end test: Azurite, the durabletask-go sidecar, and the bridge JVM running
 * the <b>packaged</b> app (failsafe's {@code functionAppDir}) with Azurite as its backup storage and
 * {@code root} as its only read and write root. Requests go through the app's own starter over HTTP, status comes back
 * through the status webhook, as a client of the deployed app sees them.
 */
final class LocalStack implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Azurite azurite;
    final Sidecar sidecar;
    final BridgeProcess bridge;
    /** The app's only read and write root: trees to back up and restore targets go under it. */
    final Path root;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private LocalStack(Azurite azurite, Sidecar sidecar, BridgeProcess bridge, Path root) {
        this.azurite = azurite;
        this.sidecar = sidecar;
        this.bridge = bridge;
        this.root = root;
    }

    /** Starts the stack with its files under {@code work}; {@code sidecarFlags} go to the sidecar. */
    static LocalStack start(Path work, String... sidecarFlags) throws IOException {
        return start(work, Azurite::connectionString, sidecarFlags);
    }

    /**
     * Starts the stack with its files under {@code work}; the app's backup storage is the connection string
     * {@code storage} makes of the stack's Azurite (a proxy in front of it, for instance).
     */
    static LocalStack start(Path work, Function<Azurite, String> storage, String... sidecarFlags) throws IOException {
        String appDir = System.getProperty("functionAppDir");
        assertNotNull(appDir, "system property functionAppDir is not set (run through `mvn verify`)");
        Path root = Files.createDirectories(work.resolve("root"));
        Azurite azurite = Azurite.startInMemory();
        Sidecar sidecar = null;
        try {
            sidecar = Sidecar.start(work.resolve("sidecar"), sidecarFlags);
            BridgeProcess bridge = BridgeProcess.start(Path.of(appDir), sidecar.address(), Map.of(
                    "BackupStorage", storage.apply(azurite),
                    "BACKUP_READ_ROOTS", root.toString(),
                    "BACKUP_WRITE_ROOTS", root.toString(),
                    "LC_ALL", "C.UTF-8",
                    "TASK_HUB_NAME", "E2EHub"), work.resolve("bridge"));
            return new LocalStack(azurite, sidecar, bridge, root);
        } catch (RuntimeException | Error e) {
            if (sidecar != null) {
                sidecar.stop();
            }
            azurite.stop();
            throw e;
        }
    }

    /** POSTs {@code body} to the starter for {@code orchestrator}; asserts 202; answers the instance id. */
    String start(String orchestrator, Object body) {
        HttpResponse<String> response = post(orchestrator, json(body));
        assertEquals(202, response.statusCode(), response.body());
        return read(response.body()).get("id").asText();
    }

    /** POSTs the JSON text {@code body} to {@code /orchestrators/<orchestrator>}, as the README's curl does. */
    HttpResponse<String> post(String orchestrator, String body) {
        return send(HttpRequest.newBuilder(bridge.baseUri().resolve("/orchestrators/" + orchestrator))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** GETs {@code uri} (a URL the starter answered). */
    HttpResponse<String> get(String uri) {
        return send(HttpRequest.newBuilder(java.net.URI.create(uri)).GET().build());
    }

    /** The status webhook's answer for {@code instanceId}: code and body. */
    HttpResponse<String> status(String instanceId) {
        return send(HttpRequest.newBuilder(bridge.baseUri().resolve("/runtime/webhooks/durabletask/instances/"
                + instanceId)).GET().build());
    }

    /**
     * Polls the status webhook every 250 ms until the instance has ended (HTTP 200) and answers the status; fails
     * after {@code timeout}. A poll that fails (the bridge is being restarted) is retried.
     */
    JsonNode awaitEnd(String instanceId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = status(instanceId);
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200) {
                    return read(response.body());
                }
            } catch (UncheckedIOException bridgeDown) {
                last = bridgeDown.toString();
            }
            sleep(250);
        }
        throw new AssertionError(instanceId + " did not end within " + timeout + "; last status: " + last);
    }

    /** The bridge's work items since it first started (from its metrics file, across restarts). */
    Figures figures() {
        List<JsonNode> items = workItems(0);
        long episodes = 0;
        long activities = 0;
        long failures = 0;
        long timers = 0;
        long events = 0;
        long bytes = 0;
        for (JsonNode item : items) {
            if (item.get("kind").asText().equals("episode")) {
                episodes++;
                timers += item.get("timersFired").asLong();
                events = Math.max(events, item.get("events").asLong());
                bytes = Math.max(bytes, item.get("bytes").asLong());
            } else {
                activities++;
                failures += item.get("failed").asBoolean() ? 1 : 0;
            }
        }
        return new Figures(episodes, activities, failures, timers, events, bytes, items.size());
    }

    /** The bridge's work items from the {@code from}-th on (0: all), one JSON object each, across restarts. */
    List<JsonNode> workItems(long from) {
        List<String> lines = BridgeMetrics.lines(bridge.metricsFile());
        return lines.subList((int) Math.min(from, lines.size()), lines.size()).stream().map(LocalStack::read).toList();
    }

    /** Activity executions by function name in {@code workItems}, failed ones included. */
    static Map<String, Long> activitiesByName(List<JsonNode> workItems) {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode item : workItems) {
            if (item.get("kind").asText().equals("activity")) {
                counts.merge(item.get("name").asText(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * Counts of what the bridge ran (durable timers fired included), the largest history an episode replayed, and
     * how many work items it had recorded ({@link #workItems(long)} reads on from there).
     */
    record Figures(long episodes, long activities, long activityFailures, long timersFired, long largestHistoryEvents,
                   long largestHistoryBytes, long workItems) {
        /** What was run since {@code earlier} (the largest history is over the whole run). */
        Figures minus(Figures earlier) {
            return new Figures(episodes - earlier.episodes, activities - earlier.activities,
                    activityFailures - earlier.activityFailures, timersFired - earlier.timersFired,
                    largestHistoryEvents, largestHistoryBytes, workItems - earlier.workItems);
        }

        String describe(Duration wall) {
            double seconds = wall.toMillis() / 1000.0;
            return String.format(java.util.Locale.ROOT, "wall %.1f s, %d episodes, %d activities (%.1f/s), %d failed"
                            + " attempts, %d timers fired, largest history %d events / %,d bytes", seconds, episodes,
                    activities, activities / Math.max(seconds, 0.001), activityFailures, timersFired,
                    largestHistoryEvents, largestHistoryBytes);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the bridge, the sidecar and Azurite, each even when an earlier one fails to stop. */
    @Override
    public void close() {
        try {
            bridge.stop();
        } finally {
            try {
                sidecar.stop();
            } finally {
                azurite.stop();
            }
        }
    }
}
