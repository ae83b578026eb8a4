package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure time will not mend is tried once, however the engine names its class: through the packaged app's
 * middleware on the durabletask-go sidecar, where a failed activity's error type arrives as the exception's
 * simple name ({@code IllegalArgumentException}), not the full one the SDK's own tests use.
 *
 * <p>A storage proxy answers 404 to every download of a job card ({@code plans/<manifest>/job.json}), so each
 * batch activity refuses its input ("manifest ... does not exist in this app's storage", an
 * IllegalArgumentException) and so does the problem report. Each must run once per input: no retry round, no
 * retry timer. Treating the simple name as retriable (the defect of issue 24) runs every batch five times with
 * four retry timers, and this test fails on it.
 */
@EndToEndTest
class NonRetriableOnSidecarIT {
    private static final int FILES = 600;

    @TempDir
    Path work;

    @Test
    void backup_everyJobCardMissing_eachBatchTriedOnceAndEveryFileNamedFailed() throws Exception {
        AtomicReference<FaultyBlobProxy> proxy = new AtomicReference<>();
        try (LocalStack stack = LocalStack.start(work, azurite -> {
            proxy.set(new FaultyBlobProxy(URI.create("http://127.0.0.1:" + azurite.port()), path -> false,
                    path -> path.contains("/plans/") && path.endsWith("/job.json")));
            return "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT + ";AccountKey=" + Azurite.DEV_KEY
                    + ";BlobEndpoint=http://127.0.0.1:" + proxy.get().port() + "/" + Azurite.ACCOUNT + ";";
        }); FaultyBlobProxy faults = proxy.get()) {
            Path site = stack.root.resolve("site");
            Trees.mixed(site, FILES, 0, 24);
            LocalStack.Figures before = stack.figures();

            String id = stack.start("BackupSiteContent", Map.of("rootDirectory", site.toString(),
                    "container", "refused", "blobPrefix", "site"));
            JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(2));

            LocalStack.Figures figures = stack.figures().minus(before);
            List<JsonNode> items = stack.workItems(before.workItems());
            Map<String, Long> activities = LocalStack.activitiesByName(items);
            JsonNode progress = status.get("customStatus");
            System.out.println("[e2e] backup of " + FILES + " files, every job card hidden: " + activities + ", "
                    + figures.activityFailures() + " failed attempts, " + figures.timersFired() + " timers fired; "
                    + status.get("runtimeStatus").asText() + " " + progress.get("phase").asText() + ", "
                    + progress.get("failureCount").asLong() + " failures: " + progress.path("message").asText());

            // Files of at most 4 KiB: batches are bounded by count.
            long batches = (FILES + Settings.DEFAULT_BATCH_FILES - 1) / Settings.DEFAULT_BATCH_FILES;
            assertFalse(faults.hid().isEmpty(), "the job card was asked for");
            assertEquals(batches, activities.get("CopyFileToBlob"), "each batch tried once: " + activities);
            assertEquals(batches, activities.get("RecordProblems"), "each report write tried once: " + activities);
            assertEquals(0, figures.timersFired(), "no retry round waited for");
            assertEquals("FAILED", progress.get("phase").asText(), progress.toString());
            assertEquals(0, progress.get("filesDone").asLong(), progress.toString());
            String problems = progress.get("problems").toString();
            assertTrue(problems.contains("does not exist in this app's storage"), "the reason is named: " + problems);
            assertTrue(problems.contains("(attempt 1)"), "after one attempt: " + problems);
        }
    }
}
