package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.standin.host.BridgeMetrics;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Trees;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The app on the real engine beside the in-process harness and rclone, on one tree of many small files
 * (20,000 of 1-16 KiB by default, deterministic): (a) the <b>packaged</b> app ({@code functionAppDir}, default
 * {@code target/azure-functions/site-backup-func}) run by the bridge JVM on the durabletask-go sidecar, the
 * backup requested through the app's own HTTP starter and followed through the status webhook; (b) the same
 * functions in the in-memory harness ({@link InProcessRun}, a JVM of its own); (c) {@code rclone copy
 * --transfers 16}. Every run gets a fresh Azurite (and, for (a), a fresh sidecar database and bridge), the order
 * of the tools is reversed every other round, and every run is checked by listing its blobs (count and bytes).
 * The machine is shared, so {@code /proc/loadavg} is printed before and after each round.
 * Usage: {@code RealStackBench [rounds=3] [work dir=target/bench] [files=20000]}; run it with {@code bench/run.sh}.
 */
public final class RealStackBench {
    private static final List<String> TOOLS = List.of("real engine", "in-process", "rclone");
    private static final String CONTAINER = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One timed backup. {@code seconds}: the backup itself (for the app, from the starter's POST, or the
     * harness's run call, to the end; JVM and stack start excluded); {@code processSeconds}: the whole process
     * (harness, rclone) or stack start to stop (real engine). {@code work}: activities run (rclone: files).
     * {@code sidecarRssKiB}: the sidecar's peak RSS, real engine only.
     */
    record Run(String tool, int round, double seconds, double processSeconds, long work, long episodes,
               long historyEvents, long historyBytes, long peakRssKiB, long sidecarRssKiB) {
        double perSecond() {
            return work / seconds;
        }
    }

    private final Path work;
    private final Path appDir;
    private final int files;
    private final String classpath = System.getProperty("java.class.path");
    private final List<Run> runs = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();
    private Path tree;
    private long treeBytes;

    private RealStackBench(Path work, Path appDir, int files) {
        this.work = work;
        this.appDir = appDir;
        this.files = files;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench").toAbsolutePath();
        int files = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        Path appDir = Path.of(System.getProperty("functionAppDir", "target/azure-functions/site-backup-func"))
                .toAbsolutePath();
        if (!Files.isRegularFile(appDir.resolve("host.json")) || !Files.isDirectory(appDir.resolve("lib"))) {
            throw new IllegalArgumentException("functionAppDir " + appDir + " is not a packaged app: run mvn package");
        }
        new RealStackBench(work, appDir, files).run(rounds);
    }

    private void run(int rounds) throws Exception {
        // The bridge may read and write only under this root, as the app's settings say; the tree lives in it.
        Path root = Files.createDirectories(work.resolve("realstack")).toRealPath();
        tree = root.resolve("tree-" + files);
        Path done = root.resolve("tree-" + files + ".done");
        if (!Files.exists(done)) {
            System.out.println("generating " + files + " files of 1-16 KiB in " + tree);
            deleteTree(tree);
            Files.writeString(done, Long.toString(Trees.files(tree, files, 1024, 16 * 1024, 20_000)));
        }
        treeBytes = Long.parseLong(Files.readString(done).strip());
        System.out.printf(Locale.ROOT, "tree: %,d files, %,d bytes; %d cores; packaged app %s%n", files, treeBytes,
                Runtime.getRuntime().availableProcessors(), appDir);

        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(TOOLS);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            String before = loadavg();
            for (String tool : order) {
                try (Azurite azurite = Azurite.startInMemory()) {
                    azurite.client().getBlobContainerClient(CONTAINER).createIfNotExists();
                    Run run = switch (tool) {
                        case "real engine" -> realEngine(round, azurite, root);
                        case "in-process" -> inProcess(round, azurite);
                        default -> rclone(round, azurite);
                    };
                    checkBlobs(azurite.client().getBlobContainerClient(CONTAINER), prefix(tool, round), tool);
                    record(run);
                }
            }
            String load = String.format(Locale.ROOT, "round %d (%s): loadavg before %s, after %s", round,
                    String.join(", ", order), before, loadavg());
            loads.add(load);
            System.out.println(load);
        }
        printTable();
    }

    private static String prefix(String tool, int round) {
        return tool.replace(' ', '-') + "-" + round;
    }

