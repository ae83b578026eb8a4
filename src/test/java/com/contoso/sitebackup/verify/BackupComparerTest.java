package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BackupComparer over a real temp tree and its backup in Azurite. */
@AzuriteTest
class BackupComparerTest {
    private static final FileTime MTIME = FileTime.fromMillis(1_650_000_000_000L);

    @TempDir
    Path tmp;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String containerName = "comparer-" + UUID.randomUUID().toString().substring(0, 8);
    private final BlobContainerClient container = service.getBlobContainerClient(containerName);
    private Path allowed;
    private Path root;
    private BackupComparer comparer;
    private BlobCopier copier;

    @BeforeEach
    void backUpATree() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        SecureRoots readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed));
        comparer = new BackupComparer(service, readRoots, TreeWalker.FILES, new ManifestStore(service, "manifests", 2),
                new ProblemReport(service, "manifests"), new SnapshotStore(service, "manifests"));
        copier = new BlobCopier(service, readRoots, "manifests");
        container.create();
        for (String path : List.of("a.txt", "d/b.txt", "d/c.txt")) {
            write(path, "content of " + path);
            copier.copy(new CopyRequest(root.toString(), path, containerName, "site/" + path));
        }
    }

    @AfterEach
    void tearDown() {
        container.deleteIfExists();
    }

    @Test
    void compare_unchangedTree_everyFileIdentical() {
        VerifyReport report = comparer.compare(request(false)).getReport();

        assertEquals(3, report.getIdentical());
        assertEquals(0, report.differenceCount());
    }

    @Test
    void compare_afterEdits_missingExtraAndDifferentBySizeAndMtime() throws IOException {
        write("new.txt", "added");
        Files.delete(root.resolve("d/c.txt"));
        write("a.txt", "a longer content than before");
        Files.setLastModifiedTime(root.resolve("d/b.txt"), FileTime.fromMillis(1_700_000_000_000L));

        VerifyReport report = comparer.compare(request(false)).getReport();

        assertEquals(0, report.getIdentical());
        assertEquals(List.of("new.txt"), report.getMissing());
        assertEquals(List.of("d/c.txt"), report.getExtra());
        assertEquals(List.of(new FileProblem("a.txt", "size 28 here, 16 in the backup"),
                new FileProblem("d/b.txt", "modified since the backup (mtime differs)")), report.getDifferent());
    }

    @Test
    void compare_withContentCheck_equalSizesLeftToCheckWithTheListedMd5() throws IOException {
        VerifyPlan plan = comparer.compare(request(true));

        assertEquals(0, plan.getReport().getIdentical());
        assertEquals(3, plan.getToCheck().getFilesPlanned());
        assertEquals(2, plan.getToCheck().getSliceCount(), "more files than one slice go to a manifest");
        List<FileEntry> inSlices = new java.util.ArrayList<>(new ManifestStore(service, "manifests", 2)
                .read(plan.getToCheck().getManifest(), 0));
        inSlices.addAll(new ManifestStore(service, "manifests", 2).read(plan.getToCheck().getManifest(), 1));
        assertEquals(List.of("a.txt", "d/b.txt", "d/c.txt"), inSlices.stream().map(FileEntry::getPath).toList());
        assertEquals(base64Md5("a.txt"), inSlices.get(0).getContentMd5());
    }

    @Test
    void compare_blobWithoutContentMd5_reportedDifferentNotChecked() {
        container.getBlobClient("site/a.txt").setHttpHeaders(new BlobHttpHeaders());

        VerifyPlan plan = comparer.compare(request(true));

        assertEquals(List.of(new FileProblem("a.txt", "the backup has no Content-MD5 to compare with")),
                plan.getReport().getDifferent());
        assertEquals(2, plan.getToCheck().getFilesPlanned());
    }

    @Test
    void compare_rootOutsideAllowedRoots_rejected(@TempDir Path elsewhere) {
        VerifyPlan plan = comparer.compare(new VerifyRequest(elsewhere.toString(), containerName, "site", null, null, false, null));

        assertEquals("rootDirectory '" + elsewhere + "' is not a directory this app may read (it must be a folder under"
                + " one of the configured read roots, reached without symbolic links)", plan.getReport().getError());
    }

    /** Names the service would change are matched by their encoded blob names; a blob no backup writes is extra. */
    @Test
    void compare_namesWithBackslashTrailingDotNewlineAndPercent_matchedByEncodedName() throws IOException {
        for (String name : List.of("back\\slash.txt", "dot.", "new\nline", "100%.txt")) {
            write(name, "named " + name);
            String encoded = PathCodec.encode(name);
            copier.copy(new CopyRequest(root.toString(), encoded, containerName, "site/" + encoded));
        }
        container.getBlobClient("site/raw%.txt").upload(BinaryData.fromString("x"));

        VerifyReport report = comparer.compare(request(false)).getReport();

        assertEquals(7, report.getIdentical());
        assertEquals(List.of(), report.getMissing());
        assertEquals(List.of("raw%.txt"), report.getExtra());
    }

    @Test
    void compare_noContainerYet_everyFileMissing() {
        VerifyReport report = comparer.compare(new VerifyRequest(root.toString(), "no-such-container", "site", null,
                null, false, null)).getReport();

        assertEquals(3, report.getMissingCount());
        assertNull(report.getError());
    }

    @Test
    void compare_includePattern_appliesToFilesAndBlobs() throws IOException {
        container.getBlobClient("site/gone.md").upload(BinaryData.fromString("x"));

        VerifyReport report = comparer.compare(new VerifyRequest(root.toString(), containerName, "site",
                List.of("d/**"), null, false, null)).getReport();

        assertEquals(2, report.getIdentical());
        assertEquals(0, report.differenceCount(), "a.txt and gone.md are outside the include pattern");
    }

    @Test
    void checkContent_sameBytes_identicalWithItsSize() {
        FileOutcome result = comparer.checkContent(new ContentCheck(root.toString(), "a.txt", base64Md5("a.txt")));

        assertNull(result.getProblem());
        assertEquals(16, result.getBytes());
    }

    @Test
    void checkContent_sameSizeOtherBytes_differs() throws IOException {
        String md5 = base64Md5("a.txt");
        write("a.txt", "CONTENT OF a.txt");

        FileOutcome result = comparer.checkContent(new ContentCheck(root.toString(), "a.txt", md5));

        assertEquals("content differs (MD5)", result.getProblem());
    }

    @Test
    void checkContent_fileGoneSinceTheListing_reportedNotThrown() throws IOException {
        String md5 = base64Md5("a.txt");
        Files.delete(root.resolve("a.txt"));

        FileOutcome result = comparer.checkContent(new ContentCheck(root.toString(), "a.txt", md5));

        assertTrue(result.getProblem().startsWith("not readable here"), result.getProblem());
    }

    @Test
    void checkContent_blobDeletedSinceTheListing_needsNoRequestToStorage() {
        String md5 = base64Md5("a.txt");
        container.getBlobClient("site/a.txt").delete();

        FileOutcome result = comparer.checkContent(new ContentCheck(root.toString(), "a.txt", md5));

        assertNull(result.getProblem(), "the check compares with the listing's Content-MD5 and reads only the file");
    }

    @Test
    void checkContent_pathWithDotDot_refused() {
        FileOutcome result = comparer.checkContent(new ContentCheck(root.toString(), "../a.txt", base64Md5("a.txt")));

        assertTrue(result.getProblem().startsWith("refused: '../a.txt' is not an encoded file name"), result.getProblem());
    }

    @Test
    void checkContent_rootOutsideTheReadRoots_refused(@TempDir Path elsewhere) throws IOException {
        Files.writeString(elsewhere.resolve("a.txt"), "content of a.txt");

        FileOutcome result = comparer.checkContent(new ContentCheck(elsewhere.toString(), "a.txt", base64Md5("a.txt")));

        assertTrue(result.getProblem().startsWith("refused: rootDirectory '" + elsewhere + "' is not a directory this app"
                + " may read"), result.getProblem());
    }

    private String base64Md5(String path) {
        try {
            return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5")
                    .digest(Files.readAllBytes(root.resolve(path))));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request for a snapshot is compared with that snapshot's manifest, not the listing: asOf between two snapshots
     * takes the earlier (which lacks d/c.txt), and a snapshot that does not exist is a rejection naming the field.
     */
    @Test
    void compare_snapshotChosenByAsOf_comparedWithTheEarlierManifestNotTheListing() {
        HandMadeSnapshot snapshot = new HandMadeSnapshot(service, containerName, "site", "manifests");
        snapshot.file("a.txt", "content of a.txt", 0644, MTIME.toMillis() * 1_000_000L);
        snapshot.commit("20261126T100000.000Z");
        snapshot.file("d/c.txt", "content of d/c.txt", 0644, MTIME.toMillis() * 1_000_000L);
        snapshot.commit("20261126T110000.000Z");

        VerifyReport earlier = comparer.compare(snapshotRequest(null, "2026-11-26T10:30:00Z")).getReport();
        VerifyReport unknown = comparer.compare(snapshotRequest("20261126T103000.000Z", null)).getReport();

        assertEquals(List.of("d/", "d/b.txt", "d/c.txt"), earlier.getMissing(), "not in the earlier snapshot");
        assertEquals(List.of(), earlier.getExtra());
        assertEquals("snapshot '20261126T103000.000Z' is not a snapshot of container '" + containerName
                + "', prefix 'site'", unknown.getError());
    }

    private VerifyRequest snapshotRequest(String snapshot, String asOf) {
        return new VerifyRequest(root.toString(), containerName, "site", null, null, false, snapshot, asOf, null);
    }

    private VerifyRequest request(boolean compareContent) {
        return new VerifyRequest(root.toString(), containerName, "site", null, null, compareContent, null);
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, MTIME);
    }
}
