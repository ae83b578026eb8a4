package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.retention.ApplyRetention;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.retention.RetentionResult;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's round trip on Azurite through the in-memory engine and the real activities: three backup runs with
 * edits, deletes, adds, a permission change, a changed link and an empty folder between them (and names whose
 * place in a listing cannot be predicted); each run's snapshot
 * restored into an empty folder equals a copy of the tree taken right after that run ({@code cp -a}): every entry's
 * type, bytes, permission bits, mtime (to the nanosecond; a link's to the microsecond, what Java's {@code lutimes}
 * keeps), link target and empty folders; a restore {@code asOf} a time between two runs gives the earlier one; a
 * verify of each snapshot against its copy finds nothing; retention keeping the last run refuses above its share
 * limit, and forced deletes the other manifests and exactly the blob snapshots and blobs the kept one does not
 * reference, after which the kept snapshot still restores byte for byte.
 */
@AzuriteTest
class SnapshotRoundTripTest {
    private static final String CONTAINER = "snapshot-round-trip";

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path allowed;

    @Test
    void snapshots_threeRunsWithEditsDeletesAddsModesAndLinks_eachRestoresToTheTreeOfItsRun() throws Exception {
        Path site = Files.createDirectories(allowed.resolve("site"));
        BackupRequest backup = BackupApp.request(site, CONTAINER);
        List<String> ids = new ArrayList<>();
        List<Path> copies = new ArrayList<>();

        // Run 1: files, a nested folder, an empty folder, a link to a file, a link leading outside.
        write(site, "a.txt", "first a");
        write(site, "dir/b.bin", "bee one");
        write(site, "dir/sub/c.txt", "sea");
        write(site, "gone-later.txt", "deleted before run 2");
        // Names whose place in a listing is not predictable (a character above U+FFFF, a full-width form).
        write(site, "dir/\uD83D\uDE00.txt", "emoji");
        write(site, "dir/\uFF08x\uFF09.txt", "full width");
        Files.createDirectories(site.resolve("empty"));
        Files.createSymbolicLink(site.resolve("link"), Path.of("a.txt"));
        Files.createSymbolicLink(site.resolve("outside"), Path.of("/etc/hostname"));
        Files.setPosixFilePermissions(site.resolve("dir/sub/c.txt"), PosixFilePermissions.fromString("rwx------"));
        runAndCopy(site, backup, ids, copies);

        // Run 2: an edit, a delete, an add, a permission change only, a link changed to another target.
        write(site, "a.txt", "second a, longer");
        Files.delete(site.resolve("gone-later.txt"));
        write(site, "added.txt", "added in run 2");
        Files.setPosixFilePermissions(site.resolve("dir/b.bin"), PosixFilePermissions.fromString("rw-r-----"));
        Files.delete(site.resolve("link"));
        Files.createSymbolicLink(site.resolve("link"), Path.of("dir/b.bin"));
        runAndCopy(site, backup, ids, copies);

        // Run 3: the empty folder gets a file, another folder becomes empty, an edit with the same size.
        write(site, "empty/now-full.txt", "no longer empty");
        Files.delete(site.resolve("dir/sub/c.txt"));
        write(site, "added.txt", "ADDED IN RUN 2");
        runAndCopy(site, backup, ids, copies);

        SnapshotStore store = SnapshotStore.from(BackupApp.services(blobs, allowed, 100));
        assertEquals(ids, store.list(CONTAINER, backup.getBlobPrefix()).stream().map(SnapshotInfo::getId).toList());
        for (int run = 0; run < 3; run++) {
            Path target = allowed.resolve("restored-" + run);
            HarnessResult restore = harness().run(RestoreSiteContent.NAME, new RestoreRequest(CONTAINER,
                    backup.getBlobPrefix(), target.toString(), false, ids.get(run), null, null));
            JobProgress status = json.readValue(restore.customStatus(), JobProgress.class);
            assertEquals(JobProgress.Phase.COMPLETED, status.getPhase(), restore.customStatus());
            assertEquals(describe(copies.get(run)), describe(target), "snapshot of run " + (run + 1));
            VerifyReport verified = verify(copies.get(run), backup, ids.get(run));
            assertEquals(0, verified.differenceCount(), "verify of run " + (run + 1) + ": " + restore.customStatus());
        }
        assertNotEquals(describe(copies.get(0)), describe(copies.get(1)), "the runs differ");

        Instant between = SnapshotIds.instantOf(ids.get(1)).minusMillis(1);
        Path asOf = allowed.resolve("restored-as-of");
        HarnessResult restore = harness().run(RestoreSiteContent.NAME, new RestoreRequest(CONTAINER,
                backup.getBlobPrefix(), asOf.toString(), false, null, between.toString(), null));
        assertEquals(JobProgress.Phase.COMPLETED, json.readValue(restore.customStatus(), JobProgress.class).getPhase());
        assertEquals(describe(copies.get(0)), describe(asOf), "asOf just before run 2 gives run 1");
        System.out.println("snapshots round trip: " + ids + " each restored to its run's tree ("
                + describe(copies.get(2)).size() + " entries in the last)");

        // Retention: keep the last run only. Above the share limit it refuses and deletes nothing; forced, it deletes
        // the two expired manifests and exactly the content no longer referenced.
        Map<String, List<String>> before = storedVersions(backup);
        RetentionResult refused = retention(backup, 0.01, false);
        assertEquals(RetentionResult.Phase.REFUSED, refused.getPhase(), refused.getMessage());
        assertEquals(before, storedVersions(backup), "a refused retention deletes nothing");
        assertEquals(ids, store.list(CONTAINER, backup.getBlobPrefix()).stream().map(SnapshotInfo::getId).toList());

        RetentionResult pruned = retention(backup, 0.01, true);
        assertEquals(RetentionResult.Phase.COMPLETED, pruned.getPhase(), pruned.getMessage());
        assertEquals(List.of(ids.get(2)), pruned.getKept());
        assertEquals(List.of(ids.get(2)), store.list(CONTAINER, backup.getBlobPrefix()).stream()
                .map(SnapshotInfo::getId).toList());
        Map<String, List<String>> referenced = new TreeMap<>();
        try (SnapshotReader last = store.open(CONTAINER, backup.getBlobPrefix(), ids.get(2))) {
            last.forEachRemaining(entry -> {
                if (entry.getVersion() != null) {
                    referenced.put(backup.getBlobPrefix() + "/" + entry.getPath(), List.of(entry.getVersion()));
                }
            });
        }
        assertEquals(referenced, storedVersions(backup), "exactly the blob snapshots the kept snapshot references");
        Path afterRetention = allowed.resolve("restored-after-retention");
        HarnessResult kept = harness().run(RestoreSiteContent.NAME, new RestoreRequest(CONTAINER,
                backup.getBlobPrefix(), afterRetention.toString(), false, ids.get(2), null, null));
        assertEquals(JobProgress.Phase.COMPLETED, json.readValue(kept.customStatus(), JobProgress.class).getPhase());
        assertEquals(describe(copies.get(2)), describe(afterRetention), "every byte of the kept snapshot is still there");
        System.out.println("retention: kept " + pruned.getKept() + ", deleted " + pruned.getSnapshotsDeleted()
                + " blob snapshots and " + pruned.getBlobsDeleted() + " blobs (" + before.size() + " names before, "
                + referenced.size() + " after)");
    }