    /** (a) The packaged app on the sidecar through the bridge ({@link SidecarEngine}): its starter, its webhook. */
    private Run realEngine(int round, Azurite azurite, Path root) throws Exception {
        long stackStarted = System.nanoTime();
        double seconds;
        long bridgeRss;
        long sidecarRss;
        long episodes = 0;
        long activities = 0;
        long events = 0;
        long bytes = 0;
        try (SidecarEngine engine = new SidecarEngine()) {
            engine.start(azurite.connectionString(), root);
            long bridgePid = descendant("com.contoso.sitebackup.standin.host.SidecarBridge");
            long sidecarPid = descendant("durabletask-sidecar");

            long started = System.nanoTime();
            AppEngine.Outcome outcome = engine.run(BackupSiteContent.NAME, Map.of("rootDirectory", tree.toString(),
                    "container", CONTAINER, "blobPrefix", prefix("real engine", round)), azurite.connectionString(), root);
            seconds = (System.nanoTime() - started) / 1e9;
            if (!outcome.runtimeStatus().equals("Completed")) {
                throw new IllegalStateException("the real-engine backup ended " + outcome);
            }
            // VmHWM is the process's peak RSS since it started; read it before the processes stop.
            bridgeRss = peakRssKiB(bridgePid);
            sidecarRss = peakRssKiB(sidecarPid);
            for (String line : BridgeMetrics.lines(engine.metricsFile())) {
                JsonNode item = JSON.readTree(line);
                if (item.get("kind").asText().equals("episode")) {
                    episodes++;
                    events = Math.max(events, item.get("events").asLong());
                    bytes = Math.max(bytes, item.get("bytes").asLong());
                } else {
                    activities++;
                }
            }
        }
        return new Run("real engine", round, seconds, (System.nanoTime() - stackStarted) / 1e9, activities,
                episodes, events, bytes, bridgeRss, sidecarRss);
    }

