package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.contoso.sitebackup.standin.host.BridgeMetrics;
import com.contoso.sitebackup.standin.stack.BridgeProcess;
import com.contoso.sitebackup.standin.stack.SidecarProcess;
import com.contoso.sitebackup.standin.stack.StandIn;
import com.contoso.sitebackup.standin.stack.WorkerJvm;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Sidecars;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The whole local stack of an end-to-end test, started by the stand-in's one client ({@link StandIn}): Azurite, the
 * durabletask-go sidecar, and the bridge JVM running the <b>packaged</b> app (failsafe's {@code functionAppDir})
 * with Azurite as its backup storage and {@code root} as its only read and write root. Requests go through the app's
 * own starter over HTTP, status comes back through the status webhook, as a client of the deployed app sees them;
 * this class adds only what tests read (the bridge's work-item figures) and their assertions.
 */
final class LocalStack implements AutoCloseable {
    /** The client that started the stack. */
    final StandIn stack;
    final Azurite azurite;
    final SidecarProcess sidecar;
    final BridgeProcess bridge;
    /** Every worker (bridge) on the engine, {@link #bridge} (the one answering HTTP) first. */
    final List<BridgeProcess> bridges;
    /** The app's only read and write root: trees to back up and restore targets go under it. */
    final Path root;

    private LocalStack(StandIn stack, Path root) {
        this.stack = stack;
        this.azurite = Azurite.of(stack.azurite().orElseThrow());
        this.sidecar = stack.sidecar();
        this.bridge = stack.bridge();
        this.bridges = stack.bridges();
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
        return start(work, storage, 1, Map.of(), sidecarFlags);
    }

    /**
     * Starts the stack with {@code workers} bridges (workers) on one engine, the way several Functions instances
     * share one task hub, and {@code settings} as extra app settings.
     */
    static LocalStack start(Path work, int workers, Map<String, String> settings, String... sidecarFlags)
            throws IOException {
        return start(work, Azurite::connectionString, workers, settings, sidecarFlags);
    }

    private static LocalStack start(Path work, Function<Azurite, String> storage, int workers,
                                    Map<String, String> settings, String... sidecarFlags) throws IOException {
        String appDir = System.getProperty("functionAppDir");
        assertNotNull(appDir, "system property functionAppDir is not set (run through `mvn verify`)");
        Path root = Files.createDirectories(work.resolve("root"));
        // The skip-or-fail rules of the test kit for a missing Azurite or Go, before the client starts them.
        Azurite.guarded(() -> com.contoso.sitebackup.standin.stack.AzuriteProcess.executable());
        Sidecars.installed();
        StandIn stack = StandIn.in(work).app(Path.of(appDir)).azuriteInMemory()
                .storageOfAzurite(process -> storage.apply(Azurite.of(process)))
                .sidecarFlags(sidecarFlags)
                .settings(Map.of(
                        "BACKUP_READ_ROOTS", root.toString(),
                        "BACKUP_WRITE_ROOTS", root.toString(),
                        "LC_ALL", "C.UTF-8",
                        "TASK_HUB_NAME", "E2EHub",
                        // The worker JVM's options as the project ships them, as a deployed worker gets them.
                        WorkerJvm.JAVA_OPTS, WorkerJvm.shippedJavaOpts()))
                .settings(settings)
                .workers(workers)
                .start();
        return new LocalStack(stack, root);
    }

    /** POSTs {@code body} to the starter for {@code orchestrator}; asserts 202; answers the instance id. */
    String start(String orchestrator, Object body) {
        HttpResponse<String> response = post(orchestrator, json(body));
        assertEquals(202, response.statusCode(), response.body());
        return read(response.body()).get("id").asText();
    }

    /** POSTs the JSON text {@code body} to {@code /orchestrators/<orchestrator>}, as the README's curl does. */
    HttpResponse<String> post(String orchestrator, String body) {
        return stack.post(orchestrator, body);
    }

    /** GETs {@code uri} (a URL the starter answered). */
    HttpResponse<String> get(String uri) {
        return stack.get(uri);
    }

    /** The status webhook's answer for {@code instanceId}: code and body. */
    HttpResponse<String> status(String instanceId) {
        return stack.status(instanceId);
    }

    /**
     * Polls the status webhook every 250 ms until the instance has ended (HTTP 200) and answers the status; fails
     * after {@code timeout}. A poll that fails (the bridge is being restarted) is retried.
     */
    JsonNode awaitEnd(String instanceId, Duration timeout) {
        try {
            return stack.awaitEnd(instanceId, timeout);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), e);
        }
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
        return workItems(bridge, from);
    }

    /** The work items {@code worker} ran from the {@code from}-th on (0: all), across restarts. */
    static List<JsonNode> workItems(BridgeProcess worker, long from) {
        List<String> lines = BridgeMetrics.lines(worker.metricsFile());
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

    static JsonNode read(String json) {
        return StandIn.read(json);
    }

    static String json(Object value) {
        return StandIn.json(value);
    }

    /** Stops the bridge, the sidecar and Azurite, each even when an earlier one fails to stop. */
    @Override
    public void close() {
        stack.close();
    }
}
