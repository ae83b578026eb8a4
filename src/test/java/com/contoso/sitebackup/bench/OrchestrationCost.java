package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.CountingCopy;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessMetrics;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Trees;

import com.azure.storage.blob.BlobServiceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the orchestration costs as trees grow: 1,000, 10,000 and 100,000 tiny files through the harness,
 * the split design (slices of 500 in sub-orchestrations) against a flat fan-out (every copy in one
 * orchestration, as in the samples). Copies are counted, not uploaded ({@link CountingCopy}), so the
 * figures are the orchestration's. The flat design is not run at 100,000 files: its file list alone is a
 * payload over the 4 MB a Java worker accepts. Usage: {@code OrchestrationCost <work dir>}.
 */
public final class OrchestrationCost {
    private OrchestrationCost() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench").toAbsolutePath();
        System.out.println();
        System.out.println("| files | design | wall s | episodes | events replayed | replayed per file | largest history"
                + " (events / KB) | largest payload KB | activity executions |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        try (Azurite azurite = Azurite.startInMemory()) {
            for (int files : new int[] {1_000, 10_000, 100_000}) {
                Path tree = work.resolve("tiny-" + files);
                if (!Files.isDirectory(tree)) {
                    Trees.files(tree, files, 0, 16, files);
                }
                row(azurite.client(), tree, files, "split (slices of 500)", Settings.DEFAULT_SLICE_SIZE);
                if (files <= 10_000) {
                    row(azurite.client(), tree, files, "flat (one orchestration)", Integer.MAX_VALUE);
                } else {
                    System.out.printf(Locale.ROOT, "| %,d | flat (one orchestration) | not run: the file list alone is"
                            + " ~%.1f MB, over the 4 MB worker message cap | | | | | | |%n", files, files * 60 / 1e6);
                }
            }
        }
    }

    private static void row(BlobServiceClient blobs, Path tree, int files, String design, int sliceSize) {
        long started = System.nanoTime();
        HarnessResult result = BackupApp.harness(blobs, tree.getParent(), sliceSize, DurableHarness.Faults.none())
                .activity(new CountingCopy())
                .run(BackupSiteContent.NAME, BackupApp.request(tree, "cost"));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!result.runtimeStatus().equals("Completed")) {
            throw new IllegalStateException(design + " at " + files + " files: " + result.failureMessage());
        }
        HarnessMetrics m = result.metrics();
        System.out.printf(Locale.ROOT, "| %,d | %s | %.1f | %,d | %,d | %.0f | %,d / %,d | %,d | %,d |%n", files, design, seconds,
                m.episodes(), m.eventsReplayed(), (double) m.eventsReplayed() / files, m.largestHistoryEvents(),
                m.largestHistoryBytes() / 1024, m.largestPayloadBytes() / 1024, m.activityExecutions());
    }
}