    /** (b) The in-memory harness in a JVM of its own under /usr/bin/time. */
    private Run inProcess(int round, Azurite azurite) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Timed timed = timed("in-process", round, List.of(java, "-cp", classpath, InProcessRun.class.getName(),
                tree.toString(), azurite.connectionString(), CONTAINER, prefix("in-process", round)), Map.of());
        double seconds = Double.parseDouble(timed.line("WORK_SECONDS ").strip());
        String[] figures = timed.line("FIGURES ").strip().split(" ");
        return new Run("in-process", round, seconds, timed.seconds(), Long.parseLong(figures[1]),
                Long.parseLong(figures[0]), Long.parseLong(figures[2]), Long.parseLong(figures[3]), timed.peakRssKiB(), 0);
    }

    /** (c) {@code rclone copy --transfers 16} to the same kind of Azurite, through a container SAS. */
    private Run rclone(int round, Azurite azurite) throws Exception {
        BlobContainerClient container = azurite.client().getBlobContainerClient(CONTAINER);
        String sasUrl = container.getBlobContainerUrl() + "?" + container.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(2), BlobContainerSasPermission.parse("racwdl")));
        Timed timed = timed("rclone", round, List.of("rclone", "copy", tree.toString(),
                "az:" + CONTAINER + "/" + prefix("rclone", round), "--transfers", "16", "--config", "/dev/null"),
                Map.of("RCLONE_CONFIG_AZ_TYPE", "azureblob", "RCLONE_CONFIG_AZ_SAS_URL", sasUrl));
        return new Run("rclone", round, timed.seconds(), timed.seconds(), files, 0, 0, 0, timed.peakRssKiB(), 0);
    }

    /** A process run under {@code /usr/bin/time -v}: its wall time, peak RSS and output lines. */
    private record Timed(double seconds, long peakRssKiB, List<String> output, Path log) {
        String line(String start) {
            return output.stream().filter(l -> l.startsWith(start)).map(l -> l.substring(start.length())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no line starting " + start + " in " + log));
        }
    }

    private Timed timed(String tool, int round, List<String> command, Map<String, String> environment)
            throws Exception {
        Path log = work.resolve("realstack-" + tool + "-" + round + ".log");
        Path timeFile = Files.createTempFile(work, "time", ".txt");
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", timeFile.toString()));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("LC_ALL", "C.UTF-8");
        long started = System.nanoTime();
        int exit = builder.start().waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException(tool + " exited with " + exit + "; see " + log);
        }
        long rss = Files.readAllLines(timeFile).stream().map(String::strip)
                .filter(l -> l.startsWith("Maximum resident set size (kbytes):"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst()
                .orElseThrow(() -> new IllegalStateException("/usr/bin/time -v printed no maximum RSS in " + timeFile));
        Files.delete(timeFile);
        return new Timed(seconds, rss, Files.readAllLines(log), log);
    }

    /** Every file of the tree has its blob under {@code prefix}, and the blobs hold as many bytes as the tree. */
    private void checkBlobs(BlobContainerClient container, String prefix, String tool) {
        long count = 0;
        long bytes = 0;
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix + "/"), null)) {
            count++;
            bytes += item.getProperties().getContentLength();
        }
        if (count != files || bytes != treeBytes) {
            throw new IllegalStateException(tool + " left " + count + " blobs of " + bytes + " bytes under " + prefix
                    + ", not " + files + " of " + treeBytes);
        }
    }

    /** The pid of the one process below this JVM whose command line contains {@code marker}. */
    private static long descendant(String marker) {
        List<Long> pids = ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .filter(pid -> commandLine(pid).contains(marker)).toList();
        if (pids.size() != 1) {
            throw new IllegalStateException(pids.size() + " processes below this JVM mention " + marker);
        }
        return pids.get(0);
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static long peakRssKiB(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.substring(6).replace("kB", "").strip())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no VmHWM in /proc/" + pid + "/status"));
    }

    private static String loadavg() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private void record(Run run) {
        runs.add(run);
        System.out.printf(Locale.ROOT, "round %d  %-11s %8.2f s (process %6.2f s)  %6d %s  %4d episodes"
                        + "  largest history %d events / %,d B  peak RSS %.0f MiB%s%n", run.round(), run.tool(),
                run.seconds(), run.processSeconds(), run.work(), run.tool().equals("rclone") ? "files" : "activities",
                run.episodes(), run.historyEvents(), run.historyBytes(), run.peakRssKiB() / 1024.0,
                run.sidecarRssKiB() > 0 ? String.format(Locale.ROOT, " (sidecar %.0f MiB)", run.sidecarRssKiB() / 1024.0)
                        : "");
    }

    private void printTable() {
        System.out.println();
        System.out.printf(Locale.ROOT, "Backup of %,d files (1-16 KiB, %,d bytes), fresh Azurite per run;"
                + " median (min-max) over %d rounds%n%n", files, treeBytes, runs.size() / TOOLS.size());
        System.out.println("| tool | wall s | vs rclone | activities/s | episodes | largest history events / KiB"
                + " | peak RSS MiB | process or stack s |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double rcloneSeconds = median(of("rclone"), Run::seconds);
        for (String tool : TOOLS) {
            List<Run> mine = of(tool);
            boolean app = !tool.equals("rclone");
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %s%s | %s | %s | %s%s | %s |%n", tool,
                    spread(mine, Run::seconds, "%.1f"), median(mine, Run::seconds) / rcloneSeconds,
                    spread(mine, Run::perSecond, "%.0f"), app ? "" : " (files/s)",
                    app ? spread(mine, r -> r.episodes(), "%.0f") : "-",
                    app ? spread(mine, r -> r.historyEvents(), "%.0f") + " / "
                            + spread(mine, r -> r.historyBytes() / 1024.0, "%.0f") : "-",
                    spread(mine, r -> r.peakRssKiB() / 1024.0, "%.0f"),
                    tool.equals("real engine") ? " bridge JVM; sidecar " + spread(mine, r -> r.sidecarRssKiB() / 1024.0,
                            "%.0f") : "",
                    spread(mine, Run::processSeconds, "%.1f"));
        }
        System.out.println();
        System.out.println("wall: the backup alone (real engine: starter POST to the webhook's Completed; in-process:"
                + " the harness's run call; both JVMs cold, no warm-up); rclone: its process. process or stack:"
                + " the in-process JVM and rclone from exec to exit; the real engine from starting the sidecar to"
                + " the bridge stopped. Peak RSS: /usr/bin/time -v; the bridge JVM and the sidecar from VmHWM in"
                + " /proc/<pid>/status. Activities counted as run (retries included).");
        System.out.println("Machine load (shared with other builds; /proc/loadavg, 1/5/15 min):");
        loads.forEach(l -> System.out.println("  " + l));
    }

    private List<Run> of(String tool) {
        return runs.stream().filter(r -> r.tool().equals(tool)).toList();
    }

    private static String spread(List<Run> runs, ToDoubleFunction<Run> figure, String format) {
        List<Double> values = runs.stream().map(figure::applyAsDouble).sorted().toList();
        String median = String.format(Locale.ROOT, format, median(values));
        if (values.size() < 2 || String.format(Locale.ROOT, format, values.get(0))
                .equals(String.format(Locale.ROOT, format, values.get(values.size() - 1)))) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, format, values.get(0)) + "-"
                + String.format(Locale.ROOT, format, values.get(values.size() - 1)) + ")";
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        return median(runs.stream().map(figure::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
