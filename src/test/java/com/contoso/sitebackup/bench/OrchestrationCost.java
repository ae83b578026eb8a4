package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.WorstDelivery;
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
 * What the orchestration costs as trees grow (issue 22's goals: history events replayed per file at most
 * {@value ScaleRun#MAX_EVENTS_REPLAYED_PER_FILE}, activities at most 1% of files), at 10,000, 100,000 and 1,000,000 tiny
 * files (up to the largest size asked for), in batches of {@link Settings#DEFAULT_BATCH_FILES}, each size measured two
 * ways:
 * <ul>
 *   <li>a whole backup through the harness with copies counted, not uploaded ({@link ScaleRun}: the listing activity
 *       on the real tree with its live heap growth, the harness's delivery, which hands an episode every completion
 *       that arrived meanwhile), in a process of its own under {@code /usr/bin/time} (wall time, peak RSS) with a fresh
 *       Azurite; the largest size runs {@code rounds} times;</li>
 *   <li>the same backup's orchestration in the worst delivery there is, one completion per episode
 *       ({@link WorstDelivery}, which {@code FanOutTest} asserts at 100,000 and 1,000,000 files).</li>
 * </ul>
 * Every run is held to {@link ScaleRun#brokenBounds} (history, payload, listing heap, replay and activities in the
 * harness's delivery) and to the replay and activity bounds in the worst delivery; the table says which held, and the
 * process exits with 1 when one did not.
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
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the largest size must be at least 10,000 files, not " + largest);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Orchestration cost, batches of %d files (copies counted, not uploaded):%n",
                Settings.DEFAULT_BATCH_FILES);
        System.out.println("| files | round | wall s | listing s | listing heap growth MiB | activities (% of files)"
                + " | events replayed per file (harness delivery) | events replayed per file (worst delivery)"
                + " | largest history events / KB (harness; worst: group, parent) | largest payload B | peak RSS MiB"
                + " | bounds |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (Map<String, String> row : rows) {
            long files = Long.parseLong(row.get("files"));
            long activities = Long.parseLong(row.get("activities"));
            System.out.printf(Locale.ROOT, "| %,d | %s | %s | %s | %s | %,d (%.2f%%) | %s | %s | %,d / %,d (worst: %s, %s)"
                            + " | %,d | %.0f | %s |%n",
                    files, row.get("round"), row.get("seconds"), row.get("listingSeconds"), row.get("listingHeapMiB"),
                    activities, 100.0 * activities / files, row.get("replayedPerFile"), row.get("worstReplayedPerFile"),
                    Long.parseLong(row.get("historyEvents")), Long.parseLong(row.get("historyBytes")) / 1024,
                    row.get("worstGroupHistory"), row.get("worstParentHistory"),
                    Long.parseLong(row.get("payloadBytes")), Long.parseLong(row.get("rssKiB")) / 1024.0,
                    row.get("bounds"));
        }
        System.out.printf(Locale.ROOT, "(bounds: events replayed per file at most %.1f and activities at most %.0f%% of"
                        + " files, in both deliveries; history under %,d events and %,d KiB, payloads under %,d KiB,"
                        + " listing heap growth at most %d MiB. Worst delivery: one completion per episode, so each"
                        + " completion replays the history so far. Peak RSS: the harness process, which keeps every"
                        + " history in memory.)%n",
                ScaleRun.MAX_EVENTS_REPLAYED_PER_FILE, ScaleRun.MAX_ACTIVITIES_PER_FILE * 100,
                ScaleRun.MAX_HISTORY_EVENTS, ScaleRun.MAX_HISTORY_BYTES / 1024, ScaleRun.MAX_PAYLOAD_BYTES / 1024,
                ScaleRun.MAX_LISTING_HEAP_GROWTH >> 20);
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
        long started = System.nanoTime();
        int exit = new ProcessBuilder("/usr/bin/time", "-f", "%e %M", "-o", timeFile.toString(), java, "-cp",
                System.getProperty("java.class.path"), OrchestrationCost.class.getName(), "--one",
                Integer.toString(files), tree.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(files + " files exited with " + exit + "; see " + log);
        }
        List<String> output = Files.readAllLines(log);
        Map<String, String> row = new LinkedHashMap<>();
        output.stream().filter(line -> line.startsWith("COST ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no COST line in " + log))
                .substring(5).lines().flatMap(line -> List.of(line.split(" ")).stream())
                .forEach(pair -> row.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)));
        row.put("bounds", output.stream().filter(line -> line.startsWith("BOUNDS ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no BOUNDS line in " + log)).substring(7));
        row.put("round", Integer.toString(round));
        row.put("rssKiB", Files.readAllLines(timeFile).get(0).trim().split(" ")[1]);
        Files.delete(timeFile);
        System.out.printf(Locale.ROOT, "%,d files, round %d: %.1f s; %s%n", files, round,
                (System.nanoTime() - started) / 1e9, row);
        return row;
    }

    /** One run, printed as one {@code COST key=value ...} line and one {@code BOUNDS} line. */
    private static void one(int files, Path tree) {
        WorstDelivery.Result worst = WorstDelivery.backup(files, Settings.DEFAULT_BATCH_FILES);
        try (Azurite azurite = Azurite.startInMemory()) {
            ScaleRun run = ScaleRun.backup(azurite.client(), tree.getParent(), tree, files, "cost");
            if (!run.result().runtimeStatus().equals("Completed")) {
                throw new IllegalStateException(files + " files: " + run.result().statusJson());
            }
            HarnessMetrics m = run.result().metrics();
            System.out.printf(Locale.ROOT, "COST files=%d seconds=%.1f listingSeconds=%.1f listingHeapMiB=%.1f"
                            + " episodes=%d eventsReplayed=%d replayedPerFile=%.3f historyEvents=%d historyBytes=%d"
                            + " payloadBytes=%d activities=%d worstReplayedPerFile=%.3f worstActivities=%d"
                            + " worstGroupHistory=%d worstParentHistory=%d%n", files, run.seconds(), run.listingSeconds(),
                    run.listingHeapGrowth() / (double) (1 << 20), m.episodes(), m.eventsReplayed(),
                    run.eventsReplayedPerFile(), m.largestHistoryEvents(), m.largestHistoryBytes(),
                    m.largestPayloadBytes(), m.activityExecutions(), worst.replayedPerFile(), worst.activities(),
                    worst.largestGroupHistory(), worst.parentHistory());
            List<String> broken = new ArrayList<>(run.brokenBounds());
            if (worst.replayedPerFile() > ScaleRun.MAX_EVENTS_REPLAYED_PER_FILE) {
                broken.add(String.format(Locale.ROOT, "worst delivery: %.3f events replayed per file, bound %.1f",
                        worst.replayedPerFile(), ScaleRun.MAX_EVENTS_REPLAYED_PER_FILE));
            }
            if ((double) worst.activities() / files > ScaleRun.MAX_ACTIVITIES_PER_FILE) {
                broken.add("worst delivery: " + worst.activities() + " activities for " + files + " files");
            }
            System.out.println("BOUNDS " + (broken.isEmpty() ? "held" : String.join("; ", broken)));
        }
    }
}
