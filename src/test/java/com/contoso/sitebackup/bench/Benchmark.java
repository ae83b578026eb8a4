package com.contoso.sitebackup.bench;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The copy benchmark: this app (the in-process harness running the real activities, with host.json's
 * concurrency), {@code rclone copy --transfers 16}, {@code az storage blob upload-batch --max-connections 16}
 * and plain parallel SDK uploads (the ceiling) on the same trees. Every run gets a fresh Azurite started the
 * same way, and the order of the tools alternates from round to round. Each tool runs in its own process
 * under {@code /usr/bin/time}, for wall time and peak RSS. Run it with {@code bench/run.sh}.
 */
public final class Benchmark {
    private static final List<String> TOOLS = List.of("app", "rclone", "az", "sdk");
    private static final String CONTAINER = "bench";

    /** One timed run: process wall time, and for the Java runs the in-process (warm) time of the work. */
    record Run(String tool, String tree, int round, double seconds, double workSeconds, long peakRssKiB) {
    }

    private final Path work;
    private final String classpath = System.getProperty("java.class.path");
    private final List<Run> runs = new ArrayList<>();

    private Benchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench").toAbsolutePath();
        new Benchmark(work).run(rounds);
    }

    private void run(int rounds) throws Exception {
        Map<String, Path> trees = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (String tree : List.of("small", "large")) {
            Path dir = work.resolve("trees").resolve(tree);
            if (!Files.isDirectory(dir)) {
                System.out.println("generating " + tree + " tree in " + dir);
                Trees.main(new String[] {tree, dir.toString()});
            }
            trees.put(tree, dir);
            bytes.put(tree, sizeOf(dir));
        }
        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(TOOLS);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (Map.Entry<String, Path> tree : trees.entrySet()) {
                for (String tool : order) {
                    try (Azurite azurite = Azurite.startInMemory()) {
                        azurite.client().getBlobContainerClient(CONTAINER).createIfNotExists();
                        record(timed(tool, tree.getKey(), round, tree.getValue(), azurite));
                        if (tree.getKey().equals("small") && (tool.equals("app") || tool.equals("rclone"))) {
                            record(timed(tool, "small-rerun", round, tree.getValue(), azurite));
                        }
                    }
                }
            }
        }
        printTable(bytes);
    }

    private void record(Run run) {
        runs.add(run);
        System.out.printf(Locale.ROOT, "round %d  %-12s %-7s %8.2f s  (warm %5.2f s)  %7.1f MiB peak RSS%n",
                run.round(), run.tree(), run.tool(), run.seconds(), run.workSeconds(), run.peakRssKiB() / 1024.0);
    }

    private Run timed(String tool, String tree, int round, Path dir, Azurite azurite) throws Exception {
        Path timeFile = Files.createTempFile(work, "time", ".txt");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M", "-o", timeFile.toString()));
        command.addAll(command(tool, dir, azurite));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(tool + "-" + tree + "-" + round + ".log").toFile());
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
            throw new IllegalStateException(tool + " on " + tree + " exited with " + exit + "; see "
                    + work.resolve(tool + "-" + tree + "-" + round + ".log"));
        }
        String[] figures = Files.readAllLines(timeFile).get(0).trim().split(" ");
        Files.delete(timeFile);
        double wall = Double.parseDouble(figures[0]);
        double warm = Files.readAllLines(work.resolve(tool + "-" + tree + "-" + round + ".log")).stream()
                .filter(line -> line.startsWith("WORK_SECONDS ")).map(line -> Double.parseDouble(line.substring(13)))
                .findFirst().orElse(wall);
        return new Run(tool, tree, round, wall, warm, Long.parseLong(figures[1]));
    }

    private List<String> command(String tool, Path dir, Azurite azurite) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return switch (tool) {
            case "app" -> List.of(java, "-cp", classpath, AppRun.class.getName(), dir.toString(),
                    azurite.connectionString(), CONTAINER);
            case "sdk" -> List.of(java, "-cp", classpath, SdkUpload.class.getName(), dir.toString(),
                    azurite.connectionString(), CONTAINER, "16");
            case "rclone" -> List.of("rclone", "copy", dir.toString(), "az:" + CONTAINER + "/" + dir.getFileName(),
                    "--transfers", "16", "--config", "/dev/null");
            case "az" -> List.of("az", "storage", "blob", "upload-batch", "--destination", CONTAINER,
                    "--source", dir.toString(), "--destination-path", dir.getFileName().toString(),
                    "--connection-string", azurite.connectionString(), "--max-connections", "16", "--overwrite");
            default -> throw new IllegalArgumentException("unknown tool " + tool);
        };
    }

    private void printTable(Map<String, Long> bytes) {
        System.out.println();
        System.out.println("| tree | tool | median wall s (process) | median s (warm) | MiB/s (warm) | vs rclone | vs SDK ceiling"
                + " | peak RSS MiB | runs |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String tree : List.of("small", "large", "small-rerun")) {
            for (String tool : TOOLS) {
                List<Run> mine = runs.stream().filter(r -> r.tree().equals(tree) && r.tool().equals(tool)).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                double seconds = median(mine.stream().map(Run::seconds).toList());
                double warm = median(mine.stream().map(Run::workSeconds).toList());
                long rss = mine.stream().mapToLong(Run::peakRssKiB).max().orElse(0);
                long treeBytes = bytes.get(tree.replace("-rerun", ""));
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s | %s | %s | %.0f | %d |%n", tree, tool, seconds,
                        warm, tree.endsWith("rerun") ? "-" : String.format(Locale.ROOT, "%.1f", treeBytes / warm / (1 << 20)),
                        ratio(warm, tree, "rclone"), ratio(warm, tree, "sdk"), rss / 1024.0, mine.size());
            }
        }
        System.out.println("(warm: the Java runs' in-process time after a warm-up, as in a running Functions worker;"
                + " rclone and az are their process time. Ratios compare warm medians: below 1 is faster.)");
    }

    private String ratio(double seconds, String tree, String tool) {
        List<Double> other = runs.stream().filter(r -> r.tree().equals(tree) && r.tool().equals(tool))
                .map(Run::workSeconds).toList();
        return other.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", seconds / median(other));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long sizeOf(Path dir) {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
