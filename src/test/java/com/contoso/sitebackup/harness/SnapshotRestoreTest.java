package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores and verifies of backup snapshots made by hand on Azurite (blob snapshots taken, then the base blobs
 * overwritten or deleted), through the in-memory harness running every function of the app.
 */
@AzuriteTest
@Timeout(300)
class SnapshotRestoreTest {
    private static final String FIRST = "20261126T100000.000Z";
    private static final String SECOND = "20261127T100000.000Z";
    private static final long T = 1_700_000_000_123_456_789L;

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();
    private final String container = "snapshots-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path allowed;
    private HandMadeSnapshot snapshot;

    /**
     * The first snapshot: files in nested folders, a read-only folder, an empty folder, a relative and an absolute
     * link; then the second, with another a.txt; then the base blobs of a.txt and d/b.txt overwritten.
     */
    @BeforeEach
    void twoSnapshotsThenTheBaseBlobsChange() {
        snapshot = new HandMadeSnapshot(blobs, container, "site", BackupApp.MANIFEST_CONTAINER);
        snapshot.file("a.txt", "first a", 0640, T);
        snapshot.directory("d", 0750, T + 1);
        snapshot.file("d/b.txt", "first b", 0600, T + 2);
        snapshot.directory("d/ro", 0555, T + 3);
        snapshot.file("d/ro/c.txt", "first c", 0444, T + 4);
        snapshot.directory("empty", 0711, T + 5);
        // A link's own mtime is set to the microsecond (lutimes): these are whole microseconds.
        snapshot.link("d/to-b", "b.txt", T + 6_211);
        snapshot.link("abs", "/etc/hostname", T + 7_211);
        snapshot.commit(FIRST);
        snapshot.clear();
        snapshot.file("a.txt", "second a", 0644, T + 100);
        snapshot.commit(SECOND);
        snapshot.blob("a.txt").upload(com.azure.core.util.BinaryData.fromString("latest a, in no snapshot"), true);
        // A base blob cannot be deleted while it has snapshots (409 SnapshotsPresent, on Azure as on Azurite): the
        // other one is replaced by a blob of another size.
        snapshot.blob("d/b.txt").upload(com.azure.core.util.BinaryData.fromString("latest b, longer than the first"), true);
    }

