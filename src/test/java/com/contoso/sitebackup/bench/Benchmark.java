package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Trees;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The benchmark of issue 22: this app on each {@link AppEngine} ({@code app}: the in-process harness with the real
 * activities and host.json's concurrency; {@code app-sidecar}: the packaged app run by the bridge JVM on the
 * durabletask-go sidecar, requested through its own starter) against rclone and plain SDK uploads, on the same trees,
 * each run in its own process under {@code /usr/bin/time} on a fresh in-memory Azurite, after a {@code sync}
 * ({@link Timed#settle}), the order of the tools reversed every other round. Scenarios:
 * <ul>
 *   <li>{@code backup small}: 2,000 files of 1-16 KiB: app, {@code rclone copy}, SDK uploads (the ceiling); then
 *       {@code re-run small}, the same backup again with nothing changed (app, rclone);</li>
 *   <li>{@code backup large}: 8 files of 32 MiB: app, rclone, SDK uploads (the ceiling), and the SDK's uploads
 *       with each body read through an open handle as the app's copier must ({@code sdk-handle}, no goal);</li>
 *   <li>{@code restore small}: the app's backup of the small tree into an empty folder: app, {@code rclone copy}
 *       from the same blobs; {@code restore large} the same for the 8 files of 32 MiB (no goal: how a restore of
 *       large files compares);</li>
 *   <li>{@code verify small}: the small tree against its backup, the app by content, {@code rclone check} (local MD5
 *       against the listed Content-MD5);</li>
 *   <li>{@code backup empty}: 20,000 empty files: app and rclone, with the peak RSS of the app's worker JVM.</li>
 * </ul>
 * Then one more pass, not timed, of the small tree's backup, re-run, restore and verify and the large files' backup
 * and restore on an Azurite that writes its debug log, counting each tool's storage requests ({@link AzuriteRequestLog}) per
 * container and kind. Prints every
 * run, a table of medians with their spread, issue 22's goal table (one row per goal per engine: measured, target,
 * met or missed) and the request counts per file. {@code --quick} (bench/run.sh's {@code BENCH_QUICK=1}) shrinks the
 * trees to 200 small files, 2 x 8 MiB and 2,000 empty files, for a smoke run; its ratios are not the goals'.
 *
 * <p>Usage: {@code Benchmark <rounds> <work dir> [--quick]}.
 */
public final class Benchmark {
    private static final String CONTAINER = "bench";
    private static final String MANIFESTS = BackupApp.MANIFEST_CONTAINER;

    /**
     * One timed run: process wall time, in-process (warm) time for the Java runs, CPU seconds (the job's own, with
     * its engine's processes, for the Java runs; the whole process's otherwise), peak RSS of the whole (all of a
     * Java run's processes), peak RSS of the app's worker JVM (0 for other tools), and the orchestration's cost.
     */
    record Run(String scenario, String tool, int round, double seconds, double warmSeconds, double cpuSeconds,
               long peakRssKiB, long workerRssKiB, long activities, long eventsReplayed) {
    }

    /** A tree of the benchmark: its name in the scenarios, what it holds, and how many files. */
    private record Tree(String name, String description, Path dir, int files, long bytes) {
    }

    /**
     * The SDK's upload of the large tree with bodies read through an open handle ({@link SdkUpload}'s {@code handle}):
     * a reference beside the ceiling, with no goal.
     */
    private static final String SDK_HANDLE = "sdk-handle";

    private final Path work;
    private final boolean quick;
    private final List<AppEngine> engines = AppEngine.available();
    private final String classpath = System.getProperty("java.class.path");
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, Tree> trees = new LinkedHashMap<>();
    /** Requests counted per scenario, tool, and "container kind". */
    private final Map<String, Map<String, Map<String, Long>>> requests = new LinkedHashMap<>();

    private Benchmark(Path work, boolean quick) {
        this.work = work;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target/bench")).toRealPath();
        boolean quick = args.length > 2 && args[2].equals("--quick");
        new Benchmark(work, quick).run(rounds);
    }

    private void run(int rounds) throws Exception {
        System.out.println("engines: " + engines.stream().map(AppEngine::tool).toList() + "; " + rounds + " round(s)"
                + (quick ? ", QUICK (small trees: a smoke run, not the goals' sizes)" : "") + "; load average at start: "
                + loadAverage());
        tree("small", quick ? 200 : 2_000, "files of 1-16 KiB", dir -> Trees.files(dir, quick ? 200 : 2_000, 1024,
                16 * 1024, 42));
        // BENCH_LARGE_FILES: more files of 32 MiB than the goal's 8, to see how the large row's ratio moves with the
        // job's size (the job's fixed cost against its data); the goal's measurement is 8.
        int largeFiles = quick ? 2 : Integer.parseInt(System.getenv().getOrDefault("BENCH_LARGE_FILES", "8"));
        tree("large", largeFiles, quick ? "files of 8 MiB" : "files of 32 MiB",
                dir -> Trees.bigFiles(dir, largeFiles, (quick ? 8L : 32L) << 20, 43));
        tree("empty", quick ? 2_000 : 20_000, "empty files", dir -> Trees.files(dir, quick ? 2_000 : 20_000, 0, 0, 20));
        for (int round = 1; round <= rounds; round++) {
            long started = System.nanoTime();
            if (selected("small")) {
                backups(round, "small", true, null);
            }
            if (selected("large")) {
                backups(round, "large", false, null);
            }
            if (selected("restore")) {
                restores(round, "small", null);
            }
            if (selected("restore-large")) {
                restores(round, "large", null);
            }
            if (selected("verify")) {
                verifies(round, null);
            }
            List<String> emptyTools = new ArrayList<>(appTools(""));
            emptyTools.add("rclone");
            for (String tool : selected("empty") ? alternate(emptyTools, round) : List.<String>of()) {
                try (Azurite azurite = fresh(null)) {
                    record(timed("backup empty", tool, round, backup(tool, trees.get("empty"), azurite), azurite, null));
                }
            }
            System.out.printf(Locale.ROOT, "round %d took %.0f s; load average %s%n", round,
                    (System.nanoTime() - started) / 1e9, loadAverage());
        }
        long started = System.nanoTime();
        System.out.println("counting storage requests (one pass with Azurite's debug log, not timed)");
        if (selected("small")) {
            backups(0, "small", true, "requests");
        }
        if (selected("large")) {
            backups(0, "large", false, "requests");
        }
        if (selected("restore")) {
            restores(0, "small", "requests");
        }
        if (selected("restore-large")) {
            restores(0, "large", "requests");
        }
        if (selected("verify")) {
            verifies(0, "requests");
        }
        System.out.printf(Locale.ROOT, "request counting took %.0f s; load average at end: %s%n",
                (System.nanoTime() - started) / 1e9, loadAverage());
        printTable();
        printGoals();
        printRequests();
    }

    /**
     * Whether {@code scenario} (small, large, restore, restore-large, verify, empty) runs: all of them unless {@code BENCH_SCENARIOS}
     * names some, comma-separated (a partial run for working on one row; the goal table needs them all).
     */
    private static boolean selected(String scenario) {
        String only = System.getenv("BENCH_SCENARIOS");
        return only == null || only.isBlank() || List.of(only.split(",")).contains(scenario);
    }

    private interface Generator {
        long generate(Path dir);
    }

    private void tree(String name, int files, String description, Generator generator) throws IOException {
        Path dir = work.resolve("trees").resolve(name + "-" + files + (name.equals("large") && quick ? "-8MiB" : ""));
        Path done = dir.resolveSibling(dir.getFileName() + ".bytes");
        if (!Files.exists(done)) {
            System.out.println("generating the " + name + " tree in " + dir);
            deleteTree(dir);
            Files.writeString(done, Long.toString(generator.generate(dir)));
        }
        trees.put(name, new Tree(name, String.format(Locale.ROOT, "%,d %s", files, description), dir, files,
                Long.parseLong(Files.readString(done).strip())));
    }

    /** Backs up {@code tree} with each tool, and runs each again unchanged when {@code reRun}. */
    private void backups(int round, String tree, boolean reRun, String requestPass) throws Exception {
        Tree source = trees.get(tree);
        List<String> tools = new ArrayList<>(appTools(""));
        tools.addAll(List.of("rclone", "sdk"));
        if (tree.equals("large")) {
            tools.add(SDK_HANDLE);
        }
        for (String tool : alternate(tools, round)) {
            try (Azurite azurite = fresh(requestPass == null ? null : requestLog("backup " + tree, tool))) {
                record(timed("backup " + tree, tool, round, backup(tool, source, azurite), azurite, requestPass));
                if (reRun && !tool.startsWith("sdk")) {
                    record(timed("re-run " + tree, tool, round, backup(tool, source, azurite), azurite, requestPass));
                }
            }
        }
    }

    /** Restores the app's backup of {@code tree} with each tool into an empty folder. */
    private void restores(int round, String tree, String requestPass) throws Exception {
        Tree source = trees.get(tree);
        List<String> tools = new ArrayList<>(appTools(""));
        tools.add("rclone");
        for (String tool : alternate(tools, round)) {
            try (Azurite azurite = populated(source, requestPass == null ? null
                    : requestLog("restore " + tree, tool))) {
                Path target = work.resolve("restored").resolve(tool + "-" + tree + "-" + round);
                deleteTree(target);
                record(timed("restore " + tree, tool, round, restore(tool, source, target, azurite), azurite,
                        requestPass));
                deleteTree(target);
            }
        }
    }

    private void verifies(int round, String requestPass) throws Exception {
        Tree small = trees.get("small");
        List<String> tools = new ArrayList<>(appTools("-content"));
        tools.add("rclone-check");
        for (String tool : alternate(tools, round)) {
            try (Azurite azurite = populated(small, requestPass == null ? null : requestLog("verify small", tool))) {
                record(timed("verify small", tool, round, verify(tool, small, azurite), azurite, requestPass));
            }
        }
    }

    /**
     * The debug log of the request pass's Azurite for {@code scenario} and {@code tool}, kept after the run
     * ({@code azurite-backup-large-app.log}; a re-run shares its backup's Azurite): {@link RequestTimeline} reads it.
     */
    private Path requestLog(String scenario, String tool) {
        return work.resolve("azurite-" + scenario.replace("re-run", "backup").replace(' ', '-') + "-" + tool + ".log");
    }

    /** The app's tools, one per engine, with {@code suffix}. */
    private List<String> appTools(String suffix) {
        return engines.stream().map(engine -> engine.tool() + suffix).toList();
    }

    private static List<String> alternate(List<String> tools, int round) {
        List<String> order = new ArrayList<>(tools);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    /** A fresh in-memory Azurite with the backup container, writing its debug log to {@code debugLog} if not null. */
    private static Azurite fresh(Path debugLog) throws IOException {
        Azurite azurite;
        if (debugLog == null) {
            azurite = Azurite.startInMemory();
        } else {
            Files.deleteIfExists(debugLog);
            azurite = Azurite.startInMemoryLogged(debugLog);
        }
        azurite.client().getBlobContainerClient(CONTAINER).createIfNotExists();
        return azurite;
    }

    /** A fresh Azurite holding the app's backup of {@code tree} (made in this process, not timed). */
    private Azurite populated(Tree tree, Path debugLog) throws IOException {
        Azurite azurite = fresh(debugLog);
        HarnessResult backup = BackupApp.harness(azurite.client(), work, BenchSettings.batchFiles(),
                DurableHarness.Faults.none()).run(BackupSiteContent.NAME, BackupApp.request(tree.dir(), CONTAINER));
        if (!backup.runtimeStatus().equals("Completed")) {
            azurite.close();
            throw new IllegalStateException("the backup that a restore or verify starts from failed: " + backup.statusJson());
        }
        return azurite;
    }

    private List<String> backup(String tool, Tree tree, Azurite azurite) {
        return switch (tool) {
            case "rclone" -> List.of("rclone", "copy", tree.dir().toString(), "az:" + CONTAINER + "/" + prefix(tree),
                    "--transfers", "16", "--config", "/dev/null");
            case "sdk" -> List.of(java(), "-cp", classpath, SdkUpload.class.getName(), tree.dir().toString(),
                    azurite.connectionString(), CONTAINER, "16");
            case SDK_HANDLE -> List.of(java(), "-cp", classpath, SdkUpload.class.getName(), tree.dir().toString(),
                    azurite.connectionString(), CONTAINER, "16", "handle");
            default -> app(tool, "backup", tree, azurite, null);
        };
    }

    private List<String> restore(String tool, Tree tree, Path target, Azurite azurite) {
        return tool.equals("rclone")
                ? List.of("rclone", "copy", "az:" + CONTAINER + "/" + prefix(tree), target.toString(),
                        "--transfers", "16", "--config", "/dev/null")
                : app(tool, "restore", tree, azurite, target);
    }

    private List<String> verify(String tool, Tree tree, Azurite azurite) {
        return tool.equals("rclone-check")
                ? List.of("rclone", "check", tree.dir().toString(), "az:" + CONTAINER + "/" + prefix(tree),
                        "--checkers", "16", "--config", "/dev/null")
                : app(tool.substring(0, tool.length() - "-content".length()), "verify-content", tree, azurite, null);
    }

    private List<String> app(String tool, String mode, Tree tree, Azurite azurite, Path target) {
        String engine = engines.stream().filter(e -> e.tool().equals(tool)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tool " + tool)).name();
        List<String> arguments = new ArrayList<>(List.of(engine, mode, tree.dir().toString(),
                azurite.connectionString(), CONTAINER, work.toString()));
        if (target != null) {
            arguments.add(target.toString());
        }
        return AppRun.command(java(), classpath, arguments);
    }

    /** The prefix the app's backup of {@code tree} uses, which every other tool writes and reads as well. */
    private static String prefix(Tree tree) {
        return BlobNames.defaultPrefix(tree.dir().toString());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void record(Run run) {
        if (run == null) {
            return;
        }
        runs.add(run);
        System.out.printf(Locale.ROOT, "round %d  %-14s %-18s %8.2f s  (warm %6.2f s, CPU %6.2f s)  %7.1f MiB peak RSS%s"
                        + "  load %s%n", run.round(), run.scenario(), run.tool(), run.seconds(), run.warmSeconds(),
                run.cpuSeconds(), run.peakRssKiB() / 1024.0, run.tool().startsWith("app")
                        ? String.format(Locale.ROOT, " (worker %.1f MiB; %d activities, %d events replayed)",
                                run.workerRssKiB() / 1024.0, run.activities(), run.eventsReplayed()) : "",
                loadAverage().split(" ")[0]);
    }

    /**
     * Runs {@code command} under {@code /usr/bin/time}. In the request pass ({@code requestPass} not null, Azurite
     * writing its debug log) it records the storage requests instead and returns null: rclone's and the SDK's from
     * the log after a mark, the app's as {@link AppRun} counted them after its warm-up.
     */
    private Run timed(String scenario, String tool, int round, List<String> command, Azurite azurite,
                      String requestPass) throws Exception {
        Path log = work.resolve((scenario + "-" + tool + "-" + (requestPass == null ? round : requestPass))
                .replace(' ', '-') + ".log");
        BlobContainerClient container = azurite.client().getBlobContainerClient(CONTAINER);
        String sasUrl = container.getBlobContainerUrl() + "?" + container.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(2), BlobContainerSasPermission.parse("racwdl")));
        Map<String, String> environment = new HashMap<>(Map.of(
                "RCLONE_CONFIG_AZ_TYPE", "azureblob",
                "RCLONE_CONFIG_AZ_SAS_URL", sasUrl));
        AzuriteRequestLog requestLog = null;
        int mark = 0;
        if (requestPass != null) {
            Path debugLog = requestLog(scenario, tool);
            requestLog = new AzuriteRequestLog(debugLog);
            mark = requestLog.mark();
            environment.put(AppRun.REQUEST_LOG, debugLog.toString());
        }
        long touch = touchMiB(scenario);
        environment.put(TouchedMemory.SETTING, Long.toString(touch));
        if (!tool.startsWith("app") && !tool.startsWith("sdk")) {
            TouchedMemory.touch(touch); // the Java runs touch it themselves, after their warm-ups
        }
        Timed run = Timed.run(command, environment, log);
        if (requestPass != null) {
            Map<String, Long> counted = new TreeMap<>();
            if (tool.startsWith("app")) {
                for (String line : run.lines("REQUESTS")) {
                    String[] fields = line.split(" ", 2);
                    counted.put(fields[1], Long.parseLong(fields[0]));
                }
            } else {
                counted.putAll(AzuriteRequestLog.byContainerAndKind(requestLog.since(mark)));
            }
            requests.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).put(tool, counted);
            System.out.println("requests  " + scenario + "  " + tool + ": " + counted);
            return null;
        }
        return new Run(scenario, tool, round, run.seconds(), run.reported("WORK_SECONDS", run.seconds()),
                run.reported("WORK_CPU_SECONDS", run.cpuSeconds()),
                // A Java run counts its engine's processes too (PEAK_RSS_KIB); /usr/bin/time sees the largest one only.
                (long) run.reported("PEAK_RSS_KIB", run.peakRssKiB()), (long) run.reported("WORKER_RSS_KIB", 0),
                (long) run.reported("ACTIVITIES", 0), (long) run.reported("EVENTS_REPLAYED", 0));
    }

    /**
     * The MiB of free memory touched before each timed run of {@code scenario} ({@link TouchedMemory}): 64 and twice
     * its tree's bytes (the storage emulator's copy and the page cache's); none with {@code BENCH_TOUCH=0}.
     */
    private long touchMiB(String scenario) {
        if ("0".equals(System.getenv("BENCH_TOUCH"))) {
            return 0;
        }
        Tree tree = trees.get(scenario.substring(scenario.lastIndexOf(' ') + 1));
        return 64 + 2 * (tree.bytes() >> 20);
    }

    private List<Run> runsOf(String scenario, String tool) {
        return runs.stream().filter(r -> r.scenario().equals(scenario) && r.tool().equals(tool)).toList();
    }

    /** The median warm seconds of {@code tool} in {@code scenario}, or NaN when it did not run. */
    private double warm(String scenario, String tool) {
        List<Run> mine = runsOf(scenario, tool);
        return mine.isEmpty() ? Double.NaN : median(mine.stream().map(Run::warmSeconds).toList());
    }

    /** The median CPU seconds of {@code tool} in {@code scenario}, or NaN when it did not run. */
    private double cpu(String scenario, String tool) {
        List<Run> mine = runsOf(scenario, tool);
        return mine.isEmpty() ? Double.NaN : median(mine.stream().map(Run::cpuSeconds).toList());
    }

    /** The tool every other tool of a scenario is compared with. */
    private static String reference(String scenario) {
        return scenario.startsWith("verify") ? "rclone-check" : "rclone";
    }

    private Tree treeOf(String scenario) {
        return trees.get(scenario.substring(scenario.indexOf(' ') + 1));
    }

    private void printTable() {
        System.out.println();
        System.out.println("Trees: " + trees.values().stream().map(t -> t.name() + " = " + t.description()).toList());
        System.out.println("| scenario | tool | median s (warm) | spread (warm, min-max) | median s (process) | MiB/s (warm)"
                + " | vs rclone (warm) | vs SDK ceiling | median CPU s | CPU vs rclone | peak RSS MiB (max) | worker JVM"
                + " peak RSS MiB (max) | activities | events replayed | runs |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<String> scenarios = runs.stream().map(Run::scenario).distinct().toList();
        for (String scenario : scenarios) {
            List<String> tools = runs.stream().filter(r -> r.scenario().equals(scenario)).map(Run::tool).distinct()
                    .sorted(Comparator.comparing((String t) -> !t.startsWith("app")).thenComparing(t -> t)).toList();
            for (String tool : tools) {
                List<Run> mine = runsOf(scenario, tool);
                double warm = warm(scenario, tool);
                double process = median(mine.stream().map(Run::seconds).toList());
                double min = mine.stream().mapToDouble(Run::warmSeconds).min().orElse(0);
                double max = mine.stream().mapToDouble(Run::warmSeconds).max().orElse(0);
                long rss = mine.stream().mapToLong(Run::peakRssKiB).max().orElse(0);
                long worker = mine.stream().mapToLong(Run::workerRssKiB).max().orElse(0);
                double cpu = cpu(scenario, tool);
                Tree tree = treeOf(scenario);
                boolean moves = !scenario.startsWith("re-run") && !scenario.startsWith("verify") && tree.bytes() > 0;
                boolean app = tool.startsWith("app");
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f-%.2f | %.2f | %s | %s | %s | %.2f | %s | %.0f | %s"
                                + " | %s | %s | %d |%n",
                        scenario, tool, warm, min, max, process,
                        moves ? String.format(Locale.ROOT, "%.1f", tree.bytes() / warm / (1 << 20)) : "-",
                        ratio(warm, warm(scenario, reference(scenario))),
                        scenario.startsWith("backup") ? ratio(warm, warm(scenario, "sdk")) : "-", cpu,
                        ratio(cpu, cpu(scenario, reference(scenario))), rss / 1024.0,
                        app ? String.format(Locale.ROOT, "%.0f", worker / 1024.0) : "-",
                        app ? String.format(Locale.ROOT, "%.0f", median(mine.stream().map(r -> (double) r.activities()).toList()))
                                : "-",
                        app ? String.format(Locale.ROOT, "%.0f", median(mine.stream().map(r -> (double) r.eventsReplayed())
                                .toList())) : "-", mine.size());
            }
        }
        System.out.println("(warm: the Java runs' in-process time after a warm-up, as in a running Functions worker;"
                + " rclone's is its process time. CPU: the Java runs' CPU time for the job alone, with their engine's"
                + " processes (bridge JVM and sidecar); the whole process's for rclone; Azurite's is not counted. Ratios"
                + " compare medians of this run; below 1 is faster. verify rows compare with rclone check. app-sidecar:"
                + " warm is the job from the starter's POST to the webhook's end, after warm-up jobs on the same bridge;"
                + " its peak RSS is the bridge JVM's plus the sidecar's plus the client's, its worker JVM the bridge's.)");
    }

    private void printGoals() {
        Tree small = trees.get("small");
        Tree large = trees.get("large");
        Tree empty = trees.get("empty");
        System.out.println();
        System.out.println("| goal (issue 22) | engine | measured (ratio of medians) | spread (per-round ratios) | target"
                + " | result |");
        System.out.println("| --- | --- | ---: | ---: | ---: | --- |");
        for (AppEngine engine : engines) {
            String app = engine.tool();
            goal(String.format(Locale.ROOT, "backup %,d small files vs rclone copy", small.files()), app, "backup small",
                    app, "rclone", Run::warmSeconds, false, 0.8);
            goal("  the same backup's CPU seconds vs rclone's", app, "backup small", app, "rclone", Run::cpuSeconds,
                    false, 2.0);
            goal("unchanged re-run vs rclone", app, "re-run small", app, "rclone", Run::warmSeconds, false, 0.5);
            goal(String.format(Locale.ROOT, "restore %,d small files vs rclone copy", small.files()), app,
                    "restore small", app, "rclone", Run::warmSeconds, false, 0.8);
            goal("verify by content vs rclone check", app, "verify small", app + "-content", "rclone-check",
                    Run::warmSeconds, false, 1.0);
            goal(large.description() + ": share of the SDK ceiling's throughput", app, "backup large", app, "sdk",
                    Run::warmSeconds, true, 0.95);
            goal(large.description() + ": share of an SDK upload read through an open handle (no goal)", app,
                    "backup large", app, SDK_HANDLE, Run::warmSeconds, true, Double.NaN);
            goal(String.format(Locale.ROOT, "backup %,d empty files vs rclone copy", empty.files()), app, "backup empty",
                    app, "rclone", Run::warmSeconds, false, 0.8);
            List<Run> emptyRuns = runsOf("backup empty", app);
            double worker = emptyRuns.stream().mapToLong(Run::workerRssKiB).max().orElse(0) / 1024.0;
            System.out.printf(Locale.ROOT, "| peak RSS of the worker JVM (%s) on the %,d-file tree | %s | %s | %s | <= 400"
                            + " MiB | %s |%n", app.equals("app") ? "in process" : "the bridge", empty.files(), app,
                    emptyRuns.isEmpty() ? "not run" : String.format(Locale.ROOT, "%.0f MiB (max)", worker),
                    emptyRuns.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f-%.0f MiB",
                            emptyRuns.stream().mapToLong(Run::workerRssKiB).min().orElse(0) / 1024.0, worker),
                    emptyRuns.isEmpty() ? "-" : worker <= 400 ? "met" : "missed");
            Map<String, Long> fresh = requestsOf("backup small", app);
            Map<String, Long> unchanged = requestsOf("re-run small", app);
            if (fresh != null) {
                double perFile = (count(fresh, CONTAINER, null) + count(fresh, MANIFESTS, null)) / (double) small.files();
                System.out.printf(Locale.ROOT, "| storage requests per new small file (backup and manifest containers) | %s"
                        + " | %.3f | - | <= 1.05 | %s |%n", app, perFile, perFile <= 1.05 ? "met" : "missed");
            }
            if (unchanged != null) {
                // Blob requests: all but the listing pages and the container-level check each job makes once.
                long blobRequests = count(unchanged, CONTAINER, null) - count(unchanged, CONTAINER, "List Blobs")
                        - count(unchanged, CONTAINER, "Create Container")
                        - count(unchanged, CONTAINER, "Get Container Properties");
                System.out.printf(Locale.ROOT, "| storage requests per unchanged file beyond listing pages (blob requests"
                                + " in the backup container) | %s | %.3f (listing pages %.3f, manifest container %.3f) | -"
                                + " | 0 | %s |%n", app, blobRequests / (double) small.files(),
                        count(unchanged, CONTAINER, "List Blobs") / (double) small.files(),
                        count(unchanged, MANIFESTS, null) / (double) small.files(), blobRequests == 0 ? "met" : "missed");
            }
        }
        System.out.println("(time: warm medians; CPU: medians of the job's CPU seconds; spread: the ratio in each round,"
                + " min-max. Requests: one pass with Azurite's debug log, see below."
                + (quick ? " QUICK run: small trees, so these ratios are not the goals' measurement." : "") + ")");
    }

    /**
     * One goal: {@code tool}'s median {@code figure} against {@code reference}'s in {@code scenario}, as a ratio that
     * must be at most {@code target}, or with {@code throughput} as a throughput ratio (reference time over tool
     * time) that must be at least {@code target}; with a {@code target} of NaN, a row with no goal (the ratio only).
     */
    private void goal(String name, String engine, String scenario, String tool, String reference,
                      java.util.function.ToDoubleFunction<Run> figure, boolean throughput, double target) {
        List<Run> mine = runsOf(scenario, tool);
        List<Run> theirs = runsOf(scenario, reference);
        double toolMedian = median(mine.stream().map(figure::applyAsDouble).toList());
        double referenceMedian = median(theirs.stream().map(figure::applyAsDouble).toList());
        double value = throughput ? referenceMedian / toolMedian : toolMedian / referenceMedian;
        List<Double> perRound = new ArrayList<>();
        for (Run run : mine) {
            theirs.stream().filter(r -> r.round() == run.round()).findFirst().ifPresent(r -> perRound.add(throughput
                    ? figure.applyAsDouble(r) / figure.applyAsDouble(run)
                    : figure.applyAsDouble(run) / figure.applyAsDouble(r)));
        }
        String unit = throughput ? "" : "x";
        boolean met = throughput ? value >= target : value <= target;
        boolean noGoal = Double.isNaN(target);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", name, engine,
                Double.isNaN(value) ? "not run" : String.format(Locale.ROOT, "%.2f%s", value, unit),
                perRound.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f-%.2f",
                        Collections.min(perRound), Collections.max(perRound)),
                noGoal ? "-" : String.format(Locale.ROOT, "%s %.2f%s", throughput ? ">=" : "<=", target, unit),
                Double.isNaN(value) || noGoal ? "-" : met ? "met" : "missed");
    }

    private Map<String, Long> requestsOf(String scenario, String tool) {
        Map<String, Map<String, Long>> byTool = requests.get(scenario);
        return byTool == null ? null : byTool.get(tool);
    }

    /** Requests of {@code container} in {@code counted}, of {@code kind} only unless it is null. */
    private static long count(Map<String, Long> counted, String container, String kind) {
        return counted.entrySet().stream().filter(e -> e.getKey().startsWith(container + " ")
                        && (kind == null || e.getKey().substring(container.length() + 1).equals(kind)))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private void printRequests() {
        System.out.println();
        System.out.println("Storage requests per file of the tree each scenario works on, counted from Azurite's"
                + " debug log: count (per file)");
        for (Map.Entry<String, Map<String, Map<String, Long>>> scenario : requests.entrySet()) {
            // "backup small", "restore small", "backup large": the tree is the last word.
            int files = trees.get(scenario.getKey().substring(scenario.getKey().lastIndexOf(' ') + 1)).files();
            List<String> tools = new ArrayList<>(scenario.getValue().keySet());
            tools.sort(Comparator.comparing((String t) -> !t.startsWith("app")).thenComparing(t -> t));
            System.out.println();
            System.out.println("| " + scenario.getKey() + " | " + String.join(" | ", tools) + " |");
            System.out.println("| --- |" + " ---: |".repeat(tools.size()));
            TreeSet<String> keys = new TreeSet<>(Comparator.comparing((String k) -> !k.startsWith(CONTAINER + " "))
                    .thenComparing(k -> k));
            // Only the backup's container, the app's, and the account (the SDK run's warm-up uses a container of its own).
            scenario.getValue().values().forEach(counted -> counted.keySet().stream().filter(key ->
                    key.startsWith(CONTAINER + " ") || key.startsWith(MANIFESTS + " ") || key.startsWith("- "))
                    .forEach(keys::add));
            for (String key : keys) {
                StringBuilder row = new StringBuilder("| " + key.replaceFirst(" ", ": ") + " |");
                for (String tool : tools) {
                    long n = scenario.getValue().get(tool).getOrDefault(key, 0L);
                    row.append(n == 0 ? " - |" : String.format(Locale.ROOT, " %,d (%.3f) |", n, n / (double) files));
                }
                System.out.println(row);
            }
            StringBuilder total = new StringBuilder("| **total, backup + manifest containers** |");
            for (String tool : tools) {
                Map<String, Long> counted = scenario.getValue().get(tool);
                long n = count(counted, CONTAINER, null) + count(counted, MANIFESTS, null);
                total.append(String.format(Locale.ROOT, " **%,d (%.3f)** |", n, n / (double) files));
            }
            System.out.println(total);
        }
        System.out.println("(rows: container: kind, as the REST API names the operation Azurite logged; '"
                + CONTAINER + "' is the backup's container, '" + MANIFESTS + "' the app's own (job cards, batch"
                + " manifests, reports, snapshot manifests), '-' the account. The app's requests are those of the"
                + " timed job, after its warm-up jobs; restore and verify start from a backup made before the mark.)");
    }

    private static String ratio(double value, double reference) {
        return Double.isNaN(value) || Double.isNaN(reference) ? "-" : String.format(Locale.ROOT, "%.2f", value / reference);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Deletes {@code dir} and everything below it, if it exists (links are deleted, never followed). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