    private RetentionResult retention(BackupRequest backup, double maxDeleteShare, boolean force) throws IOException {
        HarnessResult result = harness().run(ApplyRetention.NAME, new RetentionRequest(CONTAINER,
                backup.getBlobPrefix(), 1, 0, 0, maxDeleteShare, force, false, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return json.readValue(result.output(), RetentionResult.class);
    }

    /** Each blob name under the backup's prefix with its blob snapshots' ids (the base blob itself left out). */
    private Map<String, List<String>> storedVersions(BackupRequest backup) {
        Map<String, List<String>> versions = new TreeMap<>();
        blobs.getBlobContainerClient(CONTAINER).listBlobs(new ListBlobsOptions().setPrefix(backup.getBlobPrefix() + "/")
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true)), null).forEach(blob -> {
                    List<String> ids = versions.computeIfAbsent(blob.getName(), name -> new ArrayList<>());
                    if (blob.getSnapshot() != null) {
                        ids.add(blob.getSnapshot());
                    }
                });
        return versions;
    }

    private void runAndCopy(Path site, BackupRequest backup, List<String> ids, List<Path> copies) throws Exception {
        HarnessResult result = harness().run(BackupSiteContent.NAME, backup);
        JobProgress status = json.readValue(result.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase(), result.customStatus());
        ids.add(status.getSnapshot());
        Path copy = allowed.resolve("copy-" + ids.size());
        assertEquals(0, new ProcessBuilder("cp", "-a", site.toString(), copy.toString()).inheritIO().start().waitFor());
        copies.add(copy);
        Thread.sleep(5); // the next run's id (its start time, in ms) is a later one
    }

    private VerifyReport verify(Path directory, BackupRequest backup, String snapshot) throws IOException {
        HarnessResult result = harness().run(VerifyBackup.NAME, new VerifyRequest(directory.toString(), CONTAINER,
                backup.getBlobPrefix(), null, null, true, snapshot, null, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return json.readValue(result.output(), VerifyReport.class);
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        // A distinct, non-round mtime with nanoseconds for each content, so a restore that drops precision is seen
        // (and an edit of the same size is seen by the backup, which compares size and mtime as rclone does).
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2021-03-04T05:06:07Z")
                .plusNanos((relative + content).hashCode() & 0xfffffff)));
    }

    /** Every entry below {@code root} (not the root itself): type, permission bits, mtime, bytes or target. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(root)) {
                    continue;
                }
                Map<String, Object> unix = Files.readAttributes(path, "unix:mode,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) unix.get("mode");
                long nanos = ((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
                String what;
                if (Files.isSymbolicLink(path)) {
                    what = "link -> " + Files.readSymbolicLink(path) + " @" + nanos / 1_000;
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    what = "dir " + Integer.toOctalString(mode & 0777) + " @" + nanos;
                } else {
                    what = "file " + Integer.toOctalString(mode & 0777) + " @" + nanos + " "
                            + HexFormat.of().formatHex(Files.readAllBytes(path));
                }
                entries.put(root.relativize(path).toString(), what);
            }
        }
        return entries;
    }

    private DurableHarness harness() {
        return BackupApp.harness(blobs, allowed, 100, DurableHarness.Faults.none());
    }
}
