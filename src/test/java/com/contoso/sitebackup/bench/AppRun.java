package com.contoso.sitebackup.bench;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.contoso.sitebackup.functions.BackupSiteContent;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.storage.ManifestStore;
import java.nio.file.Path;

/**
 * This app in the benchmark: one backup through the in-process harness with the real activities and
 * host.json's concurrency. Usage: {@code AppRun <dir> <connection string> <container>}; prints the status.
 */
public final class AppRun {
    private AppRun() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toRealPath();
        HarnessResult result = BackupApp.harness(new BlobServiceClientBuilder().connectionString(args[1]).buildClient(),
                        root, ManifestStore.DEFAULT_SLICE_SIZE, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, BackupApp.request(root, args[2]));
        System.out.println(result.statusJson());
        if (!result.runtimeStatus().equals("Completed")) {
            System.exit(1);
        }
    }
}
