package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.FileWalk;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.snapshot.SnapshotWriter;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real tree compared with a snapshot manifest made from its own walk (so an untouched tree is identical), then
 * changed in every way a verify of a snapshot must tell.
 */
@AzuriteTest
@Timeout(120)
class SnapshotComparerTest {
    private static final String ID = "20261126T100000.000Z";

    private final BlobServiceClient service = Azurite.shared().client();
    private final String manifests = "manifests-" + UUID.randomUUID().toString().substring(0, 8);
    private final SnapshotStore store = new SnapshotStore(service, manifests);
    private final SnapshotComparer comparer = new SnapshotComparer(TreeWalker.FILES,
            new ManifestStore(service, manifests, 2, 1L << 20), new ProblemReport(service, manifests));

    @TempDir
    Path allowed;
    private Path root;
    private SecureRoots readRoots;

    @BeforeEach
    void makeATree() throws IOException {
        root = Files.createDirectories(allowed.resolve("site"));
        readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed));
        for (String file : List.of("size.txt", "mtime.txt", "mode.txt", "same.txt", "docs/gone.txt", "docs/kept.txt",
                "unstored.txt")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), "content of " + file);
            Files.setLastModifiedTime(root.resolve(file), FileTime.fromMillis(1_650_000_000_000L));
        }
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("locked"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("same.txt"));
        Files.createSymbolicLink(root.resolve("kind"), Path.of("/etc/hostname"));
    }

    /** The tree's walk as a snapshot manifest: every entry as the walk reports it, files with their MD5. */
    private void snapshotTheTree(UnaryOperator<FileEntry> change) throws IOException {
        List<FileEntry> entries = new ArrayList<>();
        try (SecureDirectory opened = readRoots.open("rootDirectory", root.toString())) {
            TreeWalker.FILES.walk(opened, PathFilter.of(List.of(), List.of()), new FileWalk.Visitor() {
                @Override
                public void file(FileEntry file) {
                    entries.add(file);
                }

                @Override
                public void directory(FileEntry directory) {
                    entries.add(directory);
                }

                @Override
                public void link(FileEntry link) {
                    entries.add(link);
                }

                @Override
                public void problem(FileProblem problem) {
                    throw new AssertionError(problem.toString());
                }
            });
        }
        try (SnapshotWriter writer = store.create(new SnapshotInfo(ID, "backups", "site", root.toString(), "test", null,
                null, 0, 0, 0, 0, 0))) {
            for (FileEntry entry : entries) {
                FileEntry stored = entry.getEntryType() == EntryType.FILE
                        ? entry.withVersion("2026-11-26T10:00:00.0000000Z", md5(root.resolve(entry.getPath()))) : entry;
                writer.add(change.apply(stored));
            }
            writer.commit();
        }
    }

    private static String md5(Path file) throws IOException {
        return Base64.getEncoder().encodeToString(Digests.newMd5().digest(Files.readAllBytes(file)));
    }

    private VerifyPlan compare(boolean compareContent, List<String> exclude) {
        VerifyRequest request = new VerifyRequest(root.toString(), "backups", "site", List.of(), exclude, compareContent,
                ID, null, null);
        try (SecureDirectory opened = readRoots.open("rootDirectory", root.toString());
             SnapshotReader entries = store.open("backups", "site", ID)) {
            return comparer.compare(request, PathFilter.of(List.of(), exclude), opened, entries);
        }
    }

    @Test
    void compare_untouchedTree_everyFileFolderAndLinkIdentical() throws IOException {
        snapshotTheTree(UnaryOperator.identity());

        VerifyReport report = compare(false, List.of()).getReport();

        assertEquals(0, report.differenceCount(), report.listedDifferences().toString());
        assertEquals(7 + 3 + 2, report.getIdentical(), "7 files, 3 folders (docs, empty, locked), 2 links");
    }

    /** Every kind of difference, each named with what differs. */
    @Test
    void compare_changedTree_eachKindOfDifferenceNamed() throws IOException {
        snapshotTheTree(entry -> entry.getPath().equals("unstored.txt")
                ? entry.withMissing("changed while it was read") : entry);
        Files.writeString(root.resolve("added.txt"), "new");
        Files.createDirectories(root.resolve("new-folder"));
        Files.delete(root.resolve("docs/gone.txt"));
        Files.delete(root.resolve("empty"));
        Files.writeString(root.resolve("size.txt"), "longer content than before");
        Files.setLastModifiedTime(root.resolve("mtime.txt"), FileTime.fromMillis(1_650_000_000_001L));
        Files.setPosixFilePermissions(root.resolve("mode.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
        Files.delete(root.resolve("link"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("mode.txt"));
        Files.delete(root.resolve("kind"));
        Files.writeString(root.resolve("kind"), "now a file");

        VerifyReport report = compare(false, List.of()).getReport();

        assertEquals(List.of("added.txt", "new-folder/"), report.getMissing());
        assertEquals(List.of("docs/gone.txt", "empty/"), report.getExtra());
        Map<String, String> different = new TreeMap<>();
        report.getDifferent().forEach(d -> different.put(d.getPath(), d.getReason()));
        assertEquals(Map.of(
                "kind", "a file here, a symbolic link in the snapshot",
                "link", "link target 'mode.txt' here, 'same.txt' in the snapshot",
                "locked", "mode rwx------ here, rwxr-xr-x in the snapshot",
                "mode.txt", "mode rw------- here, rw-r--r-- in the snapshot",
                "mtime.txt", "modified since the snapshot (mtime differs)",
                "size.txt", "size 26 here, 19 in the snapshot; modified since the snapshot (mtime differs)",
                "unstored.txt", "the snapshot holds no content for it: changed while it was read"), different);
        assertEquals(3, report.getIdentical(), "same.txt, docs/kept.txt and the folder docs");
    }

    @Test
    void compare_excludedPaths_neitherMissingNorExtra() throws IOException {
        snapshotTheTree(UnaryOperator.identity());
        Files.delete(root.resolve("docs/gone.txt"));
        Files.writeString(root.resolve("docs/added.txt"), "new");

        VerifyReport report = compare(false, List.of("docs/**")).getReport();

        assertEquals(0, report.differenceCount(), report.listedDifferences().toString());
    }

    /** With a content check, equal sizes go to the check with the recorded MD5, and an mtime alone is no difference. */
    @Test
    void compare_byContent_filesLeftForTheCheckWithTheRecordedMd5WhichFindsTheChangedOne() throws IOException {
        snapshotTheTree(entry -> entry.getPath().equals("docs/kept.txt") ? entry.withVersion("v", null) : entry);
        Files.writeString(root.resolve("same.txt"), "CONTENT OF same.txt");
        Files.setLastModifiedTime(root.resolve("mtime.txt"), FileTime.fromMillis(1_700_000_000_000L));

        VerifyPlan plan = compare(true, List.of());

        assertEquals(List.of(new FileProblem("docs/kept.txt", SnapshotComparer.NO_MD5)), plan.getReport().getDifferent());
        List<FileEntry> toCheck = new ArrayList<>();
        ManifestStore slices = new ManifestStore(service, manifests, 2, 1L << 20);
        assertEquals(3, plan.getToCheck().batchCount(), "6 files in batches of 2");
        for (int i = 0; i < plan.getToCheck().batchCount(); i++) {
            toCheck.addAll(slices.readBatch(plan.getToCheck().manifest(), i));
        }
        assertEquals(List.of("docs/gone.txt", "mode.txt", "mtime.txt", "same.txt", "size.txt", "unstored.txt"),
                toCheck.stream().map(FileEntry::getPath).toList());
        BackupComparer checker = new BackupComparer(readRoots, TreeWalker.FILES, slices,
                new ProblemReport(service, manifests), store);
        Map<String, String> outcomes = new TreeMap<>();
        for (FileEntry file : toCheck) {
            FileOutcome outcome = checker.checkContent(new VerifyJob(root.toString(), null), file);
            outcomes.put(file.getPath(), outcome.isDone() ? "same" : outcome.getProblem());
        }
        assertEquals("content differs (MD5)", outcomes.get("same.txt"));
        assertEquals("same", outcomes.get("mtime.txt"));
    }
}
