package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark of issue 15: this app (on each {@link AppEngine}: the in-process harness with the real activities
 * and host.json's concurrency, and the packaged app on the real engine) against rclone, az and plain SDK uploads,
 * on the same trees, each run
 * in its own process under {@code /usr/bin/time} (wall time, peak RSS) and on a fresh Azurite started the same
 * way, the order of the tools alternating from round to round. Scenarios:
 * <ul>
 *   <li>backup of the small tree (2,000 files of 1-16 KiB) and the large one (8 files of 32 MiB): app, rclone
 *       copy, az upload-batch, SDK uploads (the ceiling); then an unchanged re-run (app, rclone);</li>
 *   <li>restore of each tree's backup into an empty folder: app, {@code rclone copy} from the same blobs;</li>
 *   <li>verify each tree against its backup: the app by content and by listing, {@code rclone check} (local MD5
 *       against the listed Content-MD5), {@code rclone check --download} and {@code --size-only};</li>
 *   <li>backup of 20,000 empty files (the memory case): app and rclone, for peak RSS.</li>
 * </ul>
 * Prints every run, a table of medians with their spread, and the goals, met or missed. Run it with
 * {@code bench/run.sh}. Usage: {@code Benchmark <rounds> <work dir>}.
 */
public final class Benchmark {
    private static final String CONTAINER = "bench";

    /**
     * One timed run: process wall time, in-process (warm) time for the Java runs, CPU seconds (the job's own for the
     * Java runs, the whole process's otherwise) and peak RSS.
     */
    record Run(String scenario, String tool, int round, double seconds, double warmSeconds, double cpuSeconds,
               long peakRssKiB) {
    }

    private final Path work;
    private final List<AppEngine> engines = AppEngine.available();
    private final String classpath = System.getProperty("java.class.path");
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, Long> treeBytes = new LinkedHashMap<>();

    private Benchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target/bench")).toRealPath();
        new Benchmark(work).run(rounds);
    }

    private void run(int rounds) throws Exception {
        System.out.println("engines: " + engines.stream().map(AppEngine::name).toList() + "; load average at start: "
                + loadAverage());
        Map<String, Path> trees = new LinkedHashMap<>();
        for (String tree : List.of("small", "large", "empty-20k")) {
            Path dir = work.resolve("trees").resolve(tree);
            if (!Files.isDirectory(dir)) {
                System.out.println("generating " + tree + " tree in " + dir);
                if (tree.equals("empty-20k")) {
                    Trees.files(dir, 20_000, 0, 0, 20);
                } else {
                    Trees.main(new String[] {tree, dir.toString()});
                }
            }
            trees.put(tree, dir);
            treeBytes.put(tree, sizeOf(dir));
        }
        for (int round = 1; round <= rounds; round++) {
            for (String tree : List.of("small", "large")) {
                Path dir = trees.get(tree);
                List<String> backupTools = new ArrayList<>(appTools(""));
                backupTools.addAll(List.of("rclone", "az", "sdk"));
                for (String tool : alternate(backupTools, round)) {
                    try (Azurite azurite = fresh()) {
                        record(timed("backup " + tree, tool, round, backup(tool, dir, azurite), azurite));
                        if (tree.equals("small") && (tool.startsWith("app") || tool.equals("rclone"))) {
                            record(timed("re-run " + tree, tool, round, backup(tool, dir, azurite), azurite));
                        }
                    }
                }
                List<String> restoreTools = new ArrayList<>(appTools(""));
                restoreTools.add("rclone");
                for (String tool : alternate(restoreTools, round)) {
                    try (Azurite azurite = populated(dir)) {
                        Path target = work.resolve("restored").resolve(tool + "-" + tree + "-" + round);
                        deleteTree(target);
                        record(timed("restore " + tree, tool, round, restore(tool, dir, target, azurite), azurite));
                        deleteTree(target);
                    }
                }
                List<String> verifyTools = new ArrayList<>(appTools("-content"));
                verifyTools.addAll(appTools("-listing"));
                verifyTools.addAll(List.of("rclone-check", "rclone-check-download", "rclone-check-size-only"));
                for (String tool : alternate(verifyTools, round)) {
                    try (Azurite azurite = populated(dir)) {
                        record(timed("verify " + tree, tool, round, verify(tool, dir, azurite), azurite));
                    }
                }
            }
            List<String> memoryTools = new ArrayList<>(appTools(""));
            memoryTools.add("rclone");
            for (String tool : alternate(memoryTools, round)) {
                try (Azurite azurite = fresh()) {
                    record(timed("backup empty-20k", tool, round, backup(tool, trees.get("empty-20k"), azurite), azurite));
                }
            }
        }
        System.out.println("load average at end: " + loadAverage());
        printTable();
        printGoals();
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

    private static Azurite fresh() {
        Azurite azurite = Azurite.startInMemory();
        azurite.client().getBlobContainerClient(CONTAINER).createIfNotExists();
        return azurite;
    }

    /** A fresh Azurite holding the app's backup of {@code tree} (made in this process, not timed). */
    private Azurite populated(Path tree) {
        Azurite azurite = fresh();
        HarnessResult backup = BackupApp.harness(azurite.client(), work, Settings.DEFAULT_BATCH_FILES,
                DurableHarness.Faults.none()).run(BackupSiteContent.NAME, BackupApp.request(tree, CONTAINER));
        if (!backup.runtimeStatus().equals("Completed")) {
            azurite.close();
            throw new IllegalStateException("the backup that a restore or verify starts from failed: " + backup.statusJson());
        }
        return azurite;
    }

    private List<String> backup(String tool, Path dir, Azurite azurite) {
        return switch (tool) {
            case "rclone" -> List.of("rclone", "copy", dir.toString(), "az:" + CONTAINER + "/" + dir.getFileName(),
                    "--transfers", "16", "--config", "/dev/null");
            case "az" -> List.of("az", "storage", "blob", "upload-batch", "--destination", CONTAINER,
                    "--source", dir.toString(), "--destination-path", dir.getFileName().toString(),
                    "--connection-string", azurite.connectionString(), "--max-connections", "16", "--overwrite");
            case "sdk" -> List.of(java(), "-cp", classpath, SdkUpload.class.getName(), dir.toString(),
                    azurite.connectionString(), CONTAINER, "16");
            default -> app(tool, "backup", dir, azurite, null);
        };
    }

    private List<String> restore(String tool, Path dir, Path target, Azurite azurite) {
        return tool.equals("rclone")
                ? List.of("rclone", "copy", "az:" + CONTAINER + "/" + prefix(dir), target.toString(),
                        "--transfers", "16", "--config", "/dev/null")
                : app(tool, "restore", dir, azurite, target);
    }

    private List<String> verify(String tool, Path dir, Azurite azurite) {
        List<String> check = new ArrayList<>(List.of("rclone", "check", dir.toString(), "az:" + CONTAINER + "/" + prefix(dir),
                "--checkers", "16", "--config", "/dev/null"));
        return switch (tool) {
            case "rclone-check" -> check;
            case "rclone-check-download" -> with(check, "--download");
            case "rclone-check-size-only" -> with(check, "--size-only");
            default -> tool.endsWith("-content")
                    ? app(tool.substring(0, tool.length() - "-content".length()), "verify-content", dir, azurite, null)
                    : app(tool.substring(0, tool.length() - "-listing".length()), "verify", dir, azurite, null);
        };
    }

    private List<String> app(String tool, String mode, Path dir, Azurite azurite, Path target) {
        String engine = engines.stream().filter(e -> e.tool().equals(tool)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tool " + tool)).name();
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classpath, AppRun.class.getName(), engine, mode,
                dir.toString(), azurite.connectionString(), CONTAINER, work.toString()));
        if (target != null) {
            command.add(target.toString());
        }
        return command;
    }

    private static List<String> with(List<String> command, String flag) {
        List<String> longer = new ArrayList<>(command);
        longer.add(flag);
        return longer;
    }

    /** The prefix the app's backup of {@code dir} uses, which every other tool reads as well. */
    private static String prefix(Path dir) {
        return BlobNames.defaultPrefix(dir.toString());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void record(Run run) {
        runs.add(run);
        System.out.printf(Locale.ROOT, "round %d  %-18s %-24s %8.2f s  (warm %6.2f s, CPU %6.2f s)  %7.1f MiB peak RSS"
                + "  load %s%n", run.round(), run.scenario(), run.tool(), run.seconds(), run.warmSeconds(), run.cpuSeconds(),
                run.peakRssKiB() / 1024.0, loadAverage().split(" ")[0]);
    }

    private Run timed(String scenario, String tool, int round, List<String> command, Azurite azurite) throws Exception {
        Path timeFile = Files.createTempFile(work, "time", ".txt");
        Path log = work.resolve((scenario + "-" + tool + "-" + round).replace(' ', '-') + ".log");
        List<String> timedCommand = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M %U %S", "-o", timeFile.toString()));
        timedCommand.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timedCommand).redirectErrorStream(true).redirectOutput(log.toFile());
        BlobContainerClient container = azurite.client().getBlobContainerClient(CONTAINER);
        String sasUrl = container.getBlobContainerUrl() + "?" + container.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(2), BlobContainerSasPermission.parse("racwdl")));
        builder.environment().putAll(Map.of(
                "RCLONE_CONFIG_AZ_TYPE", "azureblob",
                "RCLONE_CONFIG_AZ_SAS_URL", sasUrl,
                "AZURE_CORE_COLLECT_TELEMETRY", "no",
                "AZURE_CORE_ONLY_SHOW_ERRORS", "true"));
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(tool + " (" + scenario + ") exited with " + exit + "; see " + log);
        }
        String[] figures = Files.readAllLines(timeFile).get(0).trim().split(" ");
        Files.delete(timeFile);
        double wall = Double.parseDouble(figures[0]);
        List<String> output = Files.readAllLines(log);
        double warm = reported(output, "WORK_SECONDS ", wall);
        double cpu = reported(output, "WORK_CPU_SECONDS ", Double.parseDouble(figures[2]) + Double.parseDouble(figures[3]));
        // A Java run counts its engine's processes too (PEAK_RSS_KIB); /usr/bin/time sees the largest one only.
        long rss = (long) reported(output, "PEAK_RSS_KIB ", Double.parseDouble(figures[1]));
        return new Run(scenario, tool, round, wall, warm, cpu, rss);
    }

    /** The figure a Java run printed after {@code key}, or {@code otherwise}. */
    private static double reported(List<String> output, String key, double otherwise) {
        return output.stream().filter(line -> line.startsWith(key)).map(line -> Double.parseDouble(line.substring(key.length())))
                .findFirst().orElse(otherwise);
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

    private void printTable() {
        System.out.println();
        System.out.println("| scenario | tool | median s (warm) | spread (warm, min-max) | median s (process) | MiB/s (warm)"
                + " | vs rclone (warm) | vs SDK ceiling | median CPU s | CPU vs rclone | peak RSS MiB (max) | runs |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
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
                double cpu = cpu(scenario, tool);
                String tree = scenario.substring(scenario.indexOf(' ') + 1);
                boolean moves = !scenario.startsWith("re-run") && !scenario.startsWith("verify") && treeBytes.get(tree) > 0;
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f-%.2f | %.2f | %s | %s | %s | %.2f | %s | %.0f | %d |%n",
                        scenario, tool, warm, min, max, process,
                        moves ? String.format(Locale.ROOT, "%.1f", treeBytes.get(tree) / warm / (1 << 20)) : "-",
                        ratio(warm, warm(scenario, reference(scenario))),
                        scenario.startsWith("backup") ? ratio(warm, warm(scenario, "sdk")) : "-", cpu,
                        ratio(cpu, cpu(scenario, reference(scenario))), rss / 1024.0, mine.size());
            }
        }
        System.out.println("(warm: the Java runs' in-process time after a warm-up, as in a running Functions worker;"
                + " rclone and az are their process time. CPU: the Java runs' CPU time for the job alone, the whole"
                + " process's for rclone and az; Azurite's is not counted. Ratios compare medians of this run; below 1"
                + " is faster. verify rows compare with rclone check. app-sidecar: warm is the job from the starter's POST"
                + " to the webhook's end, after warm-up jobs on the same bridge; its CPU seconds and peak RSS include the"
                + " bridge JVM and the sidecar.)");
    }

    private void printGoals() {
        System.out.println();
        System.out.println("| goal (issue 15) | measured (warm medians) | target | result | same ratio in CPU seconds |");
        System.out.println("| --- | ---: | ---: | --- | ---: |");
        for (AppEngine engine : engines) {
            String app = engine.tool();
            goal(app + ": small-tree backup vs rclone copy", "backup small", app, "rclone", false, 0.8);
            goal(app + ": large files, share of the SDK ceiling's throughput", "backup large", app, "sdk", true, 0.95);
            goal(app + ": unchanged re-run vs rclone", "re-run small", app, "rclone", false, 0.5);
            for (String tree : List.of("small", "large")) {
                goal(app + ": restore " + tree + " vs rclone copy", "restore " + tree, app, "rclone", false, 1.0);
                goal(app + ": verify " + tree + " by content vs rclone check --download", "verify " + tree,
                        app + "-content", "rclone-check-download", false, 1.0);
                goal(app + ": verify " + tree + " by listing vs rclone check", "verify " + tree, app + "-listing",
                        "rclone-check", false, 1.0);
                goal(app + ": verify " + tree + " by content vs rclone check (the same work: local MD5 against the"
                        + " listed Content-MD5)", "verify " + tree, app + "-content", "rclone-check", false, 1.0);
            }
        }
    }

    /**
     * One goal: {@code tool}'s median against {@code reference}'s in {@code scenario}, as a time ratio that must be
     * at most {@code target}, or with {@code throughput} as a throughput ratio that must be at least {@code target}.
     */
    private void goal(String name, String scenario, String tool, String reference, boolean throughput, double target) {
        double time = throughput ? warm(scenario, reference) / warm(scenario, tool) : warm(scenario, tool) / warm(scenario, reference);
        double cpu = throughput ? cpu(scenario, reference) / cpu(scenario, tool) : cpu(scenario, tool) / cpu(scenario, reference);
        String unit = throughput ? "" : "x";
        boolean met = throughput ? time >= target : time <= target;
        System.out.printf(Locale.ROOT, "| %s | %s | %s %.2f%s | %s | %s |%n", name,
                Double.isNaN(time) ? "not run" : String.format(Locale.ROOT, "%.2f%s", time, unit),
                throughput ? ">=" : "<=", target, unit, Double.isNaN(time) ? "-" : met ? "met" : "missed",
                Double.isNaN(cpu) ? "-" : String.format(Locale.ROOT, "%.2f%s", cpu, unit));
    }

    private static String ratio(double value, double reference) {
        return Double.isNaN(value) || Double.isNaN(reference) ? "-" : String.format(Locale.ROOT, "%.2f", value / reference);
    }

    private static double median(List<Double> values) {
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

    private static long sizeOf(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
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
