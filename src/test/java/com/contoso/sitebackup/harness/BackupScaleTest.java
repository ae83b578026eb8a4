package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.durable.CodeVersion;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.BackupAssertions;
import com.contoso.sitebackup.testing.Trees;
import static com.contoso.sitebackup.testing.BackupAssertions.assertBackedUp;
import static com.contoso.sitebackup.testing.BackupAssertions.assertNothingUnder;
import static com.contoso.sitebackup.testing.BackupAssertions.sizeOf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large and repeated backups through the harness: multi-batch and multi-group runs, incremental re-runs, filters, dry
 * runs, and the bounds of issues 15 and 22 (history, payloads, events replayed and activities per file, the listing's
 * heap) at 100,000 files, or as many as {@code -Dscale.files} says.
 */
@AzuriteTest
// 100,000 files through the in-memory engine: 22-26 s on an idle build machine, 98 s beside other builds (load 7).
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BackupScaleTest {
    /** Small batches, so a few hundred files make several groups of batches. */
    private static final int BATCH = 2;
    private static final int SMALL_SCALE = 10_000;
    private static final int DEFAULT_SCALE = 100_000;

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
        assertTrue(first.metrics().subOrchestrations() >= 3, "a multi-group run: " + first.metrics().summary());

        HarnessResult unchanged = run(request);
        JobProgress again = status(unchanged);
        assertEquals(0L, Long.parseLong(unchanged.output()), "an unchanged tree uploads 0 bytes");
        assertEquals(0, again.getFilesPlanned());
        assertEquals(240, again.getFilesUnchanged());
        assertEquals(bytes, again.getBytesUnchanged());
        assertEquals(1, unchanged.metrics().activityExecutions(),
                "one listing, which seals the run itself: no copies, no seal of its own: " + unchanged.metrics().summary());
        assertTrue(again.getSnapshot() != null && !again.getSnapshot().equals(status(first).getSnapshot()),
                "the unchanged run's own snapshot: " + again.getSnapshot());

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
                List.of("café crème/**", "*.tmp"), false, false, null).withCodeVersion(CodeVersion.CURRENT);
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
        BackupRequest request = new BackupRequest(site.toString(), "scale-dry-run", "dry", null, null, true, false, null)
                .withCodeVersion(CodeVersion.CURRENT);

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

    /**
     * The large-tree bounds, at {@value #SMALL_SCALE} files and at {@code -Dscale.files} (default
     * {@value #DEFAULT_SCALE}; the benchmark runs 1,000,000): copies counted, not uploaded. No history and no
     * payload grows with the tree, events replayed per file stay flat, and the listing activity's live heap stays
     * under the 256 MiB.
     */
    @Test
    void backup_largeTreeWithCountedCopies_historyReplayPerFileAndListingHeapStayBounded() {
        int files = Integer.getInteger("scale.files", DEFAULT_SCALE);
        ScaleRun small = scaleRun(SMALL_SCALE);
        ScaleRun large = scaleRun(files);

        for (ScaleRun run : List.of(small, large)) {
            HarnessMetrics metrics = run.result().metrics();
            String figures = String.format(java.util.Locale.ROOT, "%,d files (copies counted, not uploaded): %.1f s,"
                    + " listing %.1f s with %.1f MiB heap growth, %.1f events replayed per file; %s", run.files(),
                    run.seconds(), run.listingSeconds(), run.listingHeapGrowth() / (double) (1 << 20),
                    run.eventsReplayedPerFile(), metrics.summary());
            System.out.println(figures);
            assertEquals("Completed", run.result().runtimeStatus(), run.result().failureMessage());
            // The 256 MiB (brokenBounds) is the only bound on the listing's heap here: what the probe sees
            // beside it is a listing page, the draft's blocks and the HTTP client's buffers, 1.2 to 77 MiB measured
            // at 100,000 files from run to run, more than the 10.5 MiB a listing that held the tree's entries
            // would add at this size. OrchestrationCost prints the figure at 1,000,000 (25-54 MiB measured there).
            assertEquals(List.of(), run.brokenBounds(), figures);
            int batches = (run.files() + Settings.DEFAULT_BATCH_FILES - 1) / Settings.DEFAULT_BATCH_FILES;
            int groups = batches > FanOut.GROUP_BATCHES ? (batches + FanOut.GROUP_BATCHES - 1) / FanOut.GROUP_BATCHES : 0;
            assertEquals(groups, metrics.subOrchestrations(), figures);
            assertEquals(batches + 2, metrics.activityExecutions(), "a listing, one copy per batch, a seal: " + figures);
            assertEquals(List.of(), run.result().unfinishedInstances());
        }
        JobProgress done = status(large.result());
        assertEquals(files, done.getFilesDone());
        assertEquals(done.getBytesPlanned(), Long.parseLong(large.result().output()));
        assertNull(ScaleRun.replayNotFlat(SMALL_SCALE, small.eventsReplayedPerFile(), files,
                large.eventsReplayedPerFile()));
    }

    private ScaleRun scaleRun(int files) {
        Path tree = trees.resolve("tiny-" + files);
        Trees.files(tree, files, 0, 16, files);
        return ScaleRun.backup(blobs, trees, tree, files, "scale-" + files);
    }

    private HarnessResult run(BackupRequest request) {
        HarnessResult result = BackupApp.harness(blobs, trees, BATCH, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, request);
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        assertEquals(List.of(), result.determinismViolations());
        return result;
    }

    private JobProgress status(HarnessResult result) {
        try {
            return json.readValue(result.customStatus(), JobProgress.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
