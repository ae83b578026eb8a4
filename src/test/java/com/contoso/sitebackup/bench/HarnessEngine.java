package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessMetrics;
import com.contoso.sitebackup.harness.HarnessResult;

import com.azure.storage.blob.BlobServiceClientBuilder;
import java.nio.file.Path;

/** The in-process harness as the benchmark's engine: host.json's concurrency, the real activities, no faults. */
public final class HarnessEngine implements AppEngine {
    /** The metrics of the last job run (episodes, events replayed, activities), or null. */
    private HarnessMetrics last;

    @Override
    public String name() {
        return "harness";
    }

    @Override
    public Outcome run(String orchestrator, Object input, String connectionString, Path allowedRoot) {
        HarnessResult result = BackupApp.harness(new BlobServiceClientBuilder().connectionString(connectionString)
                        .buildClient(), allowedRoot, BenchSettings.batchFiles(), DurableHarness.Faults.none())
                .run(orchestrator, input);
        last = result.metrics();
        return new Outcome(result.runtimeStatus(), result.output(), result.customStatus());
    }

    /** The metrics of the last job run, or null before the first. */
    HarnessMetrics lastMetrics() {
        return last;
    }
}
