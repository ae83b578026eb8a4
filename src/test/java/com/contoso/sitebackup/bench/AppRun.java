package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.standin.host.BridgeMetrics;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.testing.Trees;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * This app in the benchmark, one job per process: a backup of a tree, a restore of its backup into an empty
 * folder, or a verification of the tree against its backup (by listing, or by content). A Functions worker is a
 * long-lived, warm JVM, so a small backup, restore and verification run first, then the job's own kind on a copy of
 * (up to 2,000 files of) the tree in another folder ({@link #warmUpLike}), and the job itself is also timed
 * in-process ({@code WORK_SECONDS}, and the CPU time it used, {@code WORK_CPU_SECONDS}), beside the process's wall
 * time the benchmark measures; {@code PEAK_RSS_KIB} is the peak memory of this process plus that of the engine's
 * processes, if it started any (the real engine's sidecar and bridge JVM), whose CPU time is counted too;
 * {@code WORKER_RSS_KIB} is the peak of the app's worker JVM alone (the bridge's, or this one in process), and
 * {@code EPISODES}, {@code EVENTS_REPLAYED} and {@code ACTIVITIES} what the job cost the orchestration. With
 * {@code BENCH_REQUEST_LOG} set to Azurite's debug log, the job's storage requests (after the warm-up) follow as
 * {@code REQUESTS <count> <container> <kind>} lines ({@link AzuriteRequestLog}). Exits with 1 unless the job
 * completed with nothing to report (every file copied, restored, or identical).
 *
 * <p>Usage: {@code AppRun <engine> backup|restore|verify|verify-content <tree> <connection string> <container>
 * <work dir> [<restore target>]}; the work dir is the allowed root, and holds the tree and the target.
 */
public final class AppRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** When set, the file of Azurite's debug log: the job's storage requests are counted from it. */
    static final String REQUEST_LOG = "BENCH_REQUEST_LOG";

    /** The container of the warm-up jobs' backups. */
    private static final String WARM_UP_CONTAINER = "warm-up";

    /** Files of the timed tree copied for the warm-up job like it: enough to reach a worker's steady state. */
    static final int WARM_UP_LIKE_FILES = 2_000;

    private AppRun() {
    }

    /**
     * The command that runs this class with {@code arguments} in a JVM of its own, started with the worker's options
     * ({@link BenchSettings#workerJvmOptions}). In process that JVM is the app's worker, so it starts as the host starts
     * one (on the sidecar, the bridge's JVM does, with the same settings). On the sidecar it is the client that stands
     * in for a user's curl, starting the job and polling its status: with the worker's options (C1 only, the serial
     * collector) its own JIT and collector threads take less of the two cores from the job it times (its CPU during a
     * 2,000-file restore, counted with the job's: 140-200 ms, against 260-360 ms with the JVM's defaults).
     */
    static List<String> command(String java, String classpath, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(BenchSettings.workerJvmOptions());
        command.addAll(List.of("-cp", classpath, AppRun.class.getName()));
        command.addAll(arguments);
        return command;
    }

    public static void main(String[] args) throws Exception {
        AppEngine engine = AppEngine.named(args[0]);
        String mode = args[1];
        Path tree = Path.of(args[2]).toRealPath();
        String connection = args[3];
        String container = args[4];
        Path work = Path.of(args[5]).toRealPath();

        Path warmUp = Files.createTempDirectory(work, "warm-up");
        Trees.files(warmUp.resolve("tree"), 20, 1, 1024, 7);
        for (String warm : new String[] {"backup", "restore", "verify-content"}) {
            String problem = problem(warm, job(engine, warm, warmUp.resolve("tree"), connection, WARM_UP_CONTAINER, work,
                    warm.equals("restore") ? warmUp.resolve("restored") : null));
            if (problem != null) {
                throw new IllegalStateException("the warm-up's " + warm + " is not clean: " + problem);
            }
        }

        warmUpLike(engine, mode, tree, connection, work, warmUp);
        // Azurite finds a blob by scanning the account's blobs (LokiBlobMetadataStore: its index's first field is
        // the account), so every request of the timed job would pay for the warm-up's blobs: they go.
        new BlobServiceClientBuilder().connectionString(connection).buildClient()
                .getBlobContainerClient(WARM_UP_CONTAINER).deleteIfExists();

        // The warm-up's files (its copy of the tree, what it restored) are written back now, not during the job.
        Timed.settle();
        AzuriteRequestLog requestLog = System.getenv(REQUEST_LOG) == null ? null
                : new AzuriteRequestLog(Path.of(System.getenv(REQUEST_LOG)));
        int mark = requestLog == null ? 0 : requestLog.mark();
        int metricsFrom = engine instanceof SidecarEngine sidecar ? BridgeMetrics.lines(sidecar.metricsFile()).size() : 0;
        TouchedMemory.asSet();
        // The CPU reading first: it reads /proc for each of the engine's processes (~10 ms), not part of the job.
        long cpu = cpuNanos();
        long started = System.nanoTime();
        AppEngine.Outcome outcome = job(engine, mode, tree, connection, container, work,
                args.length > 6 ? Path.of(args[6]) : null);
        System.out.printf(Locale.ROOT, "WORK_SECONDS %.3f%nWORK_CPU_SECONDS %.3f%nPEAK_RSS_KIB %d%nWORKER_RSS_KIB %d%n",
                (System.nanoTime() - started) / 1e9, (cpuNanos() - cpu) / 1e9, peakRssKiB(), workerRssKiB(engine));
        printCost(engine, metricsFrom);
        if (requestLog != null) {
            AzuriteRequestLog.byContainerAndKind(requestLog.since(mark)).forEach((key, count) ->
                    System.out.println("REQUESTS " + count + " " + key));
        }
        System.out.println(outcome);
        Benchmark.deleteTree(warmUp);
        String problem = problem(mode, outcome);
        if (problem != null) {
            System.out.println("NOT CLEAN: " + problem);
            System.exit(1);
        }
    }

    /**
     * The second warm-up: the timed job's own kind on a copy of (up to {@link #WARM_UP_LIKE_FILES} files of) the timed
     * tree, in another folder so the timed job is still what it is (a first backup, a re-run, a restore of its own
     * backup). The 20-file warm-up above runs each code path, but a worker JVM that compiles only with C1 (as the host
     * starts it, {@code WorkerJvm}) compiles a method after a few hundred calls: measured on the sidecar, a 2,000-file
     * restore cost the bridge 4.2 CPU seconds after the small warm-up alone and 2.5 after a warm-up of 2,000 files. A
     * running Functions worker has done such jobs before; this measures that worker.
     */
    private static void warmUpLike(AppEngine engine, String mode, Path tree, String connection, Path work, Path warmUp)
            throws Exception {
        Path like = warmUp.resolve("like");
        copySome(tree, like, WARM_UP_LIKE_FILES);
        List<String> jobs = switch (mode) {
            // A backup's warm-up is a first backup and an unchanged re-run: the timed one is either.
            case "backup" -> List.of("backup", "backup");
            case "restore" -> List.of("backup", "restore");
            default -> List.of("backup", mode);
        };
        for (String warm : jobs) {
            String problem = problem(warm, job(engine, warm, like, connection, WARM_UP_CONTAINER, work,
                    warm.equals("restore") ? warmUp.resolve("like-restored") : null));
            if (problem != null) {
                throw new IllegalStateException("the warm-up's " + warm + " of a tree like the timed one is not clean: "
                        + problem);
            }
        }
    }

    /** Copies up to {@code limit} regular files of {@code from} into {@code to}, at the same relative paths. */
    private static void copySome(Path from, Path to, int limit) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).sorted().limit(limit).toList();
        }
        for (Path file : files) {
            Path copy = to.resolve(from.relativize(file).toString());
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
        }
    }

    private static AppEngine.Outcome job(AppEngine engine, String mode, Path tree, String connection, String container,
                                         Path work, Path target) {
        BackupRequest backup = BackupRequest.of(tree.toString()).withDefaults(container);
        Object input = switch (mode) {
            case "backup" -> backup;
            case "verify", "verify-content" -> new VerifyRequest(backup.getRootDirectory(), container,
                    backup.getBlobPrefix(), null, null, mode.equals("verify-content"), null);
            case "restore" -> new RestoreRequest(container, BlobNames.defaultPrefix(tree.toString()), target.toString(),
                    false, null);
            default -> throw new IllegalArgumentException("mode must be backup, restore, verify or verify-content: " + mode);
        };
        String orchestrator = switch (mode) {
            case "backup" -> BackupSiteContent.NAME;
            case "restore" -> RestoreSiteContent.NAME;
            default -> VerifyBackup.NAME;
        };
        // The sidecar engine sends the starter the request's user fields only (SidecarEngine.body).
        return engine.run(orchestrator, input, connection, work);
    }

    /**
     * CPU time so far (every thread, user and system), in nanoseconds, of this process and of the processes it
     * started that still run (an engine's stack, {@link SidecarEngine}).
     */
    static long cpuNanos() {
        long own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return own + ProcessHandle.current().descendants()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    /**
     * Peak resident memory in KiB of this process plus that of each process it started that still runs, each
     * from its {@code VmHWM}: what the whole job held at most, counted as if every peak came at once.
     */
    static long peakRssKiB() {
        return peakRssKiB("self") + ProcessHandle.current().descendants()
                .mapToLong(p -> peakRssKiB(Long.toString(p.pid()))).sum();
    }

    private static long peakRssKiB(String pid) {
        try {
            return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.substring("VmHWM:".length()).replace("kB", "").strip()))
                    .findFirst().orElse(0);
        } catch (IOException gone) {
            return 0;
        }
    }

    /**
     * Peak resident memory in KiB of the app's worker JVM: the bridge JVM on the sidecar engine (the Functions
     * worker's stand-in), this JVM in process.
     */
    static long workerRssKiB(AppEngine engine) {
        if (!(engine instanceof SidecarEngine)) {
            return peakRssKiB("self");
        }
        return ProcessHandle.current().descendants().filter(p -> commandLine(p.pid()).contains("SidecarBridge"))
                .mapToLong(p -> peakRssKiB(Long.toString(p.pid()))).max().orElse(0);
    }

    /** The command line of process {@code pid} (its arguments joined by spaces), or "" when it is gone. */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    /**
     * Prints what the job cost the orchestration: {@code EPISODES}, {@code EVENTS_REPLAYED} (history events fed to
     * episodes) and {@code ACTIVITIES}, from the harness's metrics or the bridge's metrics file after line
     * {@code metricsFrom} (the warm-up jobs' lines come before).
     */
    private static void printCost(AppEngine engine, int metricsFrom) throws IOException {
        long episodes = 0;
        long replayed = 0;
        long activities = 0;
        if (engine instanceof HarnessEngine harness) {
            episodes = harness.lastMetrics().episodes();
            replayed = harness.lastMetrics().eventsReplayed();
            activities = harness.lastMetrics().activityExecutions();
        } else if (engine instanceof SidecarEngine sidecar) {
            sleep(300); // the bridge appends a work item's line after answering the sidecar
            List<String> lines = BridgeMetrics.lines(sidecar.metricsFile());
            for (String line : lines.subList(metricsFrom, lines.size())) {
                JsonNode item = JSON.readTree(line);
                if (item.get("kind").asText().equals("episode")) {
                    episodes++;
                    replayed += item.get("events").asLong();
                } else {
                    activities++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "EPISODES %d%nEVENTS_REPLAYED %d%nACTIVITIES %d%n", episodes, replayed, activities);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Why the job's outcome is not clean, or null. */
    private static String problem(String mode, AppEngine.Outcome outcome) throws Exception {
        if (!"Completed".equals(outcome.runtimeStatus())) {
            return "runtime status " + outcome.runtimeStatus();
        }
        JobProgress status = JSON.readValue(outcome.customStatus(), JobProgress.class);
        if (status.getPhase() != JobProgress.Phase.COMPLETED) {
            return "phase " + status.getPhase();
        }
        if (mode.startsWith("verify") && JSON.readValue(outcome.output(), VerifyReport.class).differenceCount() != 0) {
            return "differences found";
        }
        return null;
    }
}
