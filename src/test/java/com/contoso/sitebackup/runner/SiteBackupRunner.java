package com.contoso.sitebackup.runner;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.engine.BridgeProcess;
import com.contoso.sitebackup.engine.Sidecar;
import com.contoso.sitebackup.testing.Azurite;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The local runner ({@code scripts/site-backup}): one backup, restore or verification of the <b>packaged</b> app
 * from the command line, on the real Durable engine (durabletask-go, {@link Sidecar}) with the bridge that stands
 * in for the Functions host ({@link BridgeProcess}); requests go through the app's own HTTP starter, so the app
 * applies its own settings, the allowed roots included. It starts Azurite (for {@code UseDevelopmentStorage=true}),
 * the sidecar and the bridge, and stops all three on every way out, Ctrl-C included (a shutdown hook).
 *
 * <p>State kept between runs (so that {@code restore} finds what {@code backup} wrote, and {@code status} an
 * earlier instance) is under {@code .tools/run/runner}: Azurite's data, the sidecar's SQLite task hub, the
 * bridge's log and the problem files. See {@link RunnerOptions#USAGE} for the command line and the exit codes.
 */
public final class SiteBackupRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SUCCESS = Set.of("COMPLETED", "DRY_RUN_COMPLETED");
    /** A connection string that points nowhere must fail within 30 s: connect 10 s, answer 15 s at most. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private final Path project;
    private final Path state;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private Azurite azurite;
    private Sidecar sidecar;
    private BridgeProcess bridge;

    private SiteBackupRunner(Path project, Path state) {
        this.project = project;
        this.state = state;
    }

    public static void main(String[] args) {
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(Arrays.asList(args), Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            System.err.println("site-backup: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(RunnerOptions.USAGE);
            System.exit(0);
        }
        String encoding = System.getProperty("sun.jnu.encoding");
        if (!"UTF-8".equalsIgnoreCase(encoding)) {
            System.err.println("site-backup: file names are decoded as " + encoding + ", not UTF-8, so names"
                    + " outside ASCII would be backed up wrong. Run it through scripts/site-backup (it sets"
                    + " LC_ALL=C.UTF-8), or set LC_ALL to a UTF-8 locale that `locale -a` lists.");
            System.exit(2);
        }
        Path project = Path.of(System.getProperty("sitebackup.project", "")).toAbsolutePath();
        Path state = Path.of(System.getProperty("sitebackup.state",
                project.resolve(".tools/run/runner").toString())).toAbsolutePath();
        SiteBackupRunner runner = new SiteBackupRunner(project, state);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stopAll, "site-backup-stop"));
        int exit;
        try {
            exit = runner.run(options);
        } catch (RuntimeException e) {
            System.err.println("site-backup: " + e.getMessage());
            exit = 1;
        }
        System.exit(exit);
    }

    private int run(RunnerOptions options) throws UncheckedIOException {
        Map<String, String> settings = appSettings();
        String storage = options.connectionString != null ? options.connectionString
                : settings.get(Settings.BACKUP_STORAGE);
        if (storage == null || storage.isBlank()) {
            throw new IllegalStateException("no backup storage: give --connection-string or set "
                    + Settings.BACKUP_STORAGE + " (environment or local.settings.json)");
        }
        if (storage.replace(" ", "").equalsIgnoreCase("UseDevelopmentStorage=true")) {
            azurite = Azurite.startOnDisk(directory("azurite"));
            storage = azurite.connectionString();
            System.err.println("site-backup: Azurite at " + azurite.blobEndpoint() + " (data in " + state
                    + "/azurite)");
        } else {
            probe(blobEndpoint(storage));
        }
        settings.put(Settings.BACKUP_STORAGE, storage);
        settings.put("LC_ALL", "C.UTF-8");
        sidecar = Sidecar.start(directory("sidecar"));
        try {
            Files.deleteIfExists(directory("bridge").resolve("metrics.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path appDir = Path.of(System.getProperty("sitebackup.app",
                project.resolve("target/azure-functions/site-backup-func").toString()));
        bridge = BridgeProcess.start(appDir, sidecar.address(), settings, directory("bridge"));
        System.err.println("site-backup: engine durabletask-go on " + sidecar.address() + ", packaged app "
                + appDir + " on the host stand-in at " + bridge.baseUri() + " (log " + bridge.log() + ")");

        String instanceId;
        if (options.command.equals("status")) {
            instanceId = (String) options.request.get("instanceId");
        } else {
            HttpResponse<String> started = send(HttpRequest.newBuilder(
                            bridge.baseUri().resolve("/orchestrators/" + options.orchestrator()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json(options.request))).build());
            if (started.statusCode() != 202) {
                System.err.println("site-backup: the starter refused the request (HTTP " + started.statusCode()
                        + "): " + started.body());
                writeProblems(options, "refused", started.body() + "\n");
                return 1;
            }
            instanceId = read(started.body()).get("id").asText();
            System.err.println("site-backup: started " + options.orchestrator() + " " + instanceId);
        }
        JsonNode status = await(instanceId);
        System.out.println(status.toPrettyString());
        JsonNode custom = status.path("customStatus");
        String phase = custom.path("phase").asText("");
        boolean success = status.path("runtimeStatus").asText().equals("Completed") && SUCCESS.contains(phase);
        long problems = custom.path("problemCount").asLong() + custom.path("failureCount").asLong();
        if (problems > 0 && custom.hasNonNull("report")) {
            String report = downloadReport(storage, settings, custom.get("report").asText());
            Path file = writeProblems(options, instanceId, report);
            System.err.println("site-backup: " + problems + " problem(s), every one in " + file);
        } else if (!success) {
            ObjectNode summary = JSON.createObjectNode();
            summary.put("runtimeStatus", status.path("runtimeStatus").asText());
            summary.put("phase", phase);
            summary.set("message", custom.path("message"));
            summary.set("output", status.path("output"));
            Path file = writeProblems(options, instanceId, json(summary) + "\n");
            System.err.println("site-backup: the run did not complete (" + phase + "); see " + file);
        }
        return success ? 0 : 1;
    }

    /** The app settings: local.settings.json's Values, each of the app's own settings overridden by the environment. */
    private Map<String, String> appSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        Path file = project.resolve("local.settings.json");
        if (Files.isRegularFile(file)) {
            try {
                JSON.readTree(file.toFile()).path("Values").fields()
                        .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        for (String name : Settings.NAMES) {
            String value = System.getenv(name);
            if (value != null) {
                settings.put(name, value);
            }
        }
        String hub = System.getenv("TASK_HUB_NAME");
        if (hub != null) {
            settings.put("TASK_HUB_NAME", hub);
        }
        return settings;
    }

    /** The blob endpoint a connection string names (BlobEndpoint, else the account's public endpoint). */
    static URI blobEndpoint(String connectionString) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
            }
        }
        if (parts.containsKey("blobendpoint")) {
            return URI.create(parts.get("blobendpoint"));
        }
        if (!parts.containsKey("accountname")) {
            throw new IllegalArgumentException("the connection string names no BlobEndpoint and no AccountName");
        }
        return URI.create(parts.getOrDefault("defaultendpointsprotocol", "https") + "://" + parts.get("accountname")
                + ".blob." + parts.getOrDefault("endpointsuffix", "core.windows.net"));
    }

    /** Fails within 25 s, naming the endpoint, when nothing answers HTTP there; any HTTP answer will do. */
    private void probe(URI endpoint) {
        try {
            http.send(HttpRequest.newBuilder(endpoint).timeout(PROBE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the backup storage endpoint " + endpoint + " cannot be reached ("
                    + e + "); check --connection-string or " + Settings.BACKUP_STORAGE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching " + endpoint, e);
        }
    }

    /** Polls the status webhook every second until the instance ends; progress, rate and ETA on stderr. */
    private JsonNode await(String instanceId) {
        URI uri = bridge.baseUri().resolve("/runtime/webhooks/durabletask/instances/" + instanceId);
        long started = System.nanoTime();
        long lastPrinted = 0;
        String lastLine = "";
        while (true) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri).GET().build());
            if (response.statusCode() == 404) {
                throw new IllegalStateException("no instance " + instanceId + " in the task hub " + state
                        + "/sidecar");
            }
            JsonNode status = read(response.body());
            if (response.statusCode() == 200) {
                return status;
            }
            String line = progress(status.path("customStatus"), (System.nanoTime() - started) / 1e9);
            long now = System.nanoTime();
            if (!line.equals(lastLine) || now - lastPrinted > 10_000_000_000L) {
                System.err.println(line);
                lastLine = line;
                lastPrinted = now;
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    static String progress(JsonNode custom, double seconds) {
        long done = custom.path("filesDone").asLong();
        long planned = custom.path("filesPlanned").asLong();
        double rate = done / Math.max(seconds, 0.001);
        String eta = rate > 0 && planned > done ? String.format(Locale.ROOT, "ETA %.0f s", (planned - done) / rate)
                : "ETA -";
        return String.format(Locale.ROOT, "%7.1f s  %-18s files %d/%d  %.1f files/s  bytes %,d/%,d  problems %d  %s",
                seconds, custom.path("phase").asText("STARTING"), done, planned, rate,
                custom.path("bytesDone").asLong(), custom.path("bytesPlanned").asLong(),
                custom.path("problemCount").asLong() + custom.path("failureCount").asLong(), eta);
    }

    private String downloadReport(String storage, Map<String, String> settings, String report) {
        String container = settings.getOrDefault(Settings.BACKUP_MANIFEST_CONTAINER, "backup-manifests");
        return new BlobServiceClientBuilder().connectionString(storage).buildClient()
                .getBlobContainerClient(container).getBlobClient(report).downloadContent()
                .toString();
    }

    private Path writeProblems(RunnerOptions options, String name, String text) {
        Path file = options.problems != null ? options.problems
                : state.resolve("reports").resolve(name + ".problems.jsonl");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the problems to " + file, e);
        }
        return file;
    }

    private Path directory(String name) {
        try {
            return Files.createDirectories(state.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + state.resolve(name), e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the host stand-in did not answer " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the bridge, the sidecar and Azurite, each even when an earlier one fails; runs once, at exit. */
    private synchronized void stopAll() {
        try {
            if (bridge != null) {
                bridge.stop();
            }
        } finally {
            try {
                if (sidecar != null) {
                    sidecar.stop();
                }
            } finally {
                if (azurite != null) {
                    azurite.stop();
                }
            }
        }
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