    private HarnessResult restore(Path target, String id, String asOf, int sliceSize, DurableHarness.Faults faults) {
        HarnessResult result = BackupApp.harness(blobs, allowed, sliceSize, faults).run(RestoreSiteContent.NAME,
                new RestoreRequest(container, "site", target.toString(), false, id, asOf, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return result;
    }

    /** The restored tree: every entry's kind, content or target, mode and mtime in ns. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path entry : all.filter(p -> !p.equals(root)).toList()) {
                String mtime = Long.toString(Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
                        .to(TimeUnit.NANOSECONDS) - T);
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(entry, LinkOption.NOFOLLOW_LINKS));
                found.put(root.relativize(entry).toString(), Files.isSymbolicLink(entry)
                        ? "-> " + Files.readSymbolicLink(entry) + " @" + mtime
                        : Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) ? "folder " + mode + " @" + mtime
                        : Files.readString(entry) + " " + mode + " @" + mtime);
            }
        }
        return found;
    }

    private static final Map<String, String> FIRST_TREE = Map.of(
            "a.txt", "first a rw-r----- @0",
            "abs", "-> /etc/hostname @7211",
            "d", "folder rwxr-x--- @1",
            "d/b.txt", "first b rw------- @2",
            "d/ro", "folder r-xr-xr-x @3",
            "d/ro/c.txt", "first c r--r--r-- @4",
            "d/to-b", "-> b.txt @6211",
            "empty", "folder rwx--x--x @5");

    @Test
    void restore_snapshotIntoAnEmptyFolder_itsBytesModesMtimesLinksAndFoldersAfterTheBaseBlobsChanged()
            throws IOException {
        Path target = allowed.resolve("restored");

        HarnessResult result = restore(target, FIRST, null, 100, DurableHarness.Faults.none());

        JobProgress status = json.readValue(result.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase(), result.customStatus());
        assertEquals(List.of(5L, 5L), List.of(status.getFilesPlanned(), status.getFilesDone()), "3 files and 2 links");
        assertEquals(FIRST_TREE, tree(target));
        if (SecureDirectory.canSetOwner()) {
            for (String entry : FIRST_TREE.keySet()) {
                assertEquals(List.of((int) HandMadeSnapshot.UID, (int) HandMadeSnapshot.GID), List.of(
                        Files.getAttribute(target.resolve(entry), "unix:uid", LinkOption.NOFOLLOW_LINKS),
                        Files.getAttribute(target.resolve(entry), "unix:gid", LinkOption.NOFOLLOW_LINKS)), entry);
            }
        }
        VerifyReport verified = verify(target, FIRST, null);
        assertEquals(List.of(8L, 0L), List.of(verified.getIdentical(), verified.differenceCount()),
                verified.listedDifferences().toString());
        Files.setPosixFilePermissions(target.resolve("d/ro"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Batches of 2 entries, each activity delivered twice and the engine restarted after every episode (running
     * activities abandoned and delivered again): the same tree, and no temporary file left.
     */
    @Test
    void restore_snapshotInSlicesDeliveredTwiceRestartedEveryEpisode_theSameTree() throws IOException {
        Path target = allowed.resolve("sliced");

        HarnessResult result = restore(target, FIRST, null, 2,
                DurableHarness.Faults.none().withRestartAfterEveryEpisode().withDuplicateDelivery());

        assertEquals(JobProgress.Phase.COMPLETED, json.readValue(result.customStatus(), JobProgress.class).getPhase(),
                result.customStatus());
        assertEquals(FIRST_TREE, tree(target), "the same tree, and no other entry (a temporary file would be one)");
        Files.setPosixFilePermissions(target.resolve("d/ro"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void restore_asOfBetweenTheTwoSnapshots_theEarlierOne() throws IOException {
        Path between = allowed.resolve("between");
        Path latest = allowed.resolve("latest");

        restore(between, null, "2026-11-27T09:59:59.999Z", 100, DurableHarness.Faults.none());
        restore(latest, "latest", null, 100, DurableHarness.Faults.none());

        assertEquals("first a", Files.readString(between.resolve("a.txt")));
        assertEquals("second a", Files.readString(latest.resolve("a.txt")));
        assertEquals(List.of("a.txt"), Files.list(latest).map(p -> p.getFileName().toString()).toList());
        Files.setPosixFilePermissions(between.resolve("d/ro"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void restore_snapshotWithAnEntryItHoldsNoContentFor_reportedNamingTheFileAndTheReason() throws IOException {
        snapshot.clear();
        snapshot.file("kept.txt", "kept", 0644, T);
        snapshot.missing("lost.txt", "changed while it was being copied");
        snapshot.commit("20261128T100000.000Z");
        Path target = allowed.resolve("with-missing");

        HarnessResult result = restore(target, "20261128T100000.000Z", null, 100, DurableHarness.Faults.none());

        JobProgress status = json.readValue(result.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase());
        assertEquals(List.of(new FileProblem("lost.txt",
                "not in the snapshot: changed while it was being copied; not restored")), status.getProblems());
        assertEquals("kept", Files.readString(target.resolve("kept.txt")));
        assertFalse(Files.exists(target.resolve("lost.txt")));
    }

    @Test
    void restore_unknownSnapshotOrNoneBeforeAsOf_failedRunNamingTheField() throws IOException {
        JobProgress unknown = json.readValue(restore(allowed.resolve("x"), "20261126T100000.001Z", null, 100,
                DurableHarness.Faults.none()).customStatus(), JobProgress.class);
        JobProgress early = json.readValue(restore(allowed.resolve("y"), null, "2026-01-01T00:00:00Z", 100,
                DurableHarness.Faults.none()).customStatus(), JobProgress.class);

        assertEquals(JobProgress.Phase.FAILED, unknown.getPhase());
        assertEquals("Restore not started: snapshot '20261126T100000.001Z' is not a snapshot of container '" + container
                + "', prefix 'site'", unknown.getMessage());
        assertEquals("Restore not started: asOf '2026-01-01T00:00:00Z': no snapshot of container '" + container
                + "', prefix 'site' was taken at or before it", early.getMessage());
        assertFalse(Files.exists(allowed.resolve("x")));
    }

    /** The restored tree changed afterwards: a verify against the snapshot counts each change. */
    @Test
    void verify_restoredTreeChangedAfterwards_eachChangeADifference() throws IOException {
        Path target = allowed.resolve("changed");
        restore(target, FIRST, null, 100, DurableHarness.Faults.none());
        Files.writeString(target.resolve("a.txt"), "FIRST A");
        Files.delete(target.resolve("empty"));
        Files.setPosixFilePermissions(target.resolve("d/b.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));

        VerifyReport report = verify(target, null, "2026-11-26T12:00:00Z");

        assertEquals(List.of("empty/"), report.getExtra());
        assertEquals(List.of(new FileProblem("d/b.txt", "mode rw-rw-rw- here, rw------- in the snapshot"),
                new FileProblem("a.txt", "content differs (MD5)")), report.getDifferent());
        Files.setPosixFilePermissions(target.resolve("d/ro"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private VerifyReport verify(Path directory, String id, String asOf) throws IOException {
        HarnessResult result = BackupApp.harness(blobs, allowed, 100, DurableHarness.Faults.none()).run(VerifyBackup.NAME,
                new VerifyRequest(directory.toString(), container, "site", null, null, true, id, asOf, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return json.readValue(result.output(), VerifyReport.class);
    }
}
