package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessMetrics;
import com.contoso.sitebackup.harness.HarnessResult;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The in-process side of {@link RealStackBench}: one backup of a tree through the in-memory harness
 * ({@link BackupApp}: every function of the app, host.json's concurrency), in a JVM of its own so that its peak
 * RSS can be measured like the bridge's. No warm-up, because the bridge JVM it is compared with is cold too.
 * Prints {@code WORK_SECONDS <s>} (the backup alone, without JVM start) and
 * {@code FIGURES <episodes> <activities> <largest history events> <largest history bytes>}.
 * Usage: {@code InProcessRun <dir> <connection string> <container> <blob prefix>}.
 */
public final class InProcessRun {
    private InProcessRun() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: InProcessRun <dir> <connection string> <container> <blob prefix>,"
                    + " not " + args.length + " arguments");
        }
        Path root;
        try {
            root = Path.of(args[0]).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the tree " + args[0], e);
        }
        BlobServiceClient blobs = new BlobServiceClientBuilder().connectionString(args[1]).buildClient();
        DurableHarness harness = BackupApp.harness(blobs, root, Settings.DEFAULT_BATCH_FILES,
                DurableHarness.Faults.none());

        long started = System.nanoTime();
        HarnessResult result = harness.run(BackupSiteContent.NAME,
                new BackupRequest(root.toString(), args[2], args[3], null, null, false, false, null));
        double seconds = (System.nanoTime() - started) / 1e9;

        HarnessMetrics metrics = result.metrics();
        System.out.printf(Locale.ROOT, "WORK_SECONDS %.3f%n", seconds);
        System.out.printf(Locale.ROOT, "FIGURES %d %d %d %d%n", metrics.episodes(), metrics.activityExecutions(),
                metrics.largestHistoryEvents(), metrics.largestHistoryBytes());
        System.out.println(result.statusJson());
        if (!result.runtimeStatus().equals("Completed")) {
            System.exit(1);
        }
    }
}
