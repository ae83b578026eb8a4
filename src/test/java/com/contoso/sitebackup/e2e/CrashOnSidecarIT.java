package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes in the middle of a run, on the real engine: the bridge JVM (the worker) killed with SIGKILL and
 * started again, the sidecar (the engine and its SQLite task hub) killed and started again. The engine
 * dispatches again what was lost; the run completes with exactly the files' bytes, and a restore leaves no
 * temporary file behind.
 */
@EndToEndTest
// 2,000 files backed up (or restored) while the bridge or the engine is killed: about 50 s a test on an idle build
// machine; beside other builds it can take several times that, past the 3-minute default.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CrashOnSidecarIT {
    private static final int FILES = 2_000;

    @TempDir
    Path work;

    @Test
    void backup_bridgeKilledTwice_exactBlobsAndNothingElse() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            long bytes = Trees.mixed(site, FILES, 8L << 20, 11);
            Set<String> sourceFiles = TreeCheck.files(site).keySet();
            BlobContainerClient container = stack.azurite.client().getBlobContainerClient("crash");

            JsonNode backup = runKillingTheBridge(stack, "backup", "BackupSiteContent", Map.of(
                    "rootDirectory", site.toString(), "container", "crash", "blobPrefix", "b"));

            assertEquals(bytes, backup.get("output").asLong(), backup.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, container, "b"));
            TreeCheck.assertSameNames(sourceFiles, blobNamesWithUncommitted(container, "b"),
                    "blobs under b, uncommitted ones included");
            TreeCheck.assertSameNames(sourceFiles, TreeCheck.files(site).keySet(), "the source folder");
        }
    }

    /**
     * Fails on today's code: a RestoreBlobToFile attempt killed mid-download leaves its
     * {@code .restoring-<random>} file beside the destination, and the attempt that the engine runs again writes
     * a new one (issue 11: "no temporary file is left behind").
     */
    @Disabled("RestoreBlobToFile leaves .restoring-<uuid> files when its worker is killed; enable with the fix")
    @Test
    void restore_bridgeKilledTwice_exactTreeWithNoTemporaryFile() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            long bytes = Trees.mixed(site, FILES, 8L << 20, 13);
            String backup = stack.start("BackupSiteContent", Map.of("rootDirectory", site.toString(),
                    "container", "crash", "blobPrefix", "r"));
            assertEquals("Completed", stack.awaitEnd(backup, Duration.ofMinutes(10)).get("runtimeStatus").asText());

            Path target = stack.root.resolve("restored");
            JsonNode restore = runKillingTheBridge(stack, "restore", "RestoreSiteContent", Map.of(
                    "container", "crash", "blobPrefix", "r", "targetDirectory", target.toString()));

            assertEquals(bytes, restore.get("output").asLong(), restore.toString());
            // The exact set of names: a temporary file left beside a restored one is an extra name.
            TreeCheck.assertSameTree(site, target, true);
        }
    }

    @Test
    void backup_sidecarKilledAndRestartedOnItsTaskHub_completesWithExactBlobs() throws Exception {
        // Locks of the killed sidecar's work items expire after 10 s instead of 2 min.
        try (LocalStack stack = LocalStack.start(work, "--lock-timeout", "10s")) {
            Path site = stack.root.resolve("site");
            long bytes = Trees.mixed(site, FILES, 0, 12);
            Instant started = Instant.now();

            String id = stack.start("BackupSiteContent", Map.of("rootDirectory", site.toString(),
                    "container", "crash", "blobPrefix", "s"));
            awaitActivities(stack, FILES / 4);
            stack.sidecar.kill();
            stack.sidecar.start();
            JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(10));

            Duration wall = Duration.between(started, Instant.now());
            assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
            assertEquals(bytes, status.get("output").asLong(), status.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, stack.azurite.client()
                    .getBlobContainerClient("crash"), "s"));
            System.out.println("[e2e] backup of " + FILES + " files, sidecar killed and restarted once: "
                    + stack.figures().describe(wall));
        }
    }

    /** Runs an orchestration, killing the bridge after a quarter and after two thirds of its activities. */
    private static JsonNode runKillingTheBridge(LocalStack stack, String phase, String orchestrator,
                                               Map<String, Object> body) throws InterruptedException {
        LocalStack.Figures before = stack.figures();
        Instant started = Instant.now();
        String id = stack.start(orchestrator, body);
        for (long threshold : new long[] {before.activities() + FILES / 4, before.activities() + FILES * 2 / 3}) {
            awaitActivities(stack, threshold);
            stack.bridge.kill();
            stack.bridge.start();
        }
        JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(10));
        Duration wall = Duration.between(started, Instant.now());
        assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
        System.out.println("[e2e] " + phase + " of " + FILES + " files + 8 MiB, bridge killed twice: "
                + stack.figures().minus(before).describe(wall));
        return status;
    }

    /** Waits until the bridge has completed at least {@code count} activities since the stack started. */
    private static void awaitActivities(LocalStack stack, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (stack.figures().activities() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " activities after 5 min: " + stack.figures());
            }
            Thread.sleep(100);
        }
    }

    private static Set<String> blobNamesWithUncommitted(BlobContainerClient container, String prefix) {
        Set<String> names = new TreeSet<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
        for (BlobItem blob : container.listBlobs(options, null)) {
            names.add(blob.getName().substring(prefix.length() + 1));
        }
        return names;
    }
}
