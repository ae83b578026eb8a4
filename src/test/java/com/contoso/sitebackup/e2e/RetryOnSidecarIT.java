package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries on the real engine, with real durable timers: a tenth of the uploads fail their first attempt (a
 * storage proxy answers 403, which the storage SDK does not retry), so the orchestration's own retries bring
 * those files in. The run must cost one retry round more than the same backup without faults, counted in work:
 * one more activity per failed attempt and no other, and one durable timer in each instance whose uploads failed
 * and none elsewhere (the retries of a round wait for one timer together).
 */
@EndToEndTest
class RetryOnSidecarIT {
    private static final int FILES = 1_000;

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

            // A first run on a cold stack once cost one activity more (1,005 against 1,004 with the same tree): the
            // two runs compared are never the first.
            Path small = stack.root.resolve("warm-up");
            Trees.mixed(small, 20, 0, 22);
            backup(stack, small, "warm-up");
            Run baseline = backup(stack, site, "baseline");
            Run faulty = backup(stack, site, "faulty");

            System.out.println("[e2e] backup of " + FILES + " files without faults: " + baseline.describe() + "; "
                    + LocalStack.activitiesByName(baseline.workItems));
            System.out.println("[e2e] backup of " + FILES + " files, " + faults.failed().size()
                    + " first uploads failed: " + faulty.describe() + "; " + LocalStack.activitiesByName(faulty.workItems));
            assertEquals(bytes, faulty.status.get("output").asLong(), faulty.status.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, stack.azurite.client()
                    .getBlobContainerClient("retry"), "faulty"));
            assertTrue(faults.failed().size() >= FILES / 20, "about a tenth failed: " + faults.failed().size());
            // A batch hands its failed files back; the next round regroups them into inputs of up to a default batch's
            // files (FanOut.RETRY_FILES).
            assertEquals(0, faulty.figures.activityFailures(), "no activity failed: the files were handed back");
            assertEquals(baseline.figures.activities()
                    + (faults.failed().size() + Settings.DEFAULT_BATCH_FILES - 1) / Settings.DEFAULT_BATCH_FILES,
                    faulty.figures.activities(), "one retry input for every failed file, regrouped, no other");
            assertEquals(0, baseline.figures.timersFired(), "no retry timer without faults");
            Map<String, Long> timers = timersByInstance(faulty.workItems);
            System.out.println("[e2e] retry timers fired per instance: " + timers);
            assertEquals(Set.of(1L), Set.copyOf(timers.values()), "one retry round: " + timers);
        }
    }

    private record Run(JsonNode status, Duration wall, LocalStack.Figures figures, List<JsonNode> workItems) {
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
        Duration wall = Duration.between(started, Instant.now()); // printed, never asserted
        assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
        return new Run(status, wall, stack.figures().minus(before), stack.workItems(before.workItems()));
    }

    /** Durable timers that fired into each instance's episodes, for the instances where any did. */
    private static Map<String, Long> timersByInstance(List<JsonNode> workItems) {
        Map<String, Long> timers = new TreeMap<>();
        for (JsonNode item : workItems) {
            if (item.get("kind").asText().equals("episode") && item.get("timersFired").asLong() > 0) {
                timers.merge(item.get("instance").asText(), item.get("timersFired").asLong(), Long::sum);
            }
        }
        return timers;
    }
}
