package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
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
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's round trip on Azurite through the in-memory engine and the real activities: three backup runs with
 * edits, deletes, adds, a permission change, a changed link and an empty folder between them (and names whose
 * place in a listing cannot be predicted); each run's snapshot
 * restored into an empty folder equals a copy of the tree taken right after that run ({@code cp -a}): every entry's
 * type, bytes, permission bits, mtime (to the nanosecond; a link's to the microsecond, what Java's {@code lutimes}
 * keeps), link target and empty folders; a restore {@code asOf} a time between two runs gives the earlier one; a
 * verify of each snapshot against its copy finds nothing; retention refuses above the operator's ceiling and
 * deletes nothing, and under it (keeping the last two runs, then the last one) deletes the other manifests and
 * exactly the versions (base blobs and blob snapshots) the kept snapshots do not hold, after which each kept
 * snapshot still restores byte for byte.
 */
@AzuriteTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
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

        // Retention, copy on write: each run's content is a base blob tagged with the run, kept in a blob snapshot
        // only once a later run replaced it. Above the operator's ceiling a pruning refuses and deletes nothing; under
        // it, it deletes the expired manifests and exactly the versions no kept snapshot holds, and every kept snapshot
        // still restores byte for byte.
        Map<String, List<String>> before = storedVersions(backup);
        RetentionResult refused = retention(backup, 2, "0.01");
        assertEquals(RetentionResult.Phase.REFUSED, refused.getPhase(), refused.getMessage());
        assertEquals(before, storedVersions(backup), "a refused retention deletes nothing");
        assertEquals(ids, store.list(CONTAINER, backup.getBlobPrefix()).stream().map(SnapshotInfo::getId).toList());

        for (int keep : new int[] {2, 1}) {
            RetentionResult pruned = retention(backup, keep, "1");
            List<String> kept = ids.subList(3 - keep, 3);
            assertEquals(RetentionResult.Phase.COMPLETED, pruned.getPhase(), pruned.getMessage());
            assertEquals(kept, pruned.getKept());
            assertEquals(kept, store.list(CONTAINER, backup.getBlobPrefix()).stream().map(SnapshotInfo::getId).toList());
            assertEquals(held(store, backup, kept), storedVersions(backup),
                    "keepLast " + keep + ": exactly the versions the kept snapshots hold");
            for (String id : kept) {
                Path target = allowed.resolve("restored-after-keep-" + keep + "-" + id);
                HarnessResult restored = harness().run(RestoreSiteContent.NAME, new RestoreRequest(CONTAINER,
                        backup.getBlobPrefix(), target.toString(), false, id, null, null));
                assertEquals(JobProgress.Phase.COMPLETED, json.readValue(restored.customStatus(), JobProgress.class)
                        .getPhase(), restored.customStatus());
                assertEquals(describe(copies.get(ids.indexOf(id))), describe(target),
                        "keepLast " + keep + ": snapshot " + id + " restores byte for byte");
            }
            System.out.println("retention keepLast " + keep + ": kept " + pruned.getKept() + ", deleted "
                    + pruned.getSnapshotsDeleted() + " blob snapshots and " + pruned.getBlobsDeleted() + " blobs ("
                    + count(before) + " versions before, " + count(storedVersions(backup)) + " after)");
        }
    }

    private RetentionResult retention(BackupRequest backup, int keepLast, String ceiling) throws IOException {
        HarnessResult result = harness(ceiling).run(ApplyRetention.NAME, new RetentionRequest(CONTAINER,
                backup.getBlobPrefix(), keepLast, 0, 0, false, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return json.readValue(result.output(), RetentionResult.class);
    }

    /**
     * Each blob name under the backup's prefix with the versions stored there: {@code base} for the blob, a blob
     * snapshot by its time, sorted.
     */
    private Map<String, List<String>> storedVersions(BackupRequest backup) {
        Map<String, List<String>> versions = new TreeMap<>();
        blobs.getBlobContainerClient(CONTAINER).listBlobs(new ListBlobsOptions().setPrefix(backup.getBlobPrefix() + "/")
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true)), null).forEach(blob ->
                versions.computeIfAbsent(blob.getName(), name -> new ArrayList<>())
                        .add(blob.getSnapshot() == null ? "base" : blob.getSnapshot()));
        versions.values().forEach(list -> list.sort(null));
        return versions;
    }

    /** What {@link #storedVersions} would be if exactly the versions snapshots {@code kept} name were left. */
    private Map<String, List<String>> held(SnapshotStore store, BackupRequest backup, List<String> kept) {
        Map<String, java.util.TreeSet<String>> held = new TreeMap<>();
        for (String id : kept) {
            try (SnapshotReader reader = store.open(CONTAINER, backup.getBlobPrefix(), id)) {
                reader.forEachRemaining(entry -> {
                    if (entry.getVersion() != null) {
                        String name = backup.getBlobPrefix() + "/" + entry.getPath();
                        BlobItem holder = PrefixListing.stored(blobs.getBlobContainerClient(CONTAINER), name)
                                .holding(entry.getVersion());
                        assertNotNull(holder, id + ": nothing holds " + name + " as of " + entry.getVersion());
                        held.computeIfAbsent(name, n -> new java.util.TreeSet<>())
                                .add(holder.getSnapshot() == null ? "base" : holder.getSnapshot());
                    }
                });
            }
        }
        Map<String, List<String>> versions = new TreeMap<>();
        held.forEach((name, set) -> versions.put(name, new ArrayList<>(set)));
        return versions;
    }

    private static int count(Map<String, List<String>> versions) {
        return versions.values().stream().mapToInt(List::size).sum();
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

    /** The app with the operator's retention ceiling ({@code BACKUP_RETENTION_MAX_DELETE_SHARE}) at {@code ceiling}. */
    private DurableHarness harness(String ceiling) {
        AppServices services = AppServices.of(Settings.of(Map.of(
                Settings.BACKUP_READ_ROOTS, allowed.toString(),
                Settings.BACKUP_WRITE_ROOTS, allowed.toString(),
                Settings.BACKUP_MANIFEST_CONTAINER, BackupApp.MANIFEST_CONTAINER,
                Settings.BACKUP_BATCH_FILES, "100",
                Settings.BACKUP_RETENTION_MAX_DELETE_SHARE, ceiling)), blobs);
        return BackupApp.register(new DurableHarness(Path.of("host.json"), DurableHarness.Faults.none()), services,
                new RecordingContext("harness"));
    }
}
