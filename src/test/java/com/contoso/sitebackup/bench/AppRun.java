package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.testing.Trees;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This app in the benchmark: one backup through the in-process harness with the real activities and
 * host.json's concurrency. A Functions worker is a long-lived, warm JVM, so a small warm-up backup runs
 * first and the backup itself is also timed in-process ({@code WORK_SECONDS}), beside the process's wall
 * time that the benchmark measures. Usage: {@code AppRun <dir> <connection string> <container>}.
 */
public final class AppRun {
    private AppRun() {
    }

    private static HarnessResult backup(BlobServiceClient blobs, Path root, String container) {
        return BackupApp.harness(blobs, root, Settings.DEFAULT_SLICE_SIZE, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, BackupApp.request(root, container));
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toRealPath();
        BlobServiceClient blobs = new BlobServiceClientBuilder().connectionString(args[1]).buildClient();
        Path warmUp = Files.createTempDirectory("warm-up");
        Trees.files(warmUp, 20, 1, 1024, 7);
        backup(blobs, warmUp, "warm-up");

        long started = System.nanoTime();
        HarnessResult result = backup(blobs, root, args[2]);
        System.out.printf(Locale.ROOT, "WORK_SECONDS %.3f%n", (System.nanoTime() - started) / 1e9);
        System.out.println(result.statusJson());
        if (!result.runtimeStatus().equals("Completed")) {
            System.exit(1);
        }
    }
}
