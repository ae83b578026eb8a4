package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BackupComparer over a real temp tree and the snapshot a real backup of it (through the harness) left on Azurite. */
@AzuriteTest
@Timeout(120)
class BackupComparerTest {
    private static final FileTime MTIME = FileTime.fromMillis(1_650_000_000_000L);

    @TempDir
    Path tmp;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "comparer-" + UUID.randomUUID().toString().substring(0, 8);
    private Path allowed;
    private Path root;
    private BackupComparer comparer;
    private String prefix;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        comparer = new BackupComparer(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)), TreeWalker.FILES,
                new ManifestStore(service, BackupApp.MANIFEST_CONTAINER, 2, 1L << 20),
                new ProblemReport(service, BackupApp.MANIFEST_CONTAINER),
                new SnapshotStore(service, BackupApp.MANIFEST_CONTAINER));
        for (String path : List.of("a.txt", "d/b.txt", "d/c.txt")) {
            write(path, "content of " + path);
        }
    }

    /** Backs the tree up as the app does; the snapshot's id. */
    private String backUp() {
        BackupRequest backup = BackupApp.request(root, container);
        prefix = backup.getBlobPrefix();
        HarnessResult result = BackupApp.harness(service, allowed, 256, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, backup);
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        assertTrue(result.customStatus().contains("\"phase\":\"COMPLETED\""), result.customStatus());
        return com.contoso.sitebackup.durable.Wire.read(result.customStatus(),
                com.contoso.sitebackup.durable.JobProgress.class, "status").getSnapshot();
    }

    private VerifyRequest request(boolean compareContent) {
        return new VerifyRequest(root.toString(), container, prefix, null, null, compareContent, null);
    }

    @Test
    void compare_unchangedTree_everyFileAndFolderIdentical() {
        backUp();

        VerifyReport report = comparer.compare(request(false)).getReport();

        assertEquals(4, report.getIdentical(), "3 files and the folder d");
        assertEquals(0, report.differenceCount(), report.listedDifferences().toString());
    }

    /** Issue 21, item 4: links are in the snapshot, so a verify after a clean backup names none as extra. */
    @Test
    void compare_treeWithLinksAfterABackup_noLinkIsExtraNoDifference() throws IOException {
        Files.createSymbolicLink(root.resolve("to-a"), Path.of("a.txt"));
        Files.createSymbolicLink(root.resolve("d/dangling"), Path.of("/no/such/target"));
        Files.createSymbolicLink(root.resolve("d/up"), Path.of("../d"));
        backUp();

        VerifyReport report = comparer.compare(request(false)).getReport();

        assertEquals(0, report.differenceCount(), report.listedDifferences().toString());
        assertEquals(7, report.getIdentical(), "3 files, a folder, 3 links");
    }

    @Test
    void compare_afterEdits_missingExtraAndDifferentBySizeAndMtime() throws IOException {
        backUp();
        write("new.txt", "added");
        Files.delete(root.resolve("d/c.txt"));
        write("a.txt", "a longer content than before");
        Files.setLastModifiedTime(root.resolve("d/b.txt"), FileTime.fromMillis(1_700_000_000_000L));

        VerifyReport report = comparer.compare(request(false)).getReport();

        assertEquals(1, report.getIdentical(), "the folder d");
        assertEquals(List.of("new.txt"), report.getMissing());
        assertEquals(List.of("d/c.txt"), report.getExtra());
        assertEquals(List.of(new FileProblem("a.txt", "size 28 here, 16 in the snapshot"),
                new FileProblem("d/b.txt", "modified since the snapshot (mtime differs)")), report.getDifferent());
    }

    @Test
    void compare_withContentCheck_filesLeftToCheckInBatchesWithTheRecordedMd5() throws IOException {
        backUp();

        VerifyPlan plan = comparer.compare(request(true));

        assertEquals(1, plan.getReport().getIdentical(), "the folder");
        assertEquals(3, plan.getToCheck().filesPlanned());
        assertEquals(2, plan.getToCheck().batchCount(), "batches of 2 files");
        ManifestStore manifests = new ManifestStore(service, BackupApp.MANIFEST_CONTAINER, 2, 1L << 20);
        List<FileEntry> batches = new ArrayList<>(manifests.readBatch(plan.getToCheck().manifest(), 0));
        batches.addAll(manifests.readBatch(plan.getToCheck().manifest(), 1));
        assertEquals(List.of("a.txt", "d/b.txt", "d/c.txt"), batches.stream().map(FileEntry::getPath).toList());
        assertEquals(base64Md5("a.txt"), batches.get(0).getContentMd5());
        assertEquals(new VerifyJob(root.toString(), null), manifests.readCard(plan.getToCheck().manifest(),
                VerifyJob.class));
    }

    @Test
    void compare_rootOutsideAllowedRoots_rejected(@TempDir Path elsewhere) {
        backUp();

        VerifyPlan plan = comparer.compare(new VerifyRequest(elsewhere.toString(), container, prefix, null, null, false,
                null));

        assertEquals("rootDirectory '" + elsewhere + "' is not a directory this app may read (it must be a folder under"
                + " one of the configured read roots, reached without symbolic links)", plan.getReport().getError());
    }

    /** Names the service would change are in the snapshot as their encodings, and match the files they stand for. */
    @Test
    void compare_namesWithBackslashTrailingDotNewlineAndPercent_matched() throws IOException {
        for (String name : List.of("back\\slash.txt", "dot.", "new\nline", "100%.txt")) {
            write(name, "named " + name);
        }
        backUp();

        VerifyReport report = comparer.compare(request(true)).getReport();

        assertEquals(0, report.differenceCount(), report.listedDifferences().toString());
    }

    /** Issue 21: verify always reads a snapshot; a backup that has none is refused, naming it, never "all missing". */
    @Test
    void compare_noSnapshotYet_rejectedNamingThePrefix() {
        VerifyReport report = comparer.compare(new VerifyRequest(root.toString(), "no-such-container", "site", null,
                null, false, null)).getReport();

        assertEquals("snapshot 'latest': container 'no-such-container', prefix 'site' has no snapshot yet",
                report.getError());
    }

    @Test
    void compare_includePattern_appliesToFilesAndSnapshotEntries() throws IOException {
        backUp();
        Files.delete(root.resolve("a.txt"));
        write("new.md", "x");

        VerifyReport report = comparer.compare(new VerifyRequest(root.toString(), container, prefix,
                List.of("d/**"), null, false, null)).getReport();

        assertEquals(0, report.differenceCount(), "a.txt and new.md are outside the include pattern: "
                + report.listedDifferences());
        assertEquals(2, report.getIdentical());
    }

    /**
     * A request for a snapshot is compared with that snapshot's manifest: asOf between two backups takes the earlier
     * (which lacks d/e.txt), and a snapshot that does not exist is a rejection naming the field.
     */
    @Test
    void compare_snapshotChosenByAsOf_comparedWithTheEarlierManifest() throws Exception {
        String earlier = backUp();
        Thread.sleep(50);
        write("d/e.txt", "later");
        String later = backUp();
        String between = com.contoso.sitebackup.snapshot.SnapshotIds.instantOf(later).minusMillis(1).toString();

        VerifyReport atEarlier = comparer.compare(new VerifyRequest(root.toString(), container, prefix, null, null,
                false, null, between, null)).getReport();
        VerifyReport byDefault = comparer.compare(request(false)).getReport();
        VerifyReport unknown = comparer.compare(new VerifyRequest(root.toString(), container, prefix, null, null, false,
                "20201126T103000.000Z", null, null)).getReport();

        assertTrue(earlier.compareTo(later) < 0, earlier + " " + later);
        assertEquals(List.of("d/e.txt"), atEarlier.getMissing(), "not in the earlier snapshot");
        assertEquals(0, byDefault.differenceCount(), "the latest has it");
        assertEquals("snapshot '20201126T103000.000Z' is not a snapshot of container '" + container
                + "', prefix '" + prefix + "'", unknown.getError());
    }

    private FileEntry recorded(String path) {
        return new FileEntry(path, 16, 0).withContentMd5(base64Md5(path));
    }

    @Test
    void checkContent_sameBytes_identicalWithItsSize() {
        FileOutcome result = comparer.checkContent(new VerifyJob(root.toString(), null), recorded("a.txt"));

        assertNull(result.getProblem());
        assertEquals(16, result.getBytes());
    }

    @Test
    void checkContent_sameSizeOtherBytes_differs() throws IOException {
        FileEntry entry = recorded("a.txt");
        write("a.txt", "CONTENT OF a.txt");

        FileOutcome result = comparer.checkContent(new VerifyJob(root.toString(), null), entry);

        assertEquals("content differs (MD5)", result.getProblem());
    }

    @Test
    void checkContent_fileGoneSinceTheListing_reportedNotThrown() throws IOException {
        FileEntry entry = recorded("a.txt");
        Files.delete(root.resolve("a.txt"));

        FileOutcome result = comparer.checkContent(new VerifyJob(root.toString(), null), entry);

        assertEquals("not readable here: vanished since it was listed", result.getProblem());
    }

    /**
     * A file the file system fails to read for a moment is no difference: the check throws so the fan-out tries it
     * again (a difference would say the backup does not match). A file that is now a link is one.
     */
    @Test
    void checkContent_fileSystemFailingForAMoment_thrownToBeTriedAgainNotADifference() throws IOException {
        FileEntry entry = recorded("a.txt");
        SecureRoots roots = org.mockito.Mockito.spy(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)));
        org.mockito.Mockito.doAnswer(call -> {
            SecureDirectory opened = org.mockito.Mockito.spy((SecureDirectory) call.callRealMethod());
            org.mockito.Mockito.doThrow(new java.nio.file.FileSystemException("a.txt", null, "Too many open files"))
                    .when(opened).openFileBelow(org.mockito.ArgumentMatchers.any());
            return opened;
        }).when(roots).open(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.anyString());
        BackupComparer flaky = new BackupComparer(roots, TreeWalker.FILES,
                new ManifestStore(service, BackupApp.MANIFEST_CONTAINER, 2, 1L << 20),
                new ProblemReport(service, BackupApp.MANIFEST_CONTAINER),
                new SnapshotStore(service, BackupApp.MANIFEST_CONTAINER));

        java.io.UncheckedIOException thrown = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> flaky.checkContent(new VerifyJob(root.toString(), null), entry));
        Files.delete(root.resolve("a.txt"));
        Files.createSymbolicLink(root.resolve("a.txt"), root.resolve("d/b.txt"));
        FileOutcome link = comparer.checkContent(new VerifyJob(root.toString(), null), entry);

        assertEquals("Too many open files", ((java.nio.file.FileSystemException) thrown.getCause()).getReason());
        assertEquals("not readable here: symbolic link, not followed", link.getProblem());
    }

    @Test
    void checkContent_pathWithDotDotOrNoMd5_refused() {
        FileOutcome dotDot = comparer.checkContent(new VerifyJob(root.toString(), null),
                new FileEntry("../a.txt", 16, 0).withContentMd5(base64Md5("a.txt")));
        FileOutcome noMd5 = comparer.checkContent(new VerifyJob(root.toString(), null), new FileEntry("a.txt", 16, 0));

        assertTrue(dotDot.getProblem().startsWith("refused: '../a.txt' is not an encoded file name"), dotDot.getProblem());
        assertEquals("refused: the entry carries no MD5 to check against", noMd5.getProblem());
    }

    @Test
    void checkContent_rootOutsideTheReadRoots_refused(@TempDir Path elsewhere) throws IOException {
        Files.writeString(elsewhere.resolve("a.txt"), "content of a.txt");

        FileOutcome result = comparer.checkContent(new VerifyJob(elsewhere.toString(), null), recorded("a.txt"));

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

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, MTIME);
    }
}
