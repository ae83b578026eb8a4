package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.SpecialFiles;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26's round trip on Azurite through the in-memory engine and the real activities, as root: a tree with each
 * property a restic snapshot keeps (three names of one file, set-uid, set-gid and sticky bits, owners, 1969 and 2100
 * mtimes to the nanosecond, a link's ns mtime, a FIFO, a character device, {@code user.*} extended attributes of a
 * file and a folder, a file under a 4,000-byte path) is backed up, restored with the operator's set-id setting off
 * (the default: the permission bits only) and on, and each restore is compared entry by entry with the source (type,
 * twelve mode bits, owner, mtime in ns, bytes, link target, device number, extended attributes, which names share an
 * inode). Then the stored-data check ({@code readData}): clean, then after one byte of a stored blob is flipped at
 * rest and a blob snapshot another snapshot needs is deleted, it names exactly those two.
 */
@AzuriteTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FidelityRoundTripTest {
    private static final String CONTAINER = "fidelity-round-trip";

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path allowed;

    @Test
    void snapshot_treeWithEveryProperty_restoresEntryByEntry_andReadDataNamesFlippedAndDeleted() throws Exception {
        Path site = Files.createDirectories(allowed.resolve("s"));
        // Three names of one file, in two folders.
        write(site, "data/one.txt", "one content, three names");
        Files.createDirectories(site.resolve("other"));
        Files.createLink(site.resolve("data/two.txt"), site.resolve("data/one.txt"));
        Files.createLink(site.resolve("other/three.txt"), site.resolve("data/one.txt"));
        // Set-id and sticky bits, an owner that is not the process's.
        write(site, "bin/setuid", "#!/bin/sh\n");
        write(site, "bin/setgid", "#!/bin/sh\necho g\n");
        write(site, "shared/inside.txt", "in a set-gid folder");
        Files.createDirectories(site.resolve("sticky"));
        write(site, "owned.txt", "owned by 1234:5678");
        sh("chown", "1234:5678", site.resolve("owned.txt").toString());
        sh("chmod", "4755", site.resolve("bin/setuid").toString());
        sh("chmod", "2755", site.resolve("bin/setgid").toString());
        sh("chmod", "2775", site.resolve("shared").toString());
        sh("chmod", "1777", site.resolve("sticky").toString());
        // Times before 1970 and far ahead, to the nanosecond; a link's too.
        write(site, "1969.txt", "before the epoch");
        touch(site.resolve("1969.txt"), "1969-07-20 20:17:40.123456789 UTC");
        write(site, "2100.txt", "far ahead");
        touch(site.resolve("2100.txt"), "2100-01-01 00:00:00.987654321 UTC");
        Files.createSymbolicLink(site.resolve("link"), Path.of("data/one.txt"));
        touch(site.resolve("link"), "2020-02-03 04:05:06.111222333 UTC");
        // A named pipe and a character device (as root).
        SpecialFiles.fifo(site.resolve("pipe"));
        sh("mknod", site.resolve("null-device").toString(), "c", "1", "3");
        // Extended attributes of a file and a folder (user.* namespace), one of them binary.
        write(site, "tagged.txt", "a file with extended attributes");
        xattr(site.resolve("tagged.txt"), "user.origin", "site".getBytes(StandardCharsets.UTF_8));
        xattr(site.resolve("tagged.txt"), "user.binary", new byte[] {0, 1, 2, (byte) 0xff});
        xattr(site.resolve("shared"), "user.note", "folder note".getBytes(StandardCharsets.UTF_8));
        // A file under a 4,000-byte path: 19 folders of 200 bytes, a name of 181 ('/' between them).
        StringBuilder longPath = new StringBuilder();
        for (int i = 0; i < 19; i++) {
            longPath.append(String.valueOf((char) ('a' + i)).repeat(200)).append('/');
        }
        longPath.append("f".repeat(181));
        assertEquals(4000, longPath.length());
        write(site, longPath.toString(), "under a 4,000-byte path");
        // A file that the second run changes, so the first run's version moves to a blob snapshot.
        write(site, "edited.txt", "first version");
        // Folder mtimes last, once everything inside is made.
        touch(site.resolve("shared"), "2019-01-01 00:00:00.5 UTC");
        touch(site.resolve("data"), "2018-01-01 00:00:00.25 UTC");

        Map<String, String> source = describe(site);
        BackupRequest backup = BackupApp.request(site, CONTAINER);
        HarnessResult run = harness(false).run(BackupSiteContent.NAME, backup);
        JobProgress backedUp = json.readValue(run.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, backedUp.getPhase(), run.customStatus());
        String first = backedUp.getSnapshot();
        assertEquals(source, describe(site), "the backup changed nothing in the source");

        // The long path's content is under its derived name, which the snapshot maps back to the path.
        String derived = PathCodec.derivedName(longPath.toString());
        FileEntry longEntry = entry(backup, first, longPath.toString());
        assertEquals(derived, longEntry.getBlob());
        assertTrue(container().getBlobClient(backup.getBlobPrefix() + "/" + derived).exists(), derived);
        assertEquals("data/one.txt", entry(backup, first, "other/three.txt").getHardLink());
        assertEquals(Long.valueOf(3), entry(backup, first, "data/one.txt").getNlink());

        // Restored with set-id bits not allowed (the default): the same tree but for those three bits.
        Path plain = allowed.resolve("r0");
        restore(harness(false), backup, first, plain);
        Map<String, String> withoutSetId = new TreeMap<>();
        source.forEach((path, what) -> withoutSetId.put(path, what.replaceFirst(" mode [0-7]*([0-7]{3}) ",
                " mode $1 ")));
        assertNotEquals(source, withoutSetId, "the tree has set-id bits");
        assertEquals(withoutSetId, describe(plain), "restored without set-id bits");

        // Restored with them allowed (as root): exactly the source, entry by entry.
        Path exact = allowed.resolve("r1");
        restore(harness(true), backup, first, exact);
        Map<String, String> restored = describe(exact);
        assertEquals(source, restored, "restored with set-id bits allowed");
        System.out.println("fidelity round trip: " + source.size() + " entries equal to the source, entry by entry ("
                + "set-id bits allowed); " + withoutSetId.size() + " with the permission bits only (default)");

        // A verify of the source, by content and with its stored data read, finds nothing.
        VerifyReport clean = verify(new VerifyRequest(site.toString(), CONTAINER, backup.getBlobPrefix(), null, null,
                true, first, null, null, 0, true, null));
        assertEquals(0, clean.differenceCount(), clean.listedDifferences().toString());
        long contentEntries = countContent(backup, first);
        assertEquals(contentEntries, clean.getDataChecked(), "every stored version read once");

        // Second run: one file edited, so the first run's version of it is kept in a blob snapshot.
        write(site, "edited.txt", "second version, longer");
        run = harness(false).run(BackupSiteContent.NAME, backup);
        JobProgress second = json.readValue(run.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, second.getPhase(), run.customStatus());
        String editedName = backup.getBlobPrefix() + "/edited.txt";
        List<BlobItem> kept = snapshotsOf(editedName);
        assertEquals(1, kept.size(), "the first version of edited.txt is kept in a blob snapshot");

        // At rest: one byte of tagged.txt's blob flipped (metadata and properties kept), the blob snapshot deleted.
        flipOneByte(backup.getBlobPrefix() + "/tagged.txt");
        container().getBlobClient(editedName, kept.get(0).getSnapshot()).delete();

        VerifyReport damaged = verify(new VerifyRequest(null, CONTAINER, backup.getBlobPrefix(), null, null, false,
                first, null, null, 0, true, null));
        Map<String, String> named = new TreeMap<>();
        damaged.getDataDamaged().forEach(problem -> named.put(problem.getPath(), problem.getReason()));
        assertEquals(List.of("edited.txt", "tagged.txt"), new ArrayList<>(named.keySet()), named.toString());
        assertTrue(named.get("tagged.txt").startsWith("stored data damaged"), named.toString());
        assertTrue(named.get("edited.txt").startsWith("stored data missing"), named.toString());
        assertEquals(2, damaged.getDataDamagedCount());
        assertEquals(contentEntries - 2, damaged.getDataChecked(), "every other version read and matching");
        System.out.println("read-data check: " + clean.getDataChecked() + " versions read clean ("
                + clean.getDataBytes() + " bytes); after the damage " + damaged.getDataChecked() + " matching, "
                + damaged.getDataDamagedCount() + " named: " + named);
    }

    private VerifyReport verify(VerifyRequest request) throws IOException {
        HarnessResult result = harness(false).run(VerifyBackup.NAME, request);
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        VerifyReport report = json.readValue(result.output(), VerifyReport.class);
        assertEquals(null, report.getError(), result.output());
        return report;
    }

    private void restore(DurableHarness harness, BackupRequest backup, String snapshot, Path target)
            throws IOException {
        HarnessResult restore = harness.run(RestoreSiteContent.NAME, new RestoreRequest(CONTAINER,
                backup.getBlobPrefix(), target.toString(), false, snapshot, null, null));
        JobProgress status = json.readValue(restore.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase(), restore.customStatus());
    }

    private FileEntry entry(BackupRequest backup, String snapshot, String path) {
        try (SnapshotReader reader = store().open(CONTAINER, backup.getBlobPrefix(), snapshot)) {
            while (reader.hasNext()) {
                FileEntry entry = reader.next();
                if (entry.getPath().equals(path)) {
                    return entry;
                }
            }
        }
        throw new AssertionError(path + " is not in snapshot " + snapshot);
    }

    /** The entries of a snapshot that hold stored content of their own. */
    private long countContent(BackupRequest backup, String snapshot) {
        long count = 0;
        try (SnapshotReader reader = store().open(CONTAINER, backup.getBlobPrefix(), snapshot)) {
            while (reader.hasNext()) {
                FileEntry entry = reader.next();
                if (entry.getVersion() != null && entry.getHardLink() == null) {
                    count++;
                }
            }
        }
        return count;
    }

    private SnapshotStore store() {
        return SnapshotStore.from(BackupApp.services(blobs, allowed, 100));
    }

    private BlobContainerClient container() {
        return blobs.getBlobContainerClient(CONTAINER);
    }

    private List<BlobItem> snapshotsOf(String name) {
        List<BlobItem> found = new ArrayList<>();
        container().listBlobs(new ListBlobsOptions().setPrefix(name)
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true)), null).forEach(blob -> {
                    if (blob.getName().equals(name) && blob.getSnapshot() != null) {
                        found.add(blob);
                    }
                });
        return found;
    }

    /** Replaces the blob with its bytes but one flipped, keeping its metadata and recorded Content-MD5. */
    private void flipOneByte(String name) {
        BlobClient blob = container().getBlobClient(name);
        BlobProperties properties = blob.getProperties();
        byte[] bytes = blob.downloadContent().toBytes();
        bytes[bytes.length / 2] ^= 0x01;
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
                .setMetadata(properties.getMetadata()), null, null);
        // The stored Content-MD5 set back to the original's, as bit rot leaves it (Azurite checks it on upload).
        blob.setHttpHeaders(new BlobHttpHeaders().setContentMd5(properties.getContentMd5())
                .setContentType(properties.getContentType()));
        BlobProperties now = blob.getProperties();
        assertEquals(properties.getMetadata(), now.getMetadata());
        assertTrue(java.util.Arrays.equals(properties.getContentMd5(), now.getContentMd5()), "Content-MD5 kept");
    }

    private DurableHarness harness(boolean setIdBits) {
        AppServices services = AppServices.of(Settings.of(Map.of(
                Settings.BACKUP_READ_ROOTS, allowed.toString(),
                Settings.BACKUP_WRITE_ROOTS, allowed.toString(),
                Settings.BACKUP_MANIFEST_CONTAINER, BackupApp.MANIFEST_CONTAINER,
                Settings.BACKUP_BATCH_FILES, "4",
                Settings.BACKUP_RESTORE_SETID_BITS, Boolean.toString(setIdBits))), blobs);
        return BackupApp.register(new DurableHarness(Path.of("host.json"), DurableHarness.Faults.none()), services,
                new RecordingContext("harness"));
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(java.time.Instant.parse("2021-03-04T05:06:07Z")
                .plusNanos((relative + content).hashCode() & 0xfffffff)));
    }

    private static void touch(Path path, String time) throws Exception {
        sh("touch", "-h", "-m", "-d", time, path.toString());
    }

    private static void xattr(Path path, String name, byte[] value) throws IOException {
        Files.getFileAttributeView(path, UserDefinedFileAttributeView.class).write(name.substring("user.".length()),
                ByteBuffer.wrap(value));
    }

    private static void sh(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command));
    }

    /**
     * Every entry below {@code root}: type, the twelve mode bits, owner, mtime in ns, bytes, link target, device
     * number, {@code user.*} extended attributes, and for a file with several names the other names of its inode.
     */
    static Map<String, String> describe(Path root) throws IOException {
        Map<Object, TreeSet<String>> inodes = new TreeMap<>();
        Map<String, Object> inodeOf = new TreeMap<>();
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(root)) {
                    continue;
                }
                String relative = root.relativize(path).toString();
                Map<String, Object> unix = Files.readAttributes(path,
                        "unix:mode,uid,gid,lastModifiedTime,ino,nlink,rdev", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) unix.get("mode");
                long nanos = ((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
                String common = " mode " + Integer.toOctalString(mode & 07777) + " " + unix.get("uid") + ":"
                        + unix.get("gid") + " @" + nanos;
                String what;
                int type = mode & 0170000;
                if (type == 0120000) {
                    what = "link" + common + " -> " + Files.readSymbolicLink(path);
                } else if (type == 0040000) {
                    what = "dir" + common + xattrs(path);
                } else if (type == 0100000) {
                    what = "file" + common + xattrs(path) + " " + HexFormat.of().formatHex(Files.readAllBytes(path));
                    if ((Integer) unix.get("nlink") > 1) {
                        inodes.computeIfAbsent((Long) unix.get("ino"), k -> new TreeSet<>()).add(relative);
                        inodeOf.put(relative, unix.get("ino"));
                    }
                } else if (type == 0010000) {
                    what = "fifo" + common;
                } else {
                    what = "device " + Integer.toOctalString(type) + common + " rdev " + unix.get("rdev");
                }
                entries.put(relative, what);
            }
        }
        inodeOf.forEach((path, inode) -> entries.put(path, entries.get(path) + " names " + inodes.get(inode)));
        return entries;
    }

    private static String xattrs(Path path) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        Map<String, String> all = new TreeMap<>();
        for (String name : view.list()) {
            ByteBuffer value = ByteBuffer.allocate(view.size(name));
            view.read(name, value);
            all.put(name, HexFormat.of().formatHex(value.array()));
        }
        return all.isEmpty() ? "" : " xattrs " + all;
    }
}
