package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.harness.CountingCopy;
import com.contoso.sitebackup.harness.HarnessMetrics;
import com.contoso.sitebackup.harness.ScaleRun;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Trees;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the orchestration costs as trees grow, copies counted, not uploaded ({@link CountingCopy}), so the figures
 * are the orchestration's and the listing's: 10,000, 100,000 and 1,000,000 tiny files through the harness in
 * batches of 256 (groups of 32 batches above 8,192 files), with the listing activity's live heap growth
 * ({@link ScaleRun}). Every run is a process of its own under {@code /usr/bin/time} (wall time, peak RSS of the
 * whole process: the harness keeps every instance's history in memory, where the real backend keeps it in
 * storage) with a fresh Azurite; the largest size runs {@code rounds} times. Every run is held to issue 15's
 * bounds ({@link ScaleRun#brokenBounds}, the ones {@code BackupScaleTest} asserts in CI at up to 100,000 files,
 * and events replayed per file flat from the smallest size): the table says which held, and the process exits
 * with 1 when one did not.
 *
 * <p>Usage: {@code OrchestrationCost <work dir> <largest size> <rounds>}; {@code OrchestrationCost --one <files>
 * <tree>} is one run (what the processes execute).
 */
public final class OrchestrationCost {
    private OrchestrationCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--one")) {
            one(Integer.parseInt(args[1]), Path.of(args[2]).toRealPath());
            return;
        }
        Path work = Files.createDirectories(Path.of(args[0])).toRealPath();
        int largest = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int files : new int[] {10_000, 100_000, 1_000_000}) {
            if (files > largest) {
                continue;
            }
            Path tree = work.resolve("trees").resolve("tiny-" + files);
            if (!Files.isDirectory(tree)) {
                System.out.println("generating " + files + " files in " + tree);
                Trees.files(tree, files, 0, 16, files);
            }
            for (int round = 1; round <= (files == largest ? rounds : 1); round++) {
                rows.add(child(work, files, tree, round));
            }
        }
        // Flat from the smallest size up: each run against the first.
        Map<String, String> first = rows.get(0);
        for (Map<String, String> row : rows) {
            String drift = ScaleRun.replayNotFlat(Integer.parseInt(first.get("files")),
                    Double.parseDouble(first.get("replayedPerFile")), Integer.parseInt(row.get("files")),
                    Double.parseDouble(row.get("replayedPerFile")));
            if (drift != null) {
                row.put("bounds", row.get("bounds").equals("held") ? drift : row.get("bounds") + "; " + drift);
            }
        }
        System.out.println();
        System.out.println("| files | round | wall s | listing s | listing heap growth MiB | episodes | events replayed"
                + " | replayed per file | largest history (events / KB) | largest payload KB | activity executions"
                + " | peak RSS MiB | issue 15's bounds |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (Map<String, String> row : rows) {
            System.out.printf(Locale.ROOT, "| %,d | %s | %s | %s | %s | %,d | %,d | %s | %,d / %,d | %,d | %,d | %.0f | %s |%n",
                    Integer.parseInt(row.get("files")), row.get("round"), row.get("seconds"),
                    row.get("listingSeconds"), row.get("listingHeapMiB"), Long.parseLong(row.get("episodes")),
                    Long.parseLong(row.get("eventsReplayed")), row.get("replayedPerFile"),
                    Long.parseLong(row.get("historyEvents")), Long.parseLong(row.get("historyBytes")) / 1024,
                    Long.parseLong(row.get("payloadBytes")) / 1024, Long.parseLong(row.get("activities")),
                    Long.parseLong(row.get("rssKiB")) / 1024.0, row.get("bounds"));
        }
        System.out.printf(Locale.ROOT, "(bounds: history under %,d events and %,d KiB, payloads under %,d KiB, listing"
                        + " heap growth at most %d MiB, events replayed per file within %.0f%% of the %,d-file run's)%n",
                ScaleRun.MAX_HISTORY_EVENTS, ScaleRun.MAX_HISTORY_BYTES / 1024, ScaleRun.MAX_PAYLOAD_BYTES / 1024,
                ScaleRun.MAX_LISTING_HEAP_GROWTH >> 20, ScaleRun.MAX_REPLAY_DRIFT * 100,
                Integer.parseInt(first.get("files")));
        if (rows.stream().anyMatch(row -> !row.get("bounds").equals("held"))) {
            System.out.println("BOUNDS BROKEN: see the last column");
            System.exit(1);
        }
    }

    /** Runs one size in a process of its own and returns its figures. */
    private static Map<String, String> child(Path work, int files, Path tree, int round) throws Exception {
        Path timeFile = Files.createTempFile(work, "time", ".txt");
        Path log = work.resolve("cost-" + files + "-" + round + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int exit = new ProcessBuilder("/usr/bin/time", "-f", "%e %M", "-o", timeFile.toString(), java, "-cp",
                System.getProperty("java.class.path"), OrchestrationCost.class.getName(), "--one",
                Integer.toString(files), tree.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(files + " files exited with " + exit + "; see " + log);
        }
        Map<String, String> row = new LinkedHashMap<>();
        Files.readAllLines(log).stream().filter(line -> line.startsWith("COST ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no COST line in " + log))
                .substring(5).lines().flatMap(line -> List.of(line.split(" ")).stream())
                .forEach(pair -> row.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)));
        row.put("bounds", Files.readAllLines(log).stream().filter(line -> line.startsWith("BOUNDS ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no BOUNDS line in " + log)).substring(7));
        row.put("round", Integer.toString(round));
        row.put("rssKiB", Files.readAllLines(timeFile).get(0).trim().split(" ")[1]);
        Files.delete(timeFile);
        System.out.println(row);
        return row;
    }

    /** One run, printed as one {@code COST key=value ...} line. */
    private static void one(int files, Path tree) {
        try (Azurite azurite = Azurite.startInMemory()) {
            ScaleRun run = ScaleRun.backup(azurite.client(), tree.getParent(), tree, files, "cost");
            if (!run.result().runtimeStatus().equals("Completed")) {
                throw new IllegalStateException(files + " files: " + run.result().statusJson());
            }
            HarnessMetrics m = run.result().metrics();
            System.out.printf(Locale.ROOT, "COST files=%d seconds=%.1f listingSeconds=%.1f listingHeapMiB=%.1f"
                            + " episodes=%d eventsReplayed=%d replayedPerFile=%.1f historyEvents=%d historyBytes=%d"
                            + " payloadBytes=%d activities=%d%n", files, run.seconds(), run.listingSeconds(),
                    run.listingHeapGrowth() / (double) (1 << 20), m.episodes(), m.eventsReplayed(),
                    run.eventsReplayedPerFile(), m.largestHistoryEvents(), m.largestHistoryBytes(),
                    m.largestPayloadBytes(), m.activityExecutions());
            List<String> broken = run.brokenBounds();
            System.out.println("BOUNDS " + (broken.isEmpty() ? "held" : String.join("; ", broken)));
        }
    }
}
