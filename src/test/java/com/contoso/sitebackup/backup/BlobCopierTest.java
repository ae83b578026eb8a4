package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        copier = new BlobCopier(service);
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

    private CopyRequest request(String relative, String blobName) {
        return new CopyRequest(root.toString(), relative, container.getBlobContainerName(), blobName);
    }

    /** Asserts the blob holds exactly {@code file}'s bytes, its MD5, and its size and mtime as metadata. */
    private void assertBlobMatchesFile(String blobName, Path file) throws Exception {
        byte[] expected = Files.readAllBytes(file);
        BlobClient blob = container.getBlobClient(blobName);
        assertArrayEquals(expected, blob.downloadContent().toBytes(), "content of " + blobName);
        BlobProperties properties = blob.getProperties();
        assertEquals(expected.length, properties.getBlobSize());
        assertArrayEquals(md5(expected), properties.getContentMd5(), "Content-MD5 of " + blobName);
        assertEquals(Long.toString(expected.length), properties.getMetadata().get(Digests.SOURCE_SIZE));
        assertEquals(Long.toString(Files.getLastModifiedTime(file).toMillis()),
                properties.getMetadata().get(Digests.SOURCE_MTIME));
    }

    @Test
    void copy_smallFile_blobHasSameBytesMd5AndMetadata() throws Exception {
        Path file = write("dir/small.bin", randomBytes(100_003, 1));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-02T03:04:05.678Z")));

        FileOutcome result = copier.copy(request("dir/small.bin", "site/dir/small.bin"));

        assertEquals("dir/small.bin", result.getPath());
        assertEquals(100_003, result.getBytes());
        assertNull(result.getProblem());
        assertBlobMatchesFile("site/dir/small.bin", file);
        assertEquals("1577934245678", container.getBlobClient("site/dir/small.bin").getProperties().getMetadata()
                .get(Digests.SOURCE_MTIME));
    }

    @Test
    void copy_fileLargerThanOneRequest_uploadedInBlocksWithWholeFileMd5() throws Exception {
        Path file = write("big.bin", randomBytes((int) (BlobCopier.MAX_SINGLE_UPLOAD + 2 * BlobCopier.BLOCK_SIZE + 12_345), 2));

        FileOutcome result = copier.copy(request("big.bin", "big.bin"));

        assertEquals(Files.size(file), result.getBytes());
        assertBlobMatchesFile("big.bin", file);
        assertEquals(BlobCopier.MAX_SINGLE_UPLOAD / BlobCopier.BLOCK_SIZE + 3, container.getBlobClient("big.bin").getBlockBlobClient()
                .listBlocks(com.azure.storage.blob.models.BlockListType.COMMITTED).getCommittedBlocks().size());
    }

    @Test
    void copy_zeroByteFile_emptyBlobWithMetadata() throws Exception {
        Path file = write("empty.txt", new byte[0]);

        FileOutcome result = copier.copy(request("empty.txt", "p/empty.txt"));

        assertEquals(0, result.getBytes());
        assertNull(result.getProblem());
        assertBlobMatchesFile("p/empty.txt", file);
    }

    @Test
    void copy_twiceUnchanged_sameBytes() throws Exception {
        Path file = write("a.txt", randomBytes(5000, 3));
        copier.copy(request("a.txt", "a.txt"));
        FileOutcome second = copier.copy(request("a.txt", "a.txt"));
        assertEquals(5000, second.getBytes());
        assertBlobMatchesFile("a.txt", file);
    }

    @Test
    void copy_againAfterTheFileChanged_blobHasTheNewBytesAndMetadata() throws Exception {
        Path file = write("a.txt", "first version".getBytes());
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        copier.copy(request("a.txt", "a.txt"));

        Files.write(file, "the second, longer version".getBytes());
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
        FileOutcome second = copier.copy(request("a.txt", "a.txt"));

        assertEquals(26, second.getBytes());
        assertBlobMatchesFile("a.txt", file);
        assertEquals("the second, longer version", container.getBlobClient("a.txt").downloadContent().toString());
    }

    @Test
    void copy_unicodeAndSpaceNames_blobNameKeptExactly() throws Exception {
        Path file = write("café/naïve 日本.txt", "unicode".getBytes());
        write("with space/a + b%20c.txt", "spaces".getBytes());

        copier.copy(request("café/naïve 日本.txt", "home/site/café/naïve 日本.txt"));
        copier.copy(request("with space/a + b%20c.txt", "home/site/with space/a + b%20c.txt"));

        List<String> names = container.listBlobs().stream().map(BlobItem::getName).sorted().toList();
        assertEquals(List.of("home/site/café/naïve 日本.txt", "home/site/with space/a + b%20c.txt"), names);
        assertBlobMatchesFile("home/site/café/naïve 日本.txt", file);
        assertEquals("spaces", container.getBlobClient("home/site/with space/a + b%20c.txt").downloadContent().toString());
    }

    @Test
    void copy_vanishedFile_problemNoExceptionNoBlob() {
        FileOutcome result = copier.copy(request("gone.txt", "gone.txt"));

        assertEquals("gone.txt", result.getPath());
        assertEquals(0, result.getBytes());
        assertEquals("vanished since it was listed", result.getProblem());
        assertFalse(container.getBlobClient("gone.txt").exists());
    }

    @Test
    void copy_pathThatIsNowASymlink_problemNotCopied() throws IOException {
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);

        FileOutcome result = copier.copy(request("link.txt", "link.txt"));

        assertEquals("no longer a regular file inside the root", result.getProblem());
        assertFalse(container.getBlobClient("link.txt").exists());
    }

    @Test
    void copy_fileUnderADirectorySymlinkLeadingOutside_problemNotCopied() throws IOException {
        Path outsideDir = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outsideDir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("dir"), outsideDir);

        FileOutcome result = copier.copy(request("dir/secret.txt", "dir/secret.txt"));

        assertEquals("no longer a regular file inside the root", result.getProblem());
        assertFalse(container.getBlobClient("dir/secret.txt").exists());
    }

    @Test
    void copy_pathWithDotDotLeavingTheRoot_problemNotCopied() throws IOException {
        Files.writeString(tmp.resolve("secret.txt"), "secret");

        FileOutcome result = copier.copy(request("../secret.txt", "secret.txt"));

        assertEquals("path leads outside the root", result.getProblem());
        assertFalse(container.getBlobClient("secret.txt").exists());
    }

    @Test
    void copy_absolutePathOutsideTheRoot_problemNotCopied() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");

        FileOutcome result = copier.copy(request(secret.toString(), "secret.txt"));

        assertEquals("path leads outside the root", result.getProblem());
        assertFalse(container.getBlobClient("secret.txt").exists());
    }

    @Test
    void copy_directoryInsteadOfFile_problemNotCopied() throws IOException {
        Files.createDirectories(root.resolve("now-a-dir"));
        assertEquals("no longer a regular file inside the root",
                copier.copy(request("now-a-dir", "now-a-dir")).getProblem());
    }

    @Test
    void md5_file_equalsDigestOfItsBytes() throws Exception {
        byte[] content = randomBytes(200_000, 4);
        assertArrayEquals(md5(content), Digests.md5(write("x.bin", content)));
    }

    @Test
    void copy_200MiBFile_heapDoesNotGrowWithTheFile() throws Exception {
        long size = 200 * MIB;
        Path file = root.resolve("large.bin");
        byte[] expectedMd5 = writeRandomFile(file, size);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);

        // Sample the live heap (used right after a collection) while the upload runs: buffers the upload holds
        // on to show up, garbage it leaves does not.
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
        FileOutcome result;
        try {
            result = copier.copy(request("large.bin", "large.bin"));
        } finally {
            done.set(true);
            sampler.join();
        }

        long growth = maxLive.get() - baseline;
        assertEquals(size, result.getBytes());
        assertTrue(growth < 64 * MIB, "live heap grew by " + growth / MIB + " MiB during a " + size / MIB + " MiB upload");

        BlobClient blob = container.getBlobClient("large.bin");
        BlobProperties properties = blob.getProperties();
        assertEquals(size, properties.getBlobSize());
        assertArrayEquals(expectedMd5, properties.getContentMd5());
        MessageDigest downloaded = MessageDigest.getInstance("MD5");
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), downloaded)) {
            blob.downloadStream(out);
        }
        assertArrayEquals(expectedMd5, downloaded.digest(), "MD5 of the downloaded content");
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
