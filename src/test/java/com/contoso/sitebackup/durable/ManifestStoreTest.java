package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.contoso.sitebackup.testing.CountingRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@AzuriteTest
class ManifestStoreTest {
    private static final String CONTAINER = "manifests-" + System.nanoTime();
    private static final JobCard CARD = new Card("/site", "reports/run-1.jsonl");

    private final ManifestStore store = new ManifestStore(Azurite.shared().client(), CONTAINER, 3, 100);
    private final ProblemLog noProblems = new ProblemLog(new ProblemReport(Azurite.shared().client(), CONTAINER),
            null, "listing", 0);

    /** A job card as a feature would write one. */
    record Card(String directory, String report) implements JobCard {
    }

    private JobPlan write(List<FileEntry> files) {
        ManifestWriter writer = store.writer(CARD, "/site", noProblems);
        files.forEach(writer::add);
        return writer.finish();
    }

    @Test
    void writer_sevenFilesInBatchesOfThree_readsBackThreeBatchesInOrderAndTheCard() {
        List<FileEntry> files = IntStream.range(0, 7)
                .mapToObj(i -> new FileEntry("dir/ü " + i + ".txt", i, 1_700_000_000_000L + i)).toList();

        JobPlan plan = write(files);

        String id = plan.manifest();
        assertEquals(3, plan.batchCount());
        assertEquals(files, TestManifests.entries(store, plan, FileEntry.class));
        assertEquals(3, store.readBatch(id, 0).size());
        assertEquals(1, store.readBatch(id, 2).size());
        assertEquals(CARD, store.readCard(id, Card.class));
        BlobContainerClient container = Azurite.shared().client().getBlobContainerClient(CONTAINER);
        List<String> blobs = container.listBlobs().stream().map(BlobItem::getName)
                .filter(name -> name.contains(id)).toList();
        assertEquals(List.of("plans/" + id + "/batch-000000.json", "plans/" + id + "/batch-000001.json",
                "plans/" + id + "/batch-000002.json", "plans/" + id + "/job.json"), blobs);
    }

    /** A batch closes at its byte count too; a file larger than it is a batch alone. */
    @Test
    void writer_bytesBound_closesABatchAndAFileLargerThanABatchIsAlone() {
        List<FileEntry> files = List.of(new FileEntry("a", 60, 1), new FileEntry("b", 60, 1),
                new FileEntry("huge", 500, 1), new FileEntry("c", 10, 1), new FileEntry("d", 10, 1));

        JobPlan plan = write(files);

        List<Integer> sizes = IntStream.range(0, plan.batchCount())
                .mapToObj(i -> store.readBatch(plan.manifest(), i).size()).toList();
        assertEquals(List.of(1, 1, 1, 2), sizes, "a | b | huge | c d");
        assertEquals(640, plan.bytesPlanned());
    }

    @Test
    void writer_twice_usesTwoManifests() {
        List<FileEntry> files = IntStream.range(0, 4).mapToObj(i -> new FileEntry("f" + i, 1, 1)).toList();

        assertNotEquals(write(files).manifest(), write(files).manifest());
    }

    @Test
    void readBatch_missingBatchOrManifest_refusedNaming() {
        JobPlan plan = write(IntStream.range(0, 4).mapToObj(i -> new FileEntry("f" + i, 1, 1)).toList());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> store.readBatch(plan.manifest(), 2));
        assertTrue(missing.getMessage().contains("has no batch 2"), missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> store.readCard(UUID.randomUUID().toString()));
        assertTrue(unknown.getMessage().contains("does not exist in this app's storage"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.readBatch("../other/x", 0));
    }

    /**
     * The batches of a job start at the same moment in a worker and each reads the job card: one download serves
     * them all, and a refusal reaches each of them.
     */
    @Test
    @Timeout(60)
    void readCard_eightBatchesAtOnce_oneDownloadAndEachRefusedAlike() throws Exception {
        String id = write(List.of(new FileEntry("f", 1, 1))).manifest();
        CountingRequests counted = new CountingRequests();
        ManifestStore worker = new ManifestStore(counted.client(), CONTAINER, 3, 100);
        String unknown = UUID.randomUUID().toString();
        ExecutorService batches = Executors.newFixedThreadPool(8);
        try {
            for (String asked : List.of(id, unknown)) {
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<Object>> read = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    read.add(batches.submit(() -> {
                        start.await();
                        try {
                            return worker.readCard(asked, Card.class);
                        } catch (IllegalArgumentException e) {
                            return e.getMessage();
                        }
                    }));
                }
                for (Future<Object> each : read) {
                    Object answer = each.get(30, TimeUnit.SECONDS);
                    if (asked.equals(id)) {
                        assertEquals(CARD, answer);
                    } else {
                        assertTrue(answer.toString().contains("manifest " + unknown + " does not exist"),
                                answer.toString());
                    }
                }
            }
        } finally {
            batches.shutdownNow();
        }
        assertEquals(2, counted.all().stream().filter(r -> r.startsWith("GET") && r.endsWith("job.json")).count(),
                "one download of each card asked for: " + counted.all());
    }

    @Test
    void constructor_batchSizesOutOfRange_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ManifestStore(Azurite.shared().client(), CONTAINER, 0));
        assertTrue(e.getMessage().contains("batchFiles"));
        assertThrows(IllegalArgumentException.class,
                () -> new ManifestStore(Azurite.shared().client(), CONTAINER, ManifestStore.MAX_BATCH_FILES + 1));
        assertThrows(IllegalArgumentException.class, () -> new ManifestStore(Azurite.shared().client(), CONTAINER, 1, 0));
    }
}
