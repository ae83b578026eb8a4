package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.BackupAssertions;
import com.contoso.sitebackup.testing.Trees;
import static com.contoso.sitebackup.testing.BackupAssertions.assertBackedUp;
import static com.contoso.sitebackup.testing.BackupAssertions.assertNothingUnder;
import static com.contoso.sitebackup.testing.BackupAssertions.sizeOf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large and repeated backups through the harness: multi-slice runs, incremental re-runs, filters, dry runs,
 * and the payload and history bounds at 100,000 files.
 */
@AzuriteTest
class BackupScaleTest {
    private static final int SLICE = 50;

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path trees;

    @Test
    void backup_rerunOverUnchangedTree_uploadsNothingThenOnlyWhatChanged() throws IOException {
        Path site = trees.resolve("site");
        long bytes = Trees.mixed(site, 240, 0, 3);
        BackupRequest request = BackupApp.request(site, "scale-incremental");

        HarnessResult first = run(request);
        assertEquals(bytes, Long.parseLong(first.output()));
        assertTrue(first.metrics().subOrchestrations() >= 4, "a multi-slice run: " + first.metrics().summary());

        HarnessResult unchanged = run(request);
        JobProgress again = status(unchanged);
        assertEquals(0L, Long.parseLong(unchanged.output()), "an unchanged tree uploads 0 bytes");
        assertEquals(0, again.getFilesPlanned());
        assertEquals(240, again.getFilesUnchanged());
        assertEquals(bytes, again.getBytesUnchanged());
        assertEquals(1, unchanged.metrics().activityExecutions(), "one listing, no copies: " + unchanged.metrics().summary());

        List<Path> files = List.copyOf(com.contoso.sitebackup.testing.BackupAssertions.filesUnder(site).values());
        Path changed = files.get(0);
        Files.writeString(changed, "new content, new size");
        Path touched = files.get(1);
        Files.setLastModifiedTime(touched, FileTime.fromMillis(Files.getLastModifiedTime(touched).toMillis() + 60_000));
        Files.writeString(site.resolve("added.txt"), "added");

        HarnessResult third = run(request);
        JobProgress summary = status(third);
        assertEquals(3, summary.getFilesDone());
        assertEquals(238, summary.getFilesUnchanged());
        assertEquals(Files.size(changed) + Files.size(touched) + 5, Long.parseLong(third.output()));
        assertBackedUp(site, blobs.getBlobContainerClient("scale-incremental"), request.getBlobPrefix());
    }

    @Test
    void backup_includeAndExclude_copiesOnlyTheMatchingFiles() throws IOException {
        Path site = trees.resolve("filtered");
        Trees.mixed(site, 60, 0, 4);
        BackupRequest request = new BackupRequest(site.toString(), "scale-filters", "filtered", List.of("**/*.txt"),
                List.of("café crème/**", "*.tmp"), false, false, null);
        Files.writeString(site.resolve("docs/skip me.tmp"), "excluded by name");

        HarnessResult result = run(request);

        Path expected = trees.resolve("expected");
        for (var file : com.contoso.sitebackup.testing.BackupAssertions.filesUnder(site).entrySet()) {
            String path = file.getKey();
            if (path.endsWith(".txt") && path.contains("/") && !path.startsWith("café crème/")) {
                Files.createDirectories(expected.resolve(path).getParent());
                Files.copy(file.getValue(), expected.resolve(path));
            }
        }
        assertEquals(sizeOf(expected), Long.parseLong(result.output()));
        assertBackedUp(expected, blobs.getBlobContainerClient("scale-filters"), "filtered");
    }

    @Test
    void backup_dryRun_reportsThePlanAndWritesNothing() throws IOException {
        Path site = trees.resolve("dry");
        long bytes = Trees.mixed(site, 120, 0, 5);
        BackupRequest request = new BackupRequest(site.toString(), "scale-dry-run", "dry", null, null, true, false, null);

        HarnessResult result = run(request);

        assertEquals("Completed", result.runtimeStatus());
        assertEquals(0L, Long.parseLong(result.output()));
        JobProgress plan = status(result);
        assertEquals(JobProgress.Phase.DRY_RUN_COMPLETED, plan.getPhase());
        assertEquals(120, plan.getFilesPlanned());
        assertEquals(bytes, plan.getBytesPlanned());
        assertEquals(0, plan.getFilesDone());
        assertTrue(!blobs.getBlobContainerClient("scale-dry-run").exists(), "a dry run creates nothing");
        assertNothingUnder(blobs.getBlobContainerClient("scale-dry-run"), "dry");
    }

    @Test
    void backup_100000Files_keepsEveryPayloadUnder1MBAndEveryHistoryUnder4MB() throws IOException {
        Path site = trees.resolve("hundred-thousand");
        long bytes = Trees.files(site, 100_000, 0, 4, 6);

        HarnessResult result = BackupApp.harness(blobs, trees, Settings.DEFAULT_SLICE_SIZE, DurableHarness.Faults.none())
                .activity(new CountingCopy())
                .run(BackupSiteContent.NAME, BackupApp.request(site, "scale-100k"));

        HarnessMetrics metrics = result.metrics();
        System.out.println("100,000 files (copies counted, not uploaded): " + metrics.summary());
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        assertEquals(bytes, Long.parseLong(result.output()));
        assertEquals(100_000, status(result).getFilesDone());
        assertEquals(200 + 4, metrics.subOrchestrations(), "200 slices in 4 groups of 50");
        assertTrue(metrics.largestPayloadBytes() < 1_000_000, "largest payload " + metrics.largestPayloadBytes());
        assertTrue(metrics.largestHistoryBytes() < 4_000_000, "largest history " + metrics.largestHistoryBytes());
        assertTrue(metrics.eventsReplayed() / 100_000 < 1_000, "events replayed per file " + metrics.eventsReplayed() / 100_000);
        assertEquals(List.of(), result.unfinishedInstances());
    }

    private HarnessResult run(BackupRequest request) {
        HarnessResult result = BackupApp.harness(blobs, trees, SLICE, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, request);
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        assertEquals(List.of(), result.determinismViolations());
        return result;
    }

    private JobProgress status(HarnessResult result) throws IOException {
        return json.readValue(result.customStatus(), JobProgress.class);
    }
}
