package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Trees;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The batch size chosen by measurement: backups of trees of small files (1-16 KiB) by the packaged app on the sidecar
 * ({@link AppRun} with the {@code sidecar} engine, after its warm-up jobs), with {@code BACKUP_BATCH_FILES} and
 * {@code BACKUP_BATCH_MIB} set in the bridge's app settings ({@link BenchSettings}), each run in its own process under
 * {@code /usr/bin/time} on a fresh Azurite, the order of the settings reversed every other round. Prints per tree and
 * setting the medians of: wall time of the job, CPU seconds (the client, the bridge JVM and the sidecar), activities,
 * history events replayed, and the bridge JVM's peak RSS. With files of at most 16 KiB a batch of 512 holds at most
 * 8 MiB, so {@code BACKUP_BATCH_MIB} (default {@value Settings#DEFAULT_BATCH_MIB}) binds only on trees of larger
 * files; the MiB values to try are an argument.
 *
 * <p>Usage: {@code BatchSizeSweep <work dir> <rounds> <tree sizes, comma-separated> [<files per batch, comma-separated>
 * [<MiB per batch, comma-separated>]]}, by default files per batch 64,128,256,512 and MiB 64. Run by
 * {@code bench/run.sh --sweep}.
 */
public final class BatchSizeSweep {
    private static final String CONTAINER = "bench";

    private record Cell(int files, int batchFiles, int batchMib, List<Timed> runs) {
    }

    private BatchSizeSweep() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0])).toRealPath();
        int rounds = Integer.parseInt(args[1]);
        List<Integer> sizes = integers(args[2]);
        List<Integer> batchFiles = integers(args.length > 3 ? args[3] : "64,128,256,512");
        List<Integer> batchMib = integers(args.length > 4 ? args[4] : Integer.toString(Settings.DEFAULT_BATCH_MIB));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Cell> cells = new ArrayList<>();
        for (int files : sizes) {
            Path tree = work.resolve("trees").resolve("sweep-" + files);
            Path done = tree.resolveSibling(tree.getFileName() + ".bytes");
            if (!Files.exists(done)) {
                System.out.println("generating " + files + " files of 1-16 KiB in " + tree);
                Files.writeString(done, Long.toString(Trees.files(tree, files, 1024, 16 * 1024, files)));
            }
            List<Cell> mine = new ArrayList<>();
            for (int size : batchFiles) {
                for (int mib : batchMib) {
                    mine.add(new Cell(files, size, mib, new ArrayList<>()));
                }
            }
            for (int round = 1; round <= rounds; round++) {
                List<Cell> order = new ArrayList<>(mine);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Cell cell : order) {
                    try (Azurite azurite = Azurite.startInMemory()) {
                        azurite.client().getBlobContainerClient(CONTAINER).createIfNotExists();
                        Path log = work.resolve("sweep-" + files + "-" + cell.batchFiles() + "-" + cell.batchMib()
                                + "-" + round + ".log");
                        Timed run = Timed.run(AppRun.command(java, System.getProperty("java.class.path"),
                                        List.of("sidecar", "backup", tree.toString(), azurite.connectionString(),
                                                CONTAINER, work.toString())),
                                Map.of(Settings.BACKUP_BATCH_FILES, Integer.toString(cell.batchFiles()),
                                        Settings.BACKUP_BATCH_MIB, Integer.toString(cell.batchMib())), log);
                        cell.runs().add(run);
                        System.out.printf(Locale.ROOT, "round %d  %,d files  %d files / %d MiB per batch: %.2f s,"
                                        + " CPU %.2f s, %.0f activities, %.0f events replayed, bridge %.0f MiB%n", round,
                                files, cell.batchFiles(), cell.batchMib(), run.reported("WORK_SECONDS", Double.NaN),
                                run.reported("WORK_CPU_SECONDS", Double.NaN), run.reported("ACTIVITIES", Double.NaN),
                                run.reported("EVENTS_REPLAYED", Double.NaN), run.reported("WORKER_RSS_KIB", 0) / 1024);
                    }
                }
            }
            cells.addAll(mine);
        }
        System.out.println();
        System.out.println("| files | files per batch | MiB per batch | median s | spread s | median CPU s | activities"
                + " | events replayed | events replayed per file | bridge peak RSS MiB (max) | runs |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Cell cell : cells) {
            List<Double> seconds = figures(cell, "WORK_SECONDS");
            double replayed = median(figures(cell, "EVENTS_REPLAYED"));
            System.out.printf(Locale.ROOT, "| %,d | %d | %d | %.2f | %.2f-%.2f | %.2f | %.0f | %,.0f | %.3f | %.0f | %d |%n",
                    cell.files(), cell.batchFiles(), cell.batchMib(), median(seconds),
                    seconds.stream().mapToDouble(d -> d).min().orElse(0), seconds.stream().mapToDouble(d -> d).max()
                            .orElse(0), median(figures(cell, "WORK_CPU_SECONDS")),
                    median(figures(cell, "ACTIVITIES")), replayed, replayed / cell.files(),
                    figures(cell, "WORKER_RSS_KIB").stream().mapToDouble(d -> d).max().orElse(0) / 1024,
                    cell.runs().size());
        }
        System.out.println("(the packaged app on the sidecar; seconds: the job from the starter's POST to the webhook's"
                + " end; CPU: the client, the bridge JVM and the sidecar; events replayed: history events fed to"
                + " episodes, from the bridge's metrics.)");
    }

    private static List<Double> figures(Cell cell, String key) {
        return cell.runs().stream().map(run -> run.reported(key, Double.NaN)).toList();
    }

    private static List<Integer> integers(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
