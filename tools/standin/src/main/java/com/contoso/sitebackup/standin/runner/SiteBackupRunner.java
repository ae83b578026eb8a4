package com.contoso.sitebackup.standin.runner;

import com.contoso.sitebackup.standin.stack.Project;
import com.contoso.sitebackup.standin.stack.StandIn;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The local runner ({@code scripts/site-backup}): one backup, restore, verification, snapshot listing or retention
 * run of the <b>packaged</b> app from the command line, on the durabletask-go engine with the bridge that stands in
 * for the Functions host ({@link StandIn}); requests go through the app's own HTTP starter, so the app applies its
 * own settings. Before anything starts, the app's own rules decide the request ({@link AppRules}): a refusal names
 * the setting to change. Each run has a task hub of its own ({@link RunState}); Ctrl-C terminates the run's instance
 * through the engine, stops the stack and exits 130 within 5 s, a second Ctrl-C at once.
 */
public final class SiteBackupRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SUCCESS = Set.of("COMPLETED", "DRY_RUN_COMPLETED");
    /** A connection string that points nowhere must fail within 15 s: connect 10 s, answer 5 s at most. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** How long Ctrl-C waits for the engine to record the instance terminated. */
    private static final Duration TERMINATE_WAIT = Duration.ofMillis(2500);
    /** How long Ctrl-C gives each process to stop before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofMillis(700);
    /** Status polls: a tenth of the run's time so far, from 100 ms to 500 ms ({@link #pollInterval}). */
    private static final UnaryOperator<Duration> POLLS = StandIn.growingPolls(Duration.ofMillis(100), 10,
            Duration.ofMillis(500));
    /** After the first Ctrl-C, the runner exits by this time whatever is left. */
    private static final Duration INTERRUPT_LIMIT = Duration.ofMillis(4500);

    private final PrintStream out;
    private final PrintStream err;
    private final Path caller;
    private final AtomicInteger interrupts = new AtomicInteger();
    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();
    private volatile StandIn stack;
    private volatile RunState.Run run;
    private volatile String instanceId;
    private volatile long interruptedNanos;
    private Map<String, String> settings = Map.of();

    private SiteBackupRunner(PrintStream out, PrintStream err, Path caller) {
        this.out = out;
        this.err = err;
        this.caller = caller;
    }

    public static void main(String[] args) {
        SiteBackupRunner runner = new SiteBackupRunner(System.out, System.err, Path.of("").toAbsolutePath());
        int exit = runner.run(args);
        System.out.flush();
        System.err.flush();
        if (runner.interrupts.get() > 0) {
            runner.waitForever(); // the interrupt's own thread ends the process
        }
        System.exit(exit);
    }

    /** The version line: {@code site-backup <version>}. */
    static String version() {
        String version = SiteBackupRunner.class.getPackage().getImplementationVersion();
        return Cli.NAME + " " + (version == null ? "dev" : version);
    }

    int run(String[] args) {
        Path appDir = appDir(args);
        Map<String, List<Map<String, Object>>> schemas;
        try {
            schemas = RequestOption.load(appDir);
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println(Cli.NAME + ": " + e.getMessage());
            return 1;
        }
        if (schemas == null) {
            if (!helpOrVersion(args)) {
                err.println(Cli.NAME + ": no packaged app in " + appDir + " (its request fields are the runner's"
                        + " options): build it with `mvn -o package -DskipTests`, or run scripts/site-backup");
                return 1;
            }
            schemas = Map.of(); // the help of a command without its app's options; scripts/site-backup prints the files
        }
        return run(args, schemas);
    }

    /** The packaged app {@code --app} names, or the project's. */
    private Path appDir(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(Cli.Own.APP.name) && i + 1 < args.length) {
                return caller.resolve(args[i + 1]).toAbsolutePath().normalize();
            }
            if (args[i].startsWith(Cli.Own.APP.name + "=")) {
                return caller.resolve(args[i].substring(Cli.Own.APP.name.length() + 1)).toAbsolutePath().normalize();
            }
        }
        return Project.app();
    }

    private static boolean helpOrVersion(String[] args) {
        return args.length == 0 || java.util.Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("--help")
                || a.equals("-V") || a.equals("--version") || a.equals("help"));
    }

    /** Runs the command line {@code args}, whose request options are {@code schemas}'s. */
    int run(String[] args, Map<String, List<Map<String, Object>>> schemas) {
        CommandLine commandLine = Cli.commandLine(version(), schemas);
        ParseResult parsed;
        Cli.Parsed request;
        try {
            parsed = commandLine.parseArgs(args);
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            if (!parsed.hasSubcommand()) {
                err.println(Cli.NAME + ": a command is required");
                commandLine.usage(err);
                return 2;
            }
            request = Cli.parsed(parsed, caller, schemas);
        } catch (CommandLine.ParameterException e) {
            err.println(Cli.NAME + ": " + e.getMessage());
            String command = e.getCommandLine().getCommandName();
            err.println("Try '" + (command.equals(Cli.NAME) ? Cli.NAME : Cli.NAME + " " + command) + " --help'.");
            return 2;
        }
        String encoding = System.getProperty("sun.jnu.encoding");
        if (!"UTF-8".equalsIgnoreCase(encoding)) {
            err.println(Cli.NAME + ": file names are decoded as " + encoding + ", not UTF-8, so names outside ASCII"
                    + " would be backed up wrong. Run it through scripts/site-backup (it sets LC_ALL=C.UTF-8), or set"
                    + " LC_ALL to a UTF-8 locale that `locale -a` lists.");
            return 2;
        }
        RunState state = new RunState(request.stateDir() != null ? request.stateDir()
                : Project.root().resolve(".tools/run/runner"));
        try {
            if (request.command() == RunnerCommand.STATUS) {
                for (String line : state.sweep()) {
                    err.println(Cli.NAME + ": " + line);
                }
                return status(state, (String) request.request().get("instanceId"), request.json());
            }
            return execute(request, state);
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            if (interrupts.get() > 0) {
                return 130;
            }
            err.println(Cli.NAME + ": " + e.getMessage());
            return 1;
        }
    }

    private int execute(Cli.Parsed request, RunState state) {
        RunnerCommand command = request.command();
        Path appDir = request.app() != null ? request.app() : Project.app();
        if (!Files.isDirectory(appDir.resolve("lib"))) {
            throw new IllegalStateException("the packaged app " + appDir + " is missing: scripts/site-backup builds it,"
                    + " or run `mvn -B -DskipTests package` in the project");
        }
        for (String line : state.sweep()) {
            err.println(Cli.NAME + ": " + line);
        }
        String target = null;
        try (AppRules rules = AppRules.of(appDir)) {
            settings = appSettings(rules.settingNames());
            if (command.startsOrchestration()) {
                AppRules.Decision decision = rules.decide(command.function(), json(request.request()), settings);
                if (!decision.accepted()) {
                    err.println(Cli.NAME + ": refused before anything started (the app's starter would answer HTTP "
                            + decision.status() + " " + decision.error() + "): " + decision.message());
                    String hint = hint(decision.message(), settings);
                    if (hint != null) {
                        err.println(Cli.NAME + ": " + hint);
                    }
                    return 1;
                }
                target = decision.instanceId();
            }
        }
        String storage = request.connectionString() != null ? request.connectionString()
                : settings.get("BackupStorage");
        if (storage == null || storage.isBlank()) {
            throw new IllegalStateException("no backup storage: give --connection-string or set BackupStorage"
                    + " (environment or local.settings.json)");
        }
        boolean devStorage = storage.replace(" ", "").equalsIgnoreCase("UseDevelopmentStorage=true");
        List<RunState.Lock> locks = new ArrayList<>();
        try {
            String[] holder = new String[1];
            if (target != null) {
                RunState.Lock lock = state.lockTarget(target, devStorage ? "development storage"
                        : blobEndpoint(storage).toString(), holder);
                if (lock == null) {
                    err.println(Cli.NAME + ": " + target + " (the same container and prefix, or the same restore"
                            + " target) is being worked on by another site-backup run (pid " + holder[0] + ") in "
                            + state.root() + "; wait for it to end (`" + Cli.NAME + " status --instance-id " + target
                            + "` shows how it is doing)");
                    return 1;
                }
                locks.add(lock);
            }
            if (devStorage) {
                RunState.Lock lock = state.lockAzurite(holder);
                if (lock == null) {
                    err.println(Cli.NAME + ": the runner's development storage (" + state.azurite() + ") is in use by"
                            + " another site-backup run (pid " + holder[0] + "); wait for it, or give this run a"
                            + " storage account of its own with --connection-string");
                    return 1;
                }
                locks.add(lock);
            } else {
                probe(blobEndpoint(storage));
            }
            return startAndFollow(request, state, appDir, settings, devStorage ? null : storage);
        } finally {
            locks.forEach(RunState.Lock::close);
        }
    }

    private int startAndFollow(Cli.Parsed request, RunState state, Path appDir, Map<String, String> settings,
                               String storage) {
        RunnerCommand command = request.command();
        long startedNanos = System.nanoTime();
        run = state.begin(command.command());
        installInterruptHandler();
        boolean keep = true;
        String failure = "exit 1";
        try {
            Map<String, String> appSettings = new LinkedHashMap<>(settings);
            appSettings.remove("BackupStorage");
            StandIn.Builder builder = StandIn.in(run.folder()).app(appDir).settings(appSettings)
                    .workers(request.workers()).onProcess(handle -> {
                        started.add(handle);
                        run.process(handle);
                    });
            if (storage == null) {
                builder.azuriteOnDisk(state.azurite(), 0);
            } else {
                builder.storage(storage);
            }
            stack = builder.start();
            if (interrupts.get() > 0) {
                return 130;
            }
            if (storage == null) {
                err.println(Cli.NAME + ": development storage: Azurite at " + stack.azurite().orElseThrow().blobEndpoint()
                        + " (data in " + state.azurite() + ")");
            }
            err.println(Cli.NAME + ": engine durabletask-go on " + stack.sidecar().address() + " (task hub "
                    + stack.sidecar().database() + "), packaged app " + appDir + " on " + request.workers()
                    + " worker(s), host stand-in at " + stack.baseUri());
            int exit = command == RunnerCommand.SNAPSHOTS ? snapshots(request, settings)
                    : orchestration(request, state, startedNanos);
            keep = exit != 0;
            return exit;
        } catch (RuntimeException | Error e) {
            failure = String.valueOf(e.getMessage());
            throw e;
        } finally {
            if (interrupts.get() == 0) {
                if (stack != null) {
                    stack.stop(Duration.ofSeconds(10));
                }
                run.finished(keep, failure);
                if (keep) {
                    err.println(Cli.NAME + ": the run's logs are in " + run.folder() + " (until the next run)");
                }
            }
        }
    }

    /**
     * How long the runner waits between two status polls, {@code elapsed} into a run: a tenth of the time so far,
     * from 100 ms to 500 ms. A run of a second ends 100 ms before the runner sees it at most, not 500 ms; a run of a
     * minute costs the engine two polls a second (a poll costs the bridge and the sidecar about 3 ms of CPU).
     */
    static Duration pollInterval(Duration elapsed) {
        return POLLS.apply(elapsed);
    }

    private int orchestration(Cli.Parsed request, RunState state, long startedNanos) {
        RunnerCommand command = request.command();
        JsonNode accepted;
        try {
            accepted = stack.start(command.function(), json(request.request()));
        } catch (StandIn.Refused refused) {
            err.println(Cli.NAME + ": the starter refused the request (HTTP " + refused.status() + "): "
                    + refused.body());
            return 1;
        }
        instanceId = accepted.path("id").asText();
        run.instance(instanceId);
        err.println(Cli.NAME + ": started " + command.function() + " " + instanceId + " (Ctrl-C cancels it)");
        Progress progress = new Progress(command.command(), startedNanos);
        JsonNode status = stack.awaitEnd(instanceId, Duration.ofDays(7), SiteBackupRunner::pollInterval, running -> {
            String line = progress.line(running, System.nanoTime());
            if (line != null && interrupts.get() == 0) {
                err.println(line);
                run.status(running);
            }
        });
        run.ended(status);
        // The last progress line: a run whose only batch ended between two looks shows its files and rate here.
        String last = progress.line(status, System.nanoTime());
        if (last != null && interrupts.get() == 0) {
            err.println(last);
        }
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (request.json()) {
            out.println(status.toPrettyString());
        } else {
            Progress.summary(command, status, seconds).forEach(out::println);
        }
        JsonNode custom = status.path("customStatus");
        JsonNode result = command == RunnerCommand.RETENTION && status.path("output").isObject()
                ? status.path("output") : custom;
        String phase = result.path("phase").asText("");
        boolean success = status.path("runtimeStatus").asText().equals("Completed") && SUCCESS.contains(phase);
        long problems = custom.path("problemCount").asLong() + custom.path("failureCount").asLong();
        if (problems > 0 && custom.hasNonNull("report") && command != RunnerCommand.RETENTION) {
            Path file = writeProblems(request, state, instanceId, downloadReport(custom.get("report").asText()));
            err.println(Cli.NAME + ": " + problems + " problem(s), every one in " + file);
        } else if (!success) {
            ObjectNode summary = JSON.createObjectNode();
            summary.put("runtimeStatus", status.path("runtimeStatus").asText());
            summary.put("phase", phase);
            summary.set("message", result.path("message"));
            summary.set("output", status.path("output"));
            Path file = writeProblems(request, state, instanceId, json(summary) + "\n");
            err.println(Cli.NAME + ": the run did not complete (" + phase + "); see " + file);
        }
        return success ? 0 : 1;
    }

    private int snapshots(Cli.Parsed request, Map<String, String> settings) {
        Map<String, Object> fields = request.request();
        String container = (String) fields.getOrDefault("container",
                settings.getOrDefault("BACKUP_CONTAINER", "backups"));
        StringBuilder query = new StringBuilder();
        if (fields.containsKey("blobPrefix")) {
            query.append("?prefix=").append(encode((String) fields.get("blobPrefix")));
        }
        if (fields.containsKey("rootDirectory")) {
            query.append(query.length() == 0 ? "?" : "&").append("rootDirectory=")
                    .append(encode((String) fields.get("rootDirectory")));
        }
        HttpResponse<String> response = stack.get("/snapshots/" + encode(container) + query);
        if (response.statusCode() != 200) {
            err.println(Cli.NAME + ": the app answered HTTP " + response.statusCode() + ": " + response.body());
            return 1;
        }
        JsonNode body = StandIn.read(response.body());
        if (request.json()) {
            out.println(body.toPrettyString());
        } else {
            Progress.snapshots(body).forEach(out::println);
        }
        return 0;
    }

    private int status(RunState state, String id, boolean asJson) {
        var live = state.live(id);
        if (live.isPresent()) {
            JsonNode record = live.get();
            JsonNode status = record.path("status");
            if (asJson) {
                out.println(status.toPrettyString());
            } else {
                String line = new Progress(record.path("command").asText(), System.nanoTime())
                        .line(status, System.nanoTime());
                out.println(id + " is running (site-backup pid " + record.path("pid").asText() + ")"
                        + (line == null ? "" : ": " + line.strip()));
            }
            return 0;
        }
        var recorded = state.record(id);
        if (recorded.isEmpty()) {
            err.println(Cli.NAME + ": no run of " + id + " is recorded in " + state.root());
            return 1;
        }
        JsonNode status = recorded.get();
        if (asJson) {
            out.println(status.toPrettyString());
        } else {
            String name = status.path("name").asText("");
            RunnerCommand command = switch (name) {
                case "BackupSiteContent" -> RunnerCommand.BACKUP;
                case "RestoreSiteContent" -> RunnerCommand.RESTORE;
                case "VerifyBackup" -> RunnerCommand.VERIFY;
                case "ApplyRetention" -> RunnerCommand.RETENTION;
                default -> RunnerCommand.STATUS;
            };
            if (command == RunnerCommand.STATUS) {
                out.println(id + ": " + status.path("runtimeStatus").asText() + ": " + status.path("message").asText(""));
            } else {
                Progress.summary(command, status, 0).forEach(out::println);
            }
        }
        String runtime = status.path("runtimeStatus").asText();
        String phase = status.path("customStatus").path("phase").asText("");
        return runtime.equals("Completed") && SUCCESS.contains(phase) ? 0 : 1;
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM: the first terminates the run's instance through the engine (its sub-orchestrations
     * too), stops the stack and exits 130 (143 for SIGTERM) within {@link #INTERRUPT_LIMIT}; a second one kills the
     * stack's processes and exits at once.
     */
    private void installInterruptHandler() {
        for (String name : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> interrupted(name.equals("INT") ? 130 : 143));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // The JVM keeps this signal (-Xrs): its default applies.
            }
        }
    }

    private void interrupted(int exit) {
        if (interrupts.get() == 0) {
            interruptedNanos = System.nanoTime();
        }
        if (interrupts.incrementAndGet() > 1) {
            err.println();
            err.println(Cli.NAME + ": interrupted again: stopping at once");
            killAll();
            halt(exit);
            return;
        }
        Thread watchdog = new Thread(() -> {
            sleep(INTERRUPT_LIMIT.toMillis());
            err.println(Cli.NAME + ": the stack did not stop in time; its processes are killed");
            killAll();
            halt(exit);
        }, "interrupt-limit");
        watchdog.setDaemon(true);
        watchdog.start();
        new Thread(() -> cancel(exit), "interrupt").start();
    }

    private void cancel(int exit) {
        String id = instanceId;
        StandIn current = stack;
        err.println();
        err.println(Cli.NAME + ": interrupted: " + (id == null ? "stopping the local stack"
                : "terminating " + id + " and stopping the local stack") + " (Ctrl-C again to quit at once)");
        if (current != null && id != null) {
            try {
                String status = current.terminate(id, "cancelled by the runner (interrupted)", TERMINATE_WAIT);
                err.println(Cli.NAME + ": " + id + " is " + status);
                ObjectNode record = JSON.createObjectNode();
                record.put("instanceId", id);
                record.put("runtimeStatus", status.equals("TERMINATED") ? "Terminated" : status);
                record.put("message", "cancelled by the runner (interrupted)");
                run.ended(record);
            } catch (RuntimeException e) {
                err.println(Cli.NAME + ": could not terminate " + id + ": " + e.getMessage()
                        + "; its task hub is removed, so it does not run again");
            }
        }
        if (current != null) {
            current.stop(STOP_GRACE);
        } else {
            killAll();
        }
        RunState.Run current0 = run;
        if (current0 != null) {
            current0.close(false);
        }
        err.println(String.format(Locale.ROOT, "%s: stopped %.1f s after the interrupt", Cli.NAME,
                (System.nanoTime() - interruptedNanos) / 1e9));
        halt(exit);
    }

    private void killAll() {
        started.forEach(ProcessHandle::destroyForcibly);
        StandIn current = stack;
        if (current != null) {
            current.kill();
        }
    }

    private void halt(int exit) {
        out.flush();
        err.flush();
        Runtime.getRuntime().halt(exit);
    }

    private void waitForever() {
        while (true) {
            sleep(1_000);
        }
    }

    /**
     * What to change when the app refuses a folder: the setting that decides it, its value now and where it came
     * from; null for any other refusal.
     */
    static String hint(String message, Map<String, String> settings) {
        String setting = message.contains("app may read") ? "BACKUP_READ_ROOTS"
                : message.contains("app may write") ? "BACKUP_WRITE_ROOTS" : null;
        if (setting == null) {
            return null;
        }
        String now = settings.get(setting);
        String source = System.getenv(setting) != null ? "the environment" : "local.settings.json";
        return "the folders this app may " + (setting.endsWith("READ_ROOTS") ? "read" : "write") + " are the setting "
                + setting + " (now " + (now == null || now.isBlank() ? "empty: none" : "'" + now + "'") + ", from "
                + source + "); to allow this folder, set " + setting + " (a path list, ':'-separated) in the"
                + " environment or in local.settings.json to include it, reached without symbolic links";
    }

    /** The app settings: local.settings.json's Values, each of the app's settings overridden by the environment. */
    private static Map<String, String> appSettings(List<String> names) {
        Map<String, String> settings = new LinkedHashMap<>();
        Path file = Project.root().resolve("local.settings.json");
        if (Files.isRegularFile(file)) {
            try {
                JSON.readTree(file.toFile()).path("Values").fields()
                        .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        List<String> overridable = new ArrayList<>(names);
        overridable.add("TASK_HUB_NAME");
        for (String name : overridable) {
            String value = System.getenv(name);
            if (value != null) {
                settings.put(name, value);
            }
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
    private static void probe(URI endpoint) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            http.send(HttpRequest.newBuilder(endpoint).timeout(PROBE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the backup storage endpoint " + endpoint + " cannot be reached ("
                    + e + "); check --connection-string or BackupStorage");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching " + endpoint, e);
        }
    }

    private String downloadReport(String report) {
        String container = settings.getOrDefault("BACKUP_MANIFEST_CONTAINER", "");
        return new BlobServiceClientBuilder().connectionString(stack.storage()).buildClient()
                .getBlobContainerClient(container.isBlank() ? "backup-manifests" : container).getBlobClient(report)
                .downloadContent().toString();
    }

    private static Path writeProblems(Cli.Parsed request, RunState state, String name, String text) {
        Path file = request.problems() != null ? request.problems()
                : state.reports().resolve(RunState.safe(name) + ".problems.jsonl");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the problems to " + file, e);
        }
        return file;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String json(Object value) {
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
        }
    }
}
