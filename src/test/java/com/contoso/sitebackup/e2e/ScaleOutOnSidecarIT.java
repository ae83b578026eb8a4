package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.standin.stack.BridgeProcess;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: two workers (bridge JVMs with the packaged app) on one durabletask-go engine, the way two Functions
 * instances share one task hub. The engine hands each work item to whichever connected worker takes it first (one
 * channel read by every worker's work-item stream, {@code backend/executor.go} of durabletask-go v0.6.0), so batches
 * spread over both. In each job (a first backup, a second backup that replaces 400 files, a restore, a verify by
 * content) the second worker is killed with SIGKILL once it has run a share of the job's batches; the engine hands
 * what it held to the other worker and the job ends exact: blobs, blob snapshots (one per replaced file, none more)
 * and the snapshot manifests; the restored tree with no temporary file; a verify that finds every file identical.
 * Each worker's share is printed.
 */
@EndToEndTest
// Four jobs of 2,000 files on three JVMs and the engine: about 2 minutes on an idle build machine.
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ScaleOutOnSidecarIT {
    private static final int FILES = 2_000;
    /** 16 files a batch: 125 batches a job, in 4 groups of up to 32 (BatchGroup sub-orchestrations). */
    private static final int BATCH_FILES = 16;
    /** The second worker is killed once it has run this many of a job's batches (of the second backup's 25). */
    private static final int KILL_AFTER = 12;
    private static final int KILL_AFTER_IN_SECOND_BACKUP = 4;
    private static final int CHANGED = 400;

    @TempDir
    Path work;

    @Test
    void backupRestoreVerify_twoWorkers_secondKilledInEachJob_exact() throws Exception {
        // Locks of the killed worker's work items expire after 10 s instead of 2 min.
        try (LocalStack stack = LocalStack.start(work, 2,
                Map.of("BACKUP_BATCH_FILES", Integer.toString(BATCH_FILES)), "--lock-timeout", "10s")) {
            assertEquals(2, stack.bridges.size());
            Path site = stack.root.resolve("site");
            long bytes = Trees.mixed(site, FILES, 0, 27);
            BlobContainerClient container = stack.azurite.client().getBlobContainerClient("scale");
            Map<String, Object> backupBody = Map.of("rootDirectory", site.toString(), "container", "scale",
                    "blobPrefix", "s");

            // A first backup: every file a new blob, no blob snapshot (nothing to keep yet), one snapshot.
            JsonNode first = runKillingSecondWorker(stack, "first backup", "BackupSiteContent", "CopyFileToBlob",
                    KILL_AFTER, backupBody);
            assertEquals(bytes, first.get("output").asLong(), first.toString());
            assertEquals("COMPLETED", first.get("customStatus").get("phase").asText(), first.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, container, "s"));
            TreeCheck.assertSameNames(TreeCheck.files(site).keySet(), blobNames(container, "s", true),
                    "blobs under s, uncommitted ones included");
            assertEquals(0, blobSnapshots(container, "s").size(), "blob snapshots after the first backup");
            assertEquals(1, snapshots(stack, "scale", "s"), "snapshots after the first backup");

            // A second backup after 400 files changed: each replaced blob's old version kept by exactly one blob
            // snapshot (copy on write), even when a batch was cut by the kill and run again by the other worker.
            List<String> changed = change(site, CHANGED);
            long bytesAfter = TreeCheck.files(site).values().stream().mapToLong(ScaleOutOnSidecarIT::size).sum();
            JsonNode second = runKillingSecondWorker(stack, "second backup", "BackupSiteContent", "CopyFileToBlob",
                    KILL_AFTER_IN_SECOND_BACKUP, backupBody);
            assertEquals("COMPLETED", second.get("customStatus").get("phase").asText(), second.toString());
            assertEquals(bytesAfter, TreeCheck.assertBlobsHoldFiles(site, container, "s"));
            Map<String, Long> snapshotsPerBlob = blobSnapshots(container, "s");
            assertEquals(new TreeSet<>(changed), snapshotsPerBlob.keySet(), "the blobs with a blob snapshot");
            assertTrue(snapshotsPerBlob.values().stream().allMatch(n -> n == 1),
                    "one blob snapshot per replaced file: " + snapshotsPerBlob.entrySet().stream()
                            .filter(e -> e.getValue() != 1).limit(5).toList());
            assertEquals(2, snapshots(stack, "scale", "s"), "snapshots after the second backup");

            // A restore of the latest snapshot: the exact tree, no temporary file.
            Path target = stack.root.resolve("restored");
            JsonNode restore = runKillingSecondWorker(stack, "restore", "RestoreSiteContent", "RestoreBlobToFile",
                    KILL_AFTER, Map.of("container", "scale", "blobPrefix", "s", "targetDirectory", target.toString()));
            assertEquals("COMPLETED", restore.get("customStatus").get("phase").asText(), restore.toString());
            assertEquals(bytesAfter, restore.get("output").asLong(), restore.toString());
            List<String> temporaries = TreeCheck.files(target).keySet().stream()
                    .filter(name -> Path.of(name).getFileName().toString().startsWith(TemporaryFile.PREFIX)).toList();
            assertEquals(List.of(), temporaries, "temporary files left");
            TreeCheck.assertSameTree(site, target, true);

            // A verify by content: every file and folder identical.
            JsonNode verify = runKillingSecondWorker(stack, "verify", "VerifyBackup", "CheckFileContent",
                    KILL_AFTER, Map.of("rootDirectory", site.toString(), "container", "scale", "blobPrefix", "s",
                            "compareContent", true));
            JsonNode report = verify.get("output");
            long folders;
            try (var walk = Files.walk(site)) {
                folders = walk.filter(Files::isDirectory).count() - 1;
            }
            assertEquals(FILES + folders, report.get("identical").asLong(), "every file and folder: " + report);
            assertEquals(0, report.get("missingCount").asInt() + report.get("extraCount").asInt()
                    + report.get("differentCount").asInt(), report.toString());
        }
    }

    /**
     * Runs one job on both workers and kills the second (SIGKILL) once it has run {@code killAfter} of the job's
     * {@code fanOut} activities; prints each worker's share; starts the second again for the next job.
     */
    private static JsonNode runKillingSecondWorker(LocalStack stack, String job, String orchestrator, String fanOut,
                                                   int killAfter, Map<String, Object> body) throws Exception {
        BridgeProcess second = stack.bridges.get(1);
        long[] from = {LocalStack.workItems(stack.bridges.get(0), 0).size(), LocalStack.workItems(second, 0).size()};
        Instant started = Instant.now();
        String id = stack.start(orchestrator, body);
        long beforeKill = -1;
        long firstAtKill = -1;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            long ran = ran(second, from[1], fanOut);
            if (ran >= killAfter) {
                firstAtKill = ran(stack.bridges.get(0), from[0], fanOut);
                second.kill();
                beforeKill = ran;
                break;
            }
            if (stack.status(id).statusCode() == 200) {
                break;
            }
            Thread.sleep(20);
        }
        JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(8));
        Duration wall = Duration.between(started, Instant.now());
        long firstRan = ran(stack.bridges.get(0), from[0], fanOut);
        long secondRan = ran(second, from[1], fanOut);
        System.out.printf(Locale.ROOT, "[e2e] %s of %,d files on 2 workers, %d files a batch, wall %.1f s: %s"
                        + " batches run by worker 1 / worker 2 when worker 2 was killed (SIGKILL): %d / %d; worker 1"
                        + " ran %d in all, worker 2 %s%n", job, FILES, BATCH_FILES, wall.toMillis() / 1000.0, fanOut,
                firstAtKill, beforeKill, firstRan,
                LocalStack.activitiesByName(LocalStack.workItems(second, from[1])));
        assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
        assertTrue(beforeKill >= killAfter, job + ": the second worker was killed after running " + killAfter
                + " batches (it ran " + secondRan + ")");
        // Scaled out: both workers ran batches, and at the same time. Not an even share: the engine hands a work item
        // to whichever worker asks first, which on two busy cores ranged from 2 / 16 to 12 / 16 batches at the kill.
        assertTrue(firstAtKill >= 1, job + ": the first worker ran no batch before the second was killed ("
                + beforeKill + ")");
        assertTrue(ranTogether(LocalStack.workItems(stack.bridges.get(0), from[0]),
                LocalStack.workItems(second, from[1]), fanOut), job + ": no batch of the first worker ran while one of"
                + " the second did");
        second.start();
        return status;
    }

    /**
     * Whether some {@code name} activity of {@code first} ran while one of {@code second} did: their intervals (each
     * work item's end, {@code at}, less its {@code ms}) overlap.
     */
    private static boolean ranTogether(List<JsonNode> first, List<JsonNode> second, String name) {
        List<long[]> others = intervals(second, name);
        for (long[] one : intervals(first, name)) {
            for (long[] other : others) {
                if (one[0] < other[1] && other[0] < one[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** When each {@code name} activity of {@code items} ran: {@code at - ms .. at}. */
    private static List<long[]> intervals(List<JsonNode> items, String name) {
        List<long[]> intervals = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.get("kind").asText().equals("activity") && item.get("name").asText().equals(name)) {
                long end = item.get("at").asLong();
                intervals.add(new long[] {end - item.get("ms").asLong(), end});
            }
        }
        return intervals;
    }

    /** How many {@code name} activities {@code worker} ran from its {@code from}-th work item on. */
    private static long ran(BridgeProcess worker, long from, String name) {
        return LocalStack.workItems(worker, from).stream()
                .filter(item -> item.get("kind").asText().equals("activity") && item.get("name").asText().equals(name))
                .count();
    }

    /** Rewrites {@code count} files of {@code site} with other bytes of another length; answers their paths. */
    private static List<String> change(Path site, int count) throws IOException {
        Random random = new Random(28);
        List<String> changed = new ArrayList<>();
        List<Map.Entry<String, Path>> files = new ArrayList<>(TreeCheck.files(site).entrySet());
        for (int i = 0; i < files.size() && changed.size() < count; i += files.size() / count) {
            byte[] content = new byte[1 + random.nextInt(8192)];
            random.nextBytes(content);
            Files.write(files.get(i).getValue(), content);
            changed.add(files.get(i).getKey());
        }
        return changed;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> blobNames(BlobContainerClient container, String prefix, boolean uncommitted) {
        Set<String> names = new TreeSet<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(uncommitted));
        for (BlobItem blob : container.listBlobs(options, null)) {
            names.add(blob.getName().substring(prefix.length() + 1));
        }
        return names;
    }

    /** Blob snapshots under {@code prefix}, counted per blob name (after the prefix). */
    private static Map<String, Long> blobSnapshots(BlobContainerClient container, String prefix) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true));
        for (BlobItem blob : container.listBlobs(options, null)) {
            if (blob.getSnapshot() != null) {
                counts.merge(blob.getName().substring(prefix.length() + 1), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** How many snapshots (runs) the app lists for the backup, through its own HTTP listing. */
    private static int snapshots(LocalStack stack, String container, String prefix) {
        var response = stack.get("/snapshots/" + container + "?prefix=" + prefix);
        assertEquals(200, response.statusCode(), response.body());
        return LocalStack.read(response.body()).get("snapshots").size();
    }
}
