package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;

import com.azure.storage.blob.BlobServiceClientBuilder;
import java.nio.file.Path;

/** The in-process harness as the benchmark's engine: host.json's concurrency, the real activities, no faults. */
public final class HarnessEngine implements AppEngine {
    @Override
    public String name() {
        return "harness";
    }

    @Override
    public Outcome run(String orchestrator, Object input, String connectionString, Path allowedRoot) {
        HarnessResult result = BackupApp.harness(new BlobServiceClientBuilder().connectionString(connectionString)
                        .buildClient(), allowedRoot, Settings.DEFAULT_BATCH_FILES, DurableHarness.Faults.none())
                .run(orchestrator, input);
        return new Outcome(result.runtimeStatus(), result.output(), result.customStatus());
    }
}
