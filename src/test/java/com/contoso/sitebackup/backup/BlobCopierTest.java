package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

@AzuriteTest
class BlobCopierTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    private Path root;
    private BlobServiceClient service;
    private BlobContainerClient container;
    private BlobCopier copier;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        service = Azurite.shared().client();
        container = service.createBlobContainer("copier-" + UUID.randomUUID().toString().substring(0, 8));
        copier = new BlobCopier(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root)), "manifests");
    }

    @AfterEach
    void tearDown() {
        container.delete();
    }

    static byte[] md5(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("MD5").digest(bytes);
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Path write(String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /**
     * Copies {@code relative} to the blob {@code blobName} ({@code <prefix>/<relative>}) outside a run, as a plan that
     * saw no blob there would ask.
     */
    private FileOutcome copy(String relative, String blobName) {
        return copy(relative, blobName, EntryType.FILE);
    }

    /** As {@link #copy(String, String)}, for an entry the listing saw as a {@code type}. */
    private FileOutcome copy(String relative, String blobName, EntryType type) {
        String prefix = blobName.endsWith("/" + relative) ? blobName.substring(0, blobName.length() - relative.length() - 1)
                : "p";
        return copier.copy(new BackupJob(root.toString(), container.getBlobContainerName(), prefix, null, null),
                new CopyEntry(relative, 0, 0, type, null));
    }

    /** Asserts the blob holds exactly {@code file}'s bytes, its MD5, and its size and mtime as metadata. */
    private void assertBlobMatchesFile(String blobName, Path file) throws Exception {
        byte[] expected = Files.readAllBytes(file);
        BlobClient blob = container.getBlobClient(blobName);
        assertArrayEquals(expected, blob.downloadContent().toBytes(), "content of " + blobName);
        BlobProperties properties = blob.getProperties();
        assertEquals(expected.length, properties.getBlobSize());
        assertArrayEquals(md5(expected), properties.getContentMd5(), "Content-MD5 of " + blobName);
        Map<String, Object> unix = Files.readAttributes(file, "unix:mode,uid,gid,lastModifiedTime");
        assertEquals(Long.toString(((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)),
                properties.getMetadata().get(PosixMetadata.MODTIME));
        assertEquals(unix.get("mode").toString(), properties.getMetadata().get(PosixMetadata.PERMISSIONS));
        assertEquals(unix.get("uid").toString(), properties.getMetadata().get(PosixMetadata.OWNER));
        assertEquals(unix.get("gid").toString(), properties.getMetadata().get(PosixMetadata.GROUP));
    }

    @Test
    void copy_smallFile_blobHasSameBytesMd5AndMetadata() throws Exception {
        Path file = write("dir/small.bin", randomBytes(100_003, 1));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-02T03:04:05.678Z")));

        FileOutcome result = copy("dir/small.bin", "site/dir/small.bin");

        assertEquals("dir/small.bin", result.getPath());
        assertEquals(100_003, result.getBytes());
        assertNull(result.getProblem());
        assertBlobMatchesFile("site/dir/small.bin", file);
        assertEquals("1577934245678000000", container.getBlobClient("site/dir/small.bin").getProperties().getMetadata()
                .get(PosixMetadata.MODTIME));
    }

    /**
     * A file above one request up to the budget's size goes in one Put Blob, read as it is sent: no block is
     * committed, no block of the budget is taken, and the blob's Content-MD5, which the service computed, is the
     * file's MD5.
     */
    @Test
    void copy_fileAboveOneRequestWithinTheBudget_onePutBlobWhoseMd5TheServiceComputed() throws Exception {
        Path file = write("big.bin", randomBytes((int) Math.max(BlobCopier.MAX_SINGLE_UPLOAD + 1,
                2L * BlockStaging.BLOCK_SIZE + 12_345), 2));
        assertTrue(Files.size(file) <= BlockStaging.BUDGET, "the file must fit the process's budget");
        BlockStaging staging = new BlockStaging(BlockStaging.BLOCK_SIZE, BlockStaging.BUDGET,
                java.util.concurrent.Executors.newCachedThreadPool());

        FileOutcome result = copier(staging).copy(new BackupJob(root.toString(), container.getBlobContainerName(),
                "p", null, null), new CopyEntry("big.bin", 0, 0, EntryType.FILE, null));

        assertEquals(Files.size(file), result.getBytes());
        assertBlobMatchesFile("p/big.bin", file);
        assertEquals(0, committedBlocks("p/big.bin"), "sent in blocks, not in one Put Blob");
        assertEquals(0, staging.maxBlocksInFlight(), "the budget was used");
    }

    /**
     * A Put Blob sent as the file is read, cut after 5 MiB of its body (the connection lost): the SDK sends it again,
     * and the body starts again from the file's first byte, read from the same handle, so the blob holds the whole
     * file. (A body that could not go back to its start made the second try send the rest only, and the copy fail.)
     */
    @Test
    void copy_oneRequestCutMidBodyAndSentAgain_theWholeFileStored() throws Exception {
        Path file = write("cut.bin", randomBytes((int) (12 * MIB + 345), 4));
        AtomicInteger cuts = new AtomicInteger();
        HttpPipelinePolicy cutOnce = (context, next) -> {
            HttpRequest request = context.getHttpRequest();
            if (request.getHttpMethod() == HttpMethod.PUT && request.getUrl().getPath().endsWith("cut.bin")
                    && cuts.getAndIncrement() == 0) {
                try (InputStream body = request.getBodyAsBinaryData().toStream()) {
                    body.readNBytes((int) (5 * MIB));
                } catch (IOException e) {
                    return Mono.error(e);
                }
                return Mono.error(new IOException("connection lost after 5 MiB of the body"));
            }
            return next.process();
        };
        BlobServiceClient cutting = new BlobServiceClientBuilder().connectionString(Azurite.shared()
                .connectionString()).retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 3,
                Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(10), null)).addPolicy(cutOnce)
                .buildClient();
        BlobCopier copier = new BlobCopier(cutting, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root)),
                "manifests");

        FileOutcome result = copier.copy(new BackupJob(root.toString(), container.getBlobContainerName(), "p", null,
                null), new CopyEntry("cut.bin", 0, 0, EntryType.FILE, null));

        assertNull(result.getProblem());
        assertEquals(2, cuts.get(), "cut once, then sent again");
        assertBlobMatchesFile("p/cut.bin", file);
    }

    /** A file larger than the staging budget is sent in blocks, committed with the MD5 of the whole file. */
    @Test
    void copy_fileLargerThanTheBudget_uploadedInBlocksWithWholeFileMd5() throws Exception {
        BlockStaging staging = smallStaging();
        Path file = write("big.bin", randomBytes((int) (staging.budget() + MIB + 12_345), 2));

        FileOutcome result = copier(staging).copy(new BackupJob(root.toString(), container.getBlobContainerName(),
                "p", null, null), new CopyEntry("big.bin", 0, 0, EntryType.FILE, null));

        assertEquals(Files.size(file), result.getBytes());
        assertBlobMatchesFile("p/big.bin", file);
        assertEquals((Files.size(file) + staging.blockSize() - 1) / staging.blockSize(), committedBlocks("p/big.bin"));
        assertEquals(0, staging.blocksInFlight());
    }

    /** Blocks of 1 MiB, a budget of 4 MiB: files above 4 MiB go in blocks. */
    private static BlockStaging smallStaging() {
        return new BlockStaging((int) MIB, (int) (4 * MIB), java.util.concurrent.Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "test-stage");
            thread.setDaemon(true);
            return thread;
        }));
    }

    private BlobCopier copier(BlockStaging staging) {
        return new BlobCopier(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root)), "manifests", staging);
    }

    private int committedBlocks(String blobName) {
        return container.getBlobClient(blobName).getBlockBlobClient()
                .listBlocks(com.azure.storage.blob.models.BlockListType.COMMITTED).getCommittedBlocks().size();
    }

    @Test
    void copy_zeroByteFile_emptyBlobWithMetadata() throws Exception {
        Path file = write("empty.txt", new byte[0]);

        FileOutcome result = copy("empty.txt", "p/empty.txt");

        assertEquals(0, result.getBytes());
        assertNull(result.getProblem());
        assertBlobMatchesFile("p/empty.txt", file);
    }

    @Test
    void copy_twiceUnchanged_sameBytes() throws Exception {
        Path file = write("a.txt", randomBytes(5000, 3));
        copy("a.txt", "p/a.txt");
        FileOutcome second = copy("a.txt", "p/a.txt");
        assertEquals(5000, second.getBytes());
        assertBlobMatchesFile("p/a.txt", file);
    }

    @Test
    void copy_againAfterTheFileChanged_blobHasTheNewBytesAndMetadata() throws Exception {
        Path file = write("a.txt", "first version".getBytes());
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        copy("a.txt", "p/a.txt");

        Files.write(file, "the second, longer version".getBytes());
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
        FileOutcome second = copy("a.txt", "p/a.txt");

        assertEquals(26, second.getBytes());
        assertBlobMatchesFile("p/a.txt", file);
        assertEquals("the second, longer version", container.getBlobClient("p/a.txt").downloadContent().toString());
    }

    @Test
    void copy_unicodeSpaceAndPercentNames_blobNamedByTheCodecAndStoredAsNamed() throws Exception {
        Path file = write("café/naïve 日本.txt", "unicode".getBytes());
        write("with space/a + b%20c.txt", "spaces".getBytes());
        write("back\\slash.", "backslash".getBytes());
        String percent = PathCodec.encode("with space/a + b%20c.txt");
        String backslash = PathCodec.encode("back\\slash.");

        copy("café/naïve 日本.txt", "home/site/café/naïve 日本.txt");
        copy(percent, "home/site/" + percent);
        copy(backslash, "home/site/" + backslash);

        List<String> names = container.listBlobs().stream().map(BlobItem::getName).sorted().toList();
        assertEquals(List.of("home/site/back%5Cslash%2E", "home/site/café/naïve 日本.txt",
                "home/site/with space/a + b%2520c.txt"), names);
        assertBlobMatchesFile("home/site/café/naïve 日本.txt", file);
        assertEquals("spaces", container.getBlobClient("home/site/" + percent).downloadContent().toString());
        assertEquals("backslash", container.getBlobClient("home/site/" + backslash).downloadContent().toString());
    }

    @Test
    void copy_vanishedFile_problemNoExceptionNoBlob() {
        FileOutcome result = copy("gone.txt", "p/gone.txt");

        assertEquals("gone.txt", result.getPath());
        assertEquals(0, result.getBytes());
        assertEquals("vanished since it was listed", result.getProblem());
        assertFalse(container.getBlobClient("p/gone.txt").exists());
    }

    @Test
    void copy_symlink_storedAsItsTargetNeverFollowed() throws IOException {
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);

        FileOutcome result = copy("link.txt", "p/link.txt", EntryType.SYMLINK);

        assertNull(result.getProblem());
        assertEquals(outside.toString().length(), result.getBytes());
        BlobClient blob = container.getBlobClient("p/link.txt");
        assertEquals(outside.toString(), blob.downloadContent().toString(), "the target, not the secret it names");
        assertEquals("true", blob.getProperties().getMetadata().get(PosixMetadata.SYMLINK));
    }

    /** Issue 21: a file swapped for a link after the listing was stored as a link the snapshot called a file. */
    @Test
    void copy_fileSwappedForALinkSinceListed_problemNamedNothingUploaded() throws IOException {
        Files.createSymbolicLink(root.resolve("was-a-file.txt"), Path.of("elsewhere.txt"));

        FileOutcome result = copy("was-a-file.txt", "p/was-a-file.txt", EntryType.FILE);

        assertEquals("became a symbolic link since it was listed", result.getProblem());
        assertFalse(container.getBlobClient("p/was-a-file.txt").exists());
    }

    @Test
    void copy_linkSwappedForAFileSinceListed_problemNamedNothingUploaded() throws IOException {
        write("was-a-link.txt", "now a file".getBytes(StandardCharsets.UTF_8));

        FileOutcome result = copy("was-a-link.txt", "p/was-a-link.txt", EntryType.SYMLINK);

        assertEquals("is no longer the symbolic link it was when listed", result.getProblem());
        assertFalse(container.getBlobClient("p/was-a-link.txt").exists());
    }

    @Test
    void copy_inARun_blobTaggedWithTheRunAndCopyOnWriteKeepsTheEarlierRunsBytes() throws Exception {
        Path file = write("run.bin", randomBytes(1_000, 7));
        String run = "20261126T120000.000Z";
        String blob = "site/run.bin";
        BackupJob first = new BackupJob(root.toString(), container.getBlobContainerName(), "site", run, null);

        FileOutcome result = copier.copy(first, new CopyEntry("run.bin", 1_000, 0, EntryType.FILE, null));
        assertEquals(1_000, result.getBytes());
        assertEquals(List.of(), snapshots(blob), "a new file costs no blob snapshot");
        assertEquals(run, container.getBlobClient(blob).getProperties().getMetadata().get(StoredBlob.RUN));

        Files.write(file, randomBytes(1_000, 8));
        String etag = container.getBlobClient(blob).getProperties().getETag();
        BackupJob second = new BackupJob(root.toString(), container.getBlobContainerName(), "site",
                "20261126T130000.000Z", null);
        CopyEntry replace = new CopyEntry("run.bin", 1_000, 0, EntryType.FILE, etag);
        copier.copy(second, replace);
        copier.copy(second, replace); // delivered again

        List<BlobItem> kept = snapshots(blob);
        assertEquals(1, kept.size(), "one blob snapshot, taken before the first run's content was replaced");
        assertEquals(run, kept.get(0).getMetadata().get(StoredBlob.RUN));
        assertArrayEquals(randomBytes(1_000, 7), container.getBlobClient(blob, kept.get(0).getSnapshot())
                .downloadContent().toBytes(), "the first run's bytes after the second upload");
        assertArrayEquals(randomBytes(1_000, 8), container.getBlobClient(blob).downloadContent().toBytes());
        assertEquals("20261126T130000.000Z",
                container.getBlobClient(blob).getProperties().getMetadata().get(StoredBlob.RUN));
    }

    /**
     * Issue 27: a copy that kept the blob's version in a blob snapshot and was lost (its worker killed) before it
     * replaced the blob is started again, by another worker; that start finds the snapshot and takes no second one.
     * A start that does not know it may have started before takes a second snapshot of the same version: the duplicate
     * the two-worker test found (one in ten changed files had two).
     */
    @Test
    void copy_startedAgainAfterALostStartKeptTheVersion_noSecondSnapshot() throws Exception {
        String run = "20261126T120000.000Z";
        BackupJob second = new BackupJob(root.toString(), container.getBlobContainerName(), "site",
                "20261126T130000.000Z", null);
        for (String name : List.of("again.bin", "unaware.bin")) {
            write(name, randomBytes(700, 21));
            copier.copy(new BackupJob(root.toString(), container.getBlobContainerName(), "site", run, null),
                    new CopyEntry(name, 700, 0, EntryType.FILE, null));
            Files.write(root.resolve(name), randomBytes(700, 22));
            String etag = container.getBlobClient("site/" + name).getProperties().getETag();
            // What the lost start did before it was killed: the snapshot, not the upload.
            container.getBlobClient("site/" + name).createSnapshotWithResponse(null,
                    new com.azure.storage.blob.models.BlobRequestConditions().setIfMatch(etag), null, null);
            assertNull(copier.copy(second, new CopyEntry(name, 700, 0, EntryType.FILE, etag), name.equals("again.bin"))
                    .getProblem());
            assertArrayEquals(randomBytes(700, 22), container.getBlobClient("site/" + name).downloadContent().toBytes());
        }
        List<BlobItem> kept = snapshots("site/again.bin");
        assertEquals(1, kept.size(), "one blob snapshot of the first run's version");
        assertArrayEquals(randomBytes(700, 21), container.getBlobClient("site/again.bin", kept.get(0).getSnapshot())
                .downloadContent().toBytes());
        assertEquals(2, snapshots("site/unaware.bin").size(), "a start that does not look takes a second one");
    }

    /** A copy delivered again after it completed finds its own run's content: it replaces it, no snapshot. */
    @Test
    void copy_newFileDeliveredTwice_noSnapshot() throws Exception {
        write("twice.bin", randomBytes(500, 9));
        BackupJob job = new BackupJob(root.toString(), container.getBlobContainerName(), "site",
                "20261126T120000.000Z", null);
        CopyEntry entry = new CopyEntry("twice.bin", 500, 0, EntryType.FILE, null);

        assertNull(copier.copy(job, entry).getProblem());
        assertNull(copier.copy(job, entry).getProblem());

        assertEquals(List.of(), snapshots("site/twice.bin"));
    }

    /** A blob that appeared after the listing holding another run's content is kept in a snapshot, never overwritten. */
    @Test
    void copy_blobAppearedSinceTheListingWithAnotherRunsContent_keptInASnapshotFirst() throws Exception {
        write("late.bin", randomBytes(300, 10));
        copier.copy(new BackupJob(root.toString(), container.getBlobContainerName(), "site", "20261126T110000.000Z",
                null), new CopyEntry("late.bin", 300, 0, EntryType.FILE, null));
        Files.write(root.resolve("late.bin"), randomBytes(300, 11));

        // The plan saw no blob (base null), but one is there now, from another run.
        assertNull(copier.copy(new BackupJob(root.toString(), container.getBlobContainerName(), "site",
                "20261126T120000.000Z", null), new CopyEntry("late.bin", 300, 0, EntryType.FILE, null)).getProblem());

        List<BlobItem> kept = snapshots("site/late.bin");
        assertEquals(1, kept.size());
        assertArrayEquals(randomBytes(300, 10), container.getBlobClient("site/late.bin", kept.get(0).getSnapshot())
                .downloadContent().toBytes());
    }

    private List<BlobItem> snapshots(String blob) {
        return container.listBlobs(new ListBlobsOptions().setPrefix(blob).setDetails(new BlobListDetails()
                .setRetrieveSnapshots(true).setRetrieveMetadata(true)), null).stream()
                .filter(b -> b.getSnapshot() != null && b.getName().equals(blob)).toList();
    }

    @Test
    void copy_fileUnderADirectorySymlinkLeadingOutside_problemNotCopied() throws IOException {
        Path outsideDir = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outsideDir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("dir"), outsideDir);

        FileOutcome result = copy("dir/secret.txt", "p/dir/secret.txt");

        assertEquals("not copied: symbolic link, not followed", result.getProblem());
        assertFalse(container.getBlobClient("p/dir/secret.txt").exists());
    }

    @Test
    void copy_pathWithDotDotLeavingTheRoot_problemNotCopied() throws IOException {
        Files.writeString(tmp.resolve("secret.txt"), "secret");

        FileOutcome result = copy("../secret.txt", "../secret.txt");

        assertEquals("refused: '../secret.txt' is not an encoded file name: it does not decode to a relative path of"
                + " file names", result.getProblem());
        assertFalse(container.getBlobClient("secret.txt").exists());
    }

    @Test
    void copy_absolutePathOutsideTheRoot_problemNotCopied() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");

        FileOutcome result = copy(secret.toString(), "secret.txt");

        assertTrue(result.getProblem().startsWith("refused: '" + secret + "' is not an encoded file name"),
                result.getProblem());
        assertFalse(container.getBlobClient("secret.txt").exists());
    }

    @Test
    void copy_directoryInsteadOfFile_problemNotCopied() throws IOException {
        Files.createDirectories(root.resolve("now-a-dir"));
        assertEquals("not copied: a folder, not a file", copy("now-a-dir", "p/now-a-dir").getProblem());
    }

    /** {@code CopyFileToBlob("/etc", "passwd")} through Durable's own API: refused, nothing uploaded. */
    @Test
    void copy_rootOutsideTheReadRoots_refusedNothingUploaded() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");
        for (String directory : List.of("/etc", tmp.toString(), secret.getParent().toString())) {
            String file = directory.equals("/etc") ? "passwd" : "secret.txt";
            FileOutcome result = copier.copy(new BackupJob(directory, container.getBlobContainerName(), "p", null, null),
                    new CopyEntry(file, 0, 0, EntryType.FILE, null));
            assertEquals("refused: rootDirectory '" + directory + "' is not a directory this app may read (it must be a"
                    + " folder under one of the configured read roots, reached without symbolic links)", result.getProblem());
        }
        assertEquals(List.of(), container.listBlobs().stream().map(BlobItem::getName).toList());
    }

    @Test
    void copy_reservedContainerBadPrefixRunOrPath_refusedNothingUploaded() throws IOException {
        write("a.txt", "a".getBytes());
        String name = container.getBlobContainerName();
        CopyEntry a = new CopyEntry("a.txt", 1, 0, EntryType.FILE, null);
        List<Object[]> refused = List.of(
                new Object[] {new BackupJob(root.toString(), "manifests", "p", null, null), a},
                new Object[] {new BackupJob(root.toString(), "azure-webjobs-secrets", "p", null, null), a},
                new Object[] {new BackupJob(root.toString(), name, "p/../q", null, null), a},
                new Object[] {new BackupJob(root.toString(), name, "p", "not-a-run", null), a},
                new Object[] {new BackupJob(root.toString(), name, "p", null, null),
                        new CopyEntry("x/../a.txt", 1, 0, EntryType.FILE, null)},
                new Object[] {new BackupJob(null, name, "p", null, null), a},
                new Object[] {new BackupJob(root.toString(), null, "p", null, null), a},
                new Object[] {new BackupJob(root.toString(), name, null, null, null), a});
        for (Object[] job : refused) {
            String problem = copier.copy((BackupJob) job[0], (CopyEntry) job[1]).getProblem();
            assertTrue(problem.startsWith("refused: "), job[0] + ": " + problem);
        }
        assertEquals(List.of(), container.listBlobs().stream().map(BlobItem::getName).toList());
        assertFalse(service.getBlobContainerClient("manifests").exists()
                && service.getBlobContainerClient("manifests").getBlobClient("p/a.txt").exists());
    }

    /**
     * Issue 9, item 10: a good backup of a large file, then a copy while the file is appended to fast. The copy
     * throws (and is retried by the fan-out); the good blob is still there, byte for byte, and still matches its
     * Content-MD5. (Before, the upload replaced it with bytes that did not match the stored MD5.)
     */
    @Test
    void copy_largeFileAppendedToWhileCopied_throwsAndTheGoodBlobStaysUntouched() throws Exception {
        assertTrue(64 * MIB <= BlockStaging.BUDGET, "read whole, sent in one Put Blob");
        appendedToWhileCopied(copier);
    }

    /** The same for a file sent in blocks (larger than the staging budget). */
    @Test
    void copy_largeFileInBlocksAppendedToWhileCopied_throwsAndTheGoodBlobStaysUntouched() throws Exception {
        BlockStaging staging = smallStaging();
        appendedToWhileCopied(copier(staging));
        assertEquals(0, staging.blocksInFlight(), "every block gave its bytes back");
    }

    private void appendedToWhileCopied(BlobCopier copier) throws Exception {
        BackupJob job = new BackupJob(root.toString(), container.getBlobContainerName(), "p", null, null);
        CopyEntry entry = new CopyEntry("growing.bin", 0, 0, EntryType.FILE, null);
        Path file = root.resolve("growing.bin");
        byte[] goodMd5 = writeRandomFile(file, 64 * MIB);
        assertNull(copier.copy(job, entry).getProblem());
        BlobProperties good = container.getBlobClient("p/growing.bin").getProperties();

        AtomicBoolean appending = new AtomicBoolean(true);
        AtomicLong appended = new AtomicLong();
        Thread appender = new Thread(() -> {
            byte[] chunk = randomBytes((int) MIB, 9);
            try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
                // As fast as the disk takes it, up to the file's size again (the disk is shared with other tests).
                while (appending.get() && appended.get() < 64 * MIB) {
                    out.write(chunk);
                    appended.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "appender");
        appender.start();
        IllegalStateException changed;
        try {
            changed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> copier.copy(job, entry));
        } finally {
            appending.set(false);
            appender.join();
        }

        assertEquals("file 'growing.bin' changed while it was being copied; the blob was left as it was",
                changed.getMessage());
        BlobClient blob = container.getBlobClient("p/growing.bin");
        BlobProperties after = blob.getProperties();
        assertEquals(good.getETag(), after.getETag(), "the blob was not written");
        assertEquals(64 * MIB, after.getBlobSize());
        assertArrayEquals(goodMd5, after.getContentMd5());
        MessageDigest downloaded = MessageDigest.getInstance("MD5");
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), downloaded)) {
            blob.downloadStream(out);
        }
        assertArrayEquals(goodMd5, downloaded.digest(), "the blob's bytes still match its Content-MD5");
        System.out.printf("appender: %,d bytes appended during the copy; the good 64 MiB blob kept (ETag %s)%n",
                appended.get(), after.getETag());
    }

    /**
     * The same for a file sent in one request: while another thread rewrites it in place without pause, every copy
     * that finds it changed has sent nothing (the blob's ETag is the one before that copy), and every blob written
     * holds bytes that match its Content-MD5.
     */
    @Test
    void copy_smallFileRewrittenInPlaceWhileCopied_aChangedCopySendsNothing() throws Exception {
        Path file = write("small.bin", randomBytes((int) (3 * MIB), 5));
        assertNull(copy("small.bin", "p/small.bin").getProblem());
        BlobClient blob = container.getBlobClient("p/small.bin");
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.WRITE)) {
                for (byte b = 0; writing.get(); b++) {
                    channel.write(java.nio.ByteBuffer.wrap(new byte[] {b}), 1_000_000);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "in-place writer");
        writer.start();
        int changed = 0;
        int copied = 0;
        try {
            for (int attempt = 0; attempt < 50 && changed < 5; attempt++) {
                String before = blob.getProperties().getETag();
                try {
                    copy("small.bin", "p/small.bin");
                    copied++;
                } catch (IllegalStateException e) {
                    changed++;
                    assertEquals(before, blob.getProperties().getETag(), "a copy that found the file changed sent it");
                }
                byte[] content = blob.downloadContent().toBytes();
                assertArrayEquals(md5(content), blob.getProperties().getContentMd5(), "blob bytes and Content-MD5");
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        System.out.printf("in-place writer: %d copies found the file changed and sent nothing, %d copied%n", changed,
                copied);
        assertTrue(changed > 0, "the writer never changed the file during a copy");
    }

    /** Memory stays bounded whatever the size: the live heap grows by the staging budget at most, not by the file. */
    @Test
    void copy_200MiBFile_heapDoesNotGrowWithTheFile() throws Exception {
        long size = 200 * MIB;
        Path file = root.resolve("large.bin");
        byte[] expectedMd5 = writeRandomFile(file, size);
        AtomicReference<FileOutcome> result = new AtomicReference<>();
        long growth = liveHeapGrowth(() -> result.set(copy("large.bin", "p/large.bin")));

        assertEquals(size, result.get().getBytes());
        // The blocks in flight are bounded by the process's staging budget (BlockStaging.BUDGET, 128 MiB), not by the
        // file; the rest is the SDK's buffers and the sampler's noise.
        assertTrue(growth < BlockStaging.BUDGET + 32 * MIB, "live heap grew by " + growth / MIB + " MiB during a "
                + size / MIB + " MiB upload");
        assertBlobHasMd5("p/large.bin", size, expectedMd5);
    }

    /**
     * A file sent in one Put Blob is read as it is sent: the live heap does not hold it (read whole first, a file of
     * the budget's size grew the heap by 128 MiB).
     */
    @Test
    void copy_fileOfTheBudgetsSizeInOnePutBlob_heapDoesNotHoldTheFile() throws Exception {
        long size = BlockStaging.BUDGET;
        Path file = root.resolve("one-request.bin");
        byte[] expectedMd5 = writeRandomFile(file, size);
        AtomicReference<FileOutcome> result = new AtomicReference<>();
        long growth = liveHeapGrowth(() -> result.set(copy("one-request.bin", "p/one-request.bin")));

        assertEquals(size, result.get().getBytes());
        assertTrue(growth < 32 * MIB, "live heap grew by " + growth / MIB + " MiB during a " + size / MIB
                + " MiB upload in one request");
        assertEquals(0, committedBlocks("p/one-request.bin"), "sent in blocks, not in one Put Blob");
        assertBlobHasMd5("p/one-request.bin", size, expectedMd5);
    }

    /**
     * The most the live heap (used right after a collection, sampled while {@code work} runs) grew above what it was
     * before: buffers the work holds on to show up, garbage it leaves does not.
     */
    private static long liveHeapGrowth(Runnable work) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxLive = new AtomicLong(baseline);
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                maxLive.accumulateAndGet(usedAfterGc(memory), Math::max);
                sleep(150);
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            work.run();
        } finally {
            done.set(true);
            sampler.join();
        }
        return maxLive.get() - baseline;
    }

    /** The blob has {@code size} bytes whose MD5, downloaded, and its Content-MD5 are {@code md5}; then deletes it. */
    private void assertBlobHasMd5(String blobName, long size, byte[] md5) throws Exception {
        BlobClient blob = container.getBlobClient(blobName);
        BlobProperties properties = blob.getProperties();
        assertEquals(size, properties.getBlobSize());
        assertArrayEquals(md5, properties.getContentMd5());
        MessageDigest downloaded = MessageDigest.getInstance("MD5");
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), downloaded)) {
            blob.downloadStream(out);
        }
        assertArrayEquals(md5, downloaded.digest(), "MD5 of the downloaded content");
        blob.delete();
    }

    /** Writes {@code size} pseudo-random bytes in 1 MiB chunks (never sparse) and returns their MD5. */
    static byte[] writeRandomFile(Path file, long size) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("MD5");
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
        return digest.digest();
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
