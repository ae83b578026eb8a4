package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries on the real engine, with real durable timers: a tenth of the uploads fail their first attempt (a
 * storage proxy answers 403, which the storage SDK does not retry), so the orchestration's own retries bring
 * those files in. The run must cost at most one retry round more than the same backup without faults.
 */
class RetryOnSidecarIT {
    private static final int FILES = 1_000;
    /** One retry round: the longest delay of the app's retry schedule (capped at 1 min) plus the copies. */
    private static final Duration ONE_ROUND = Duration.ofSeconds(75);

    @TempDir
    Path work;

    @Test
    void backup_tenPercentOfUploadsFailTheirFirstAttempt_completesWithinOneRetryRound() throws Exception {
        AtomicReference<FaultyBlobProxy> proxy = new AtomicReference<>();
        try (LocalStack stack = LocalStack.start(work, azurite -> {
            proxy.set(new FaultyBlobProxy(URI.create("http://127.0.0.1:" + azurite.port()),
                    path -> path.contains("/faulty/") && Math.floorMod(path.hashCode(), 10) == 0));
            return "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT + ";AccountKey=" + Azurite.DEV_KEY
                    + ";BlobEndpoint=http://127.0.0.1:" + proxy.get().port() + "/" + Azurite.ACCOUNT + ";";
        }); FaultyBlobProxy faults = proxy.get()) {
            Path site = stack.root.resolve("site");
            long bytes = Trees.mixed(site, FILES, 0, 21);

            backup(stack, site, "warm-up"); // JVMs, clients and caches warm for both measured runs
            Run baseline = backup(stack, site, "baseline");
            Run faulty = backup(stack, site, "faulty");

            System.out.println("[e2e] backup of " + FILES + " files without faults: " + baseline.describe());
            System.out.println("[e2e] backup of " + FILES + " files, " + faults.failed().size()
                    + " first uploads failed: " + faulty.describe());
            assertEquals(bytes, faulty.status.get("output").asLong(), faulty.status.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, stack.azurite.client()
                    .getBlobContainerClient("retry"), "faulty"));
            assertTrue(faults.failed().size() >= FILES / 20, "about a tenth failed: " + faults.failed().size());
            // A batch hands its failed files back; the next round regroups them all into one input (up to 256 files).
            assertEquals(0, faulty.figures.activityFailures(), "no activity failed: the files were handed back");
            assertEquals(baseline.figures.activities() + (faults.failed().size() + 255) / 256,
                    faulty.figures.activities(), "one retry input for every failed file, regrouped, no other");
            assertTrue(faulty.wall.compareTo(baseline.wall.plus(ONE_ROUND)) <= 0, "the faults cost "
                    + faulty.wall.minus(baseline.wall).toSeconds() + " s, more than one retry round (" + ONE_ROUND
                    .toSeconds() + " s)");
        }
    }

    private record Run(JsonNode status, Duration wall, LocalStack.Figures figures) {
        String describe() {
            return figures.describe(wall);
        }
    }

    private static Run backup(LocalStack stack, Path site, String prefix) {
        LocalStack.Figures before = stack.figures();
        Instant started = Instant.now();
        String id = stack.start("BackupSiteContent", Map.of("rootDirectory", site.toString(),
                "container", "retry", "blobPrefix", prefix));
        JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(20));
        Duration wall = Duration.between(started, Instant.now());
        assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
        return new Run(status, wall, stack.figures().minus(before));
    }
}
