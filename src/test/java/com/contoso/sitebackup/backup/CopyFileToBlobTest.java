package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.TestManifests;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CopyFileToBlob activity against Azurite: one call copies one batch of files. */
@AzuriteTest
class CopyFileToBlobTest {
    private final String report = "reports/copy-test-" + UUID.randomUUID() + ".jsonl";

    @TempDir
    Path tmp;

    private Path root;
    private BlobServiceClient service;
    private BlobContainerClient container;
    private AppServices services;
    private ManifestStore manifests;
    private CopyFileToBlob activity;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        service = Azurite.shared().client();
        container = service.createBlobContainer("activity-" + UUID.randomUUID().toString().substring(0, 8));
        services = BackupApp.services(service, root, Settings.DEFAULT_BATCH_FILES);
        manifests = ManifestStore.from(services);
        activity = new CopyFileToBlob(services);
    }

    @AfterEach
    void tearDown() {
        container.delete();
    }

    /** Runs the activity on batch 0 of a manifest holding {@code entries} for {@code job}, as the worker would. */
    private BatchOutcome run(BackupJob job, List<CopyEntry> entries) {
        return run(TestManifests.writeOneBatch(manifests, job, entries));
    }

    /** Runs the activity on batch 0 of {@code manifest}, first attempt, as the worker would. */
    private BatchOutcome run(String manifest) {
        String input = Wire.write(new BatchWork(CodeVersion.CURRENT, manifest, BatchWork.whole(0, 1), 1, false));
        return Wire.read(activity.run(input), BatchOutcome.class, "the result");
    }

    /** The start markers ({@link ManifestStore#firstStart}) the inputs of {@code manifest} left. */
    private List<String> markers(String manifest) {
        return service.getBlobContainerClient(BackupApp.MANIFEST_CONTAINER)
                .listBlobsByHierarchy(ManifestStore.PLANS + manifest + "/started/").stream()
                .map(blob -> blob.getName()).toList();
    }

    /** A batch that only creates blobs takes no blob snapshot, so it writes no start marker: one request a file. */
    @Test
    void run_aBatchOfNewFiles_writesNoStartMarker() throws IOException {
        Files.writeString(root.resolve("a.txt"), "a");
        Files.writeString(root.resolve("b.txt"), "bb");
        String manifest = TestManifests.writeOneBatch(manifests, job(root.toString(), container.getBlobContainerName()),
                List.of(new CopyEntry("a.txt", 1, 0, EntryType.FILE, null),
                        new CopyEntry("b.txt", 2, 0, EntryType.FILE, null)));

        BatchOutcome outcome = run(manifest);

        assertEquals(2, outcome.filesDone());
        assertEquals("bb", container.getBlobClient("site/b.txt").downloadContent().toString());
        assertEquals(List.of(), markers(manifest));
    }

    /**
     * A batch that keeps an earlier run's version writes its start marker (before its blob snapshot), once however
     * many of its files keep one; started again (its worker lost), it finds the marker and takes no second snapshot.
     */
    @Test
    void run_aBatchThatKeepsVersions_marksItsStartOnce_andAStartAgainTakesNoSecondSnapshot() throws IOException {
        List<CopyEntry> entries = new ArrayList<>();
        for (String name : List.of("a.txt", "b.txt", "c.txt")) {
            String etag = container.getBlobClient("site/" + name).getBlockBlobClient().uploadWithResponse(
                    new com.azure.storage.blob.options.BlockBlobSimpleUploadOptions(
                            com.azure.core.util.BinaryData.fromString("old " + name))
                            .setMetadata(java.util.Map.of(StoredBlob.RUN, "20261205T010203.004Z")), null,
                    com.azure.core.util.Context.NONE).getValue().getETag();
            Files.writeString(root.resolve(name), "new " + name);
            entries.add(new CopyEntry(name, 5, 0, EntryType.FILE, etag));
        }
        String manifest = TestManifests.writeOneBatch(manifests, job(root.toString(), container.getBlobContainerName()),
                entries);

        BatchOutcome first = run(manifest);
        BatchOutcome again = run(manifest);

        assertEquals(3, first.filesDone());
        assertEquals(3, again.filesDone());
        assertEquals(1, markers(manifest).size(), "one marker for the batch");
        for (String name : List.of("a.txt", "b.txt", "c.txt")) {
            List<String> snapshots = container.listBlobs(new com.azure.storage.blob.models.ListBlobsOptions()
                    .setPrefix("site/" + name).setDetails(new com.azure.storage.blob.models.BlobListDetails()
                            .setRetrieveSnapshots(true)), null).stream()
                    .filter(blob -> blob.getSnapshot() != null).map(blob -> blob.getSnapshot()).toList();
            assertEquals(1, snapshots.size(), name + ": one blob snapshot of the earlier version");
            assertEquals("old " + name, container.getBlobClient("site/" + name, snapshots.get(0)).downloadContent()
                    .toString());
            assertEquals("new " + name, container.getBlobClient("site/" + name).downloadContent().toString());
        }
    }

    private BackupJob job(String directory, String containerName) {
        return new BackupJob(directory, containerName, "site", "20261206T010203.004Z", report);
    }

    @Test
    void constructor_nullCopier_throws() {
        assertThrows(NullPointerException.class, () -> new CopyFileToBlob(null, null, null));
    }

    /** The unit of work is a batch: one call copies every file of it (a batch of one would fail this). */
    @Test
    void run_aBatchOf256Files_copiesEveryOneInOneCallWithItsBytesAndMd5() throws Exception {
        List<CopyEntry> entries = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            byte[] content = new byte[1 + i * 37];
            new Random(i).nextBytes(content);
            String name = "dir " + (i % 7) + "/café " + i + ".bin";
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            contents.add(content);
            entries.add(new CopyEntry(name, content.length, 0, EntryType.FILE, null));
        }

        BatchOutcome outcome = run(job(root.toString(), container.getBlobContainerName()), entries);

        assertNull(outcome.error());
        assertEquals(256, outcome.filesDone());
        assertEquals(contents.stream().mapToLong(c -> c.length).sum(), outcome.bytesDone());
        assertEquals(0, outcome.problemCount() + outcome.failureCount() + outcome.retry().size());
        for (int i = 0; i < 256; i++) {
            String blob = "site/" + entries.get(i).path();
            assertArrayEquals(contents.get(i), container.getBlobClient(blob).downloadContent().toBytes(), blob);
            BlobProperties properties = container.getBlobClient(blob).getProperties();
            assertArrayEquals(MessageDigest.getInstance("MD5").digest(contents.get(i)), properties.getContentMd5());
            assertEquals(Long.toString(Files.getLastModifiedTime(root.resolve(entries.get(i).path()))
                            .to(java.util.concurrent.TimeUnit.NANOSECONDS)),
                    properties.getMetadata().get(PosixMetadata.MODTIME));
        }
    }

    @Test
    void run_vanishedFileAmongOthers_countedAsAProblemAndWrittenToTheReport() throws IOException {
        Files.writeString(root.resolve("here.txt"), "here");
        BatchOutcome outcome = run(job(root.toString(), container.getBlobContainerName()), List.of(
                new CopyEntry("gone.txt", 4, 0, EntryType.FILE, null),
                new CopyEntry("here.txt", 4, 0, EntryType.FILE, null)));

        assertEquals(1, outcome.filesDone());
        assertEquals(1, outcome.problemCount());
        assertEquals(List.of(new FileProblem("gone.txt", "vanished since it was listed")), outcome.problems());
        assertFalse(container.getBlobClient("site/gone.txt").exists());
        assertEquals(List.of(new FileProblem("gone.txt", "vanished since it was listed")),
                new ProblemReport(service, BackupApp.MANIFEST_CONTAINER).read(report));
    }

    /** The app's read roots are the ones the activity checks, whoever wrote the job card. */
    @Test
    void run_rootOutsideTheAppsReadRoots_refusedNothingUploaded() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");

        BatchOutcome outcome = run(job(outside.toString(), container.getBlobContainerName()),
                List.of(new CopyEntry("secret.txt", 6, 0, EntryType.FILE, null)));

        assertEquals(1, outcome.problemCount());
        assertTrue(outcome.problems().get(0).getReason().startsWith("refused: rootDirectory '" + outside
                + "' is not a directory this app may read"), outcome.problems().toString());
        assertFalse(container.getBlobClient("site/secret.txt").exists());
    }

    @Test
    void run_theAppsManifestContainer_refused() throws IOException {
        Files.writeString(root.resolve("a.txt"), "a");
        BatchOutcome outcome = run(job(root.toString(), BackupApp.MANIFEST_CONTAINER),
                List.of(new CopyEntry("a.txt", 1, 0, EntryType.FILE, null)));
        assertTrue(outcome.problems().get(0).getReason().startsWith("refused: container 'backup-manifests' is reserved"),
                outcome.problems().toString());
    }

    /** A manifest of another account (another app's storage): the card is not found, the input is refused. */
    @Test
    void run_manifestThisStorageDoesNotHold_refusedNotRetried() {
        String input = Wire.write(new BatchWork(CodeVersion.CURRENT, TestManifests.unknownManifest(),
                BatchWork.whole(0, 1), 1, false));
        BatchOutcome outcome = Wire.read(activity.run(input), BatchOutcome.class, "the result");
        assertFalse(outcome.retriable());
        assertTrue(outcome.error().contains("does not exist in this app's storage"), outcome.error());
    }

    /**
     * Issue 22: the large files of a batch stage their blocks together, under one budget. Three files of 6 blocks
     * (1 MiB blocks, a budget of 4: files above it go in blocks) in one batch: a Put Block is held back until blocks of two files are in flight at
     * once (or 20 s have passed), so copying the files one after another leaves at most one file in flight and fails
     * here on counts, not on time; the budget is never exceeded, every block is given back, and every blob holds its
     * file's bytes and MD5.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void run_aBatchOfLargeFiles_blocksOfAllFilesInFlightTogetherUnderOneBudget() throws Exception {
        int block = 1024 * 1024;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(1);
        BlockStaging[] staging = new BlockStaging[1];
        java.util.concurrent.ExecutorService gated = new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable task) {
                pool.execute(() -> {
                    try {
                        if (staging[0].filesInFlight() >= 2) {
                            together.countDown();
                        }
                        if (!together.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                            together.countDown();   // never together: let every block through, the test fails
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    task.run();
                });
            }

            @Override
            public void shutdown() {
                pool.shutdown();
            }

            @Override
            public List<Runnable> shutdownNow() {
                return pool.shutdownNow();
            }

            @Override
            public boolean isShutdown() {
                return pool.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return pool.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
                return pool.awaitTermination(timeout, unit);
            }
        };
        staging[0] = new BlockStaging(block, 4 * block, gated);
        CopyFileToBlob batchActivity = new CopyFileToBlob(new com.contoso.sitebackup.durable.BatchRunner<>(
                CopyFileToBlob.NAME, BackupJob.class, CopyEntry.class, CopyEntry::path, manifests,
                ProblemReport.from(services), services.transfers()), manifests,
                new BlobCopier(service, services.readRoots(), services.settings().manifestContainer(), staging[0]));
        List<CopyEntry> entries = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] content = new byte[6 * block - i * 1000];
            new Random(i).nextBytes(content);
            Files.write(root.resolve("large-" + i + ".bin"), content);
            contents.add(content);
            entries.add(new CopyEntry("large-" + i + ".bin", content.length, 0, EntryType.FILE, null));
        }
        String manifest = TestManifests.writeOneBatch(manifests, job(root.toString(), container.getBlobContainerName()),
                entries);
        String input = Wire.write(new BatchWork(CodeVersion.CURRENT, manifest, BatchWork.whole(0, 1), 1, false));

        BatchOutcome outcome;
        try {
            outcome = Wire.read(batchActivity.run(input), BatchOutcome.class, "the result");
        } finally {
            pool.shutdown();
        }

        assertNull(outcome.error());
        assertEquals(3, outcome.filesDone(), outcome.toString());
        assertTrue(staging[0].maxFilesInFlight() >= 2, "the large files of the batch were staged one after another:"
                + " at most " + staging[0].maxFilesInFlight() + " file(s) had blocks in flight at once");
        assertTrue(staging[0].maxBytesInFlight() <= 4L * block, "bytes in flight " + staging[0].maxBytesInFlight());
        assertEquals(0, staging[0].blocksInFlight(), "every block gave its bytes back to the budget");
        System.out.printf("3 large files of one batch: at most %d files and %d blocks (%d bytes) in flight at once%n",
                staging[0].maxFilesInFlight(), staging[0].maxBlocksInFlight(), staging[0].maxBytesInFlight());
        for (int i = 0; i < 3; i++) {
            String blob = "site/" + entries.get(i).path();
            assertArrayEquals(contents.get(i), container.getBlobClient(blob).downloadContent().toBytes(), blob);
            assertArrayEquals(MessageDigest.getInstance("MD5").digest(contents.get(i)),
                    container.getBlobClient(blob).getProperties().getContentMd5(), blob);
        }
    }
}
