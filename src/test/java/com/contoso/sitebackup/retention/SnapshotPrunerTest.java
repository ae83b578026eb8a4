package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.snapshot.BackupRegistry;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static com.contoso.sitebackup.retention.TestHistory.R1;
import static com.contoso.sitebackup.retention.TestHistory.R2;
import static com.contoso.sitebackup.retention.TestHistory.R3;
import static com.contoso.sitebackup.retention.TestHistory.R4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pruning a copy-on-write history of three runs built by hand on Azurite: run 1 writes a, b and c; run 2 edits a
 * (run 1's content of a goes to a blob snapshot), deletes b, keeps c and adds d; run 3 edits a again, deletes c,
 * keeps d and adds e. Beside it lie content the backup must never delete: a blob without any tag (not this app's),
 * content tagged by the run but not with this backup's identity (written before backups carried it), and content
 * of another backup nested under this one's prefix (the layout issue 21 saw), tagged with that backup's identity.
 */
@AzuriteTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotPrunerTest {
    private static final String MANIFESTS = "backup-manifests";
    private static final String A1 = "a".repeat(100);
    private static final String B1 = "b".repeat(200);
    private static final String C1 = "c".repeat(300);
    private static final String A2 = "A".repeat(110);
    private static final String D2 = "d".repeat(400);
    private static final String A3 = "á".repeat(60);
    private static final String E3 = "e".repeat(50);
    /** The bytes of this backup's content after the three runs: a (A1, A2, A3), b, c, d, e. */
    private static final long STORED = 100 + 110 + 120 + 200 + 300 + 400 + 50;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "prune-" + UUID.randomUUID().toString().substring(0, 8);
    private final TestHistory history = new TestHistory(service, container, "site", MANIFESTS);

    /** The content beside the backup that no pruning of it may delete, as {@link TestHistory#contents} names it. */
    private final Set<String> others = new TreeSet<>();

    @BeforeEach
    void threeRuns() {
        history.upload("a.txt", A1, R1);
        history.upload("b.txt", B1, R1);
        history.upload("c.txt", C1, R1);
        history.manifest(R1, "a.txt", A1, R1, "b.txt", B1, R1, "c.txt", C1, R1);
        history.upload("a.txt", A2, R2);
        history.upload("d.txt", D2, R2);
        history.manifest(R2, "a.txt", A2, R2, "c.txt", C1, R1, "d.txt", D2, R2);
        history.upload("a.txt", A3, R3);
        history.upload("e.txt", E3, R3);
        history.manifest(R3, "a.txt", A3, R3, "d.txt", D2, R2, "e.txt", E3, R3);

        history.upload("foreign.txt", "x".repeat(70), null, null);
        history.upload("before-identity.txt", "old", R1, null);
        String nested = BlobNames.backupId(container, "site/main");
        history.upload("main/index.html", "nested one", R1, nested);
        history.upload("main/index.html", "nested two", R2, nested);
        others.addAll(Set.of("site/foreign.txt@untagged#base", "site/before-identity.txt@" + R1 + "#base",
                "site/main/index.html@" + R1 + "#snapshot", "site/main/index.html@" + R2 + "#base"));
    }

    /** A pruner whose registry is an empty manifest container of its own: it knows no other backup. */
    private SnapshotPruner pruner(double maxDeleteShare) {
        return new SnapshotPruner(service, history.store, new BackupRegistry(service, "registry-" + container),
                new ProblemReport(service, MANIFESTS), MANIFESTS, maxDeleteShare);
    }

    private RetentionRequest request(int keepLast, boolean dryRun, String report) {
        return new RetentionRequest(container, "site", keepLast, 0, 0, dryRun, report);
    }

    private List<String> manifests() {
        return history.store.list(container, "site").stream().map(SnapshotInfo::getId).toList();
    }

    /** Every entry of every kept manifest still reads back, from the version that holds it, as the run wrote it. */
    private void assertKeptSnapshotsWhole() {
        for (String run : manifests()) {
            for (Map.Entry<String, String> entry : history.entries(run).entrySet()) {
                assertEquals(history.written.get("site/" + entry.getKey() + "@" + entry.getValue()),
                        history.read(entry.getKey(), entry.getValue()), run + ": " + entry);
            }
        }
    }

    private void assertOthersUntouched() {
        assertTrue(history.contents().containsAll(others), "content of others stays: " + history.contents());
        assertEquals("nested two", history.read("main/index.html", R2));
        assertEquals("nested one", history.read("main/index.html", R1));
    }

    private Set<String> gone(Set<String> before) {
        TreeSet<String> gone = new TreeSet<>(before);
        gone.removeAll(history.contents());
        return gone;
    }

    @Test
    void prune_keepLastTwo_deletesOnlyTheVersionsNoKeptSnapshotHolds() {
        TreeSet<String> before = history.contents();

        RetentionResult result = pruner(0.5).prune(request(2, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        assertEquals(List.of(R2, R3), result.getKept());
        assertEquals(List.of(R1), result.getExpired());
        assertEquals(List.of(R2, R3), manifests());
        // Run 1's content of a (a blob snapshot) and b (no kept run has it); c stays, run 2 still names run 1's c.
        assertEquals(Set.of("site/a.txt@" + R1 + "#snapshot", "site/b.txt@" + R1 + "#base"), gone(before));
        assertEquals(List.of(1L, 100L, 1L, 200L), List.of(result.getSnapshotsDeleted(),
                result.getSnapshotBytesDeleted(), result.getBlobsDeleted(), result.getBlobBytesDeleted()));
        assertEquals(STORED, result.getBytesStored(), "this backup's bytes only");
        assertEquals(300.0 / STORED, result.getShare(), 1e-9);
        assertEquals(0.5, result.getMaxDeleteShare());
        assertKeptSnapshotsWhole();
        assertOthersUntouched();
    }

    @Test
    void prune_keepLastOne_exactlyTheVersionsRunThreeNamesAreLeft() {
        RetentionResult result = pruner(1.0).prune(request(1, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        assertEquals(List.of(R3), manifests());
        assertEquals(List.of(R1, R2), result.getExpired());
        Set<String> left = new TreeSet<>(history.contents());
        left.removeAll(others);
        assertEquals(Set.of("site/a.txt@" + R3 + "#base", "site/d.txt@" + R2 + "#base", "site/e.txt@" + R3 + "#base"),
                left, "a as run 3 wrote it, d as run 2 did, e");
        assertEquals(2, result.getSnapshotsDeleted(), "run 1's and run 2's a");
        assertEquals(100 + 110, result.getSnapshotBytesDeleted());
        assertEquals(2, result.getBlobsDeleted(), "b and c");
        assertEquals(200 + 300, result.getBlobBytesDeleted());
        assertKeptSnapshotsWhole();
        assertOthersUntouched();
    }

    @Test
    void prune_aboveTheCeiling_refusedNothingDeleted_aHigherCeilingPrunes() {
        TreeSet<String> before = history.contents();

        RetentionResult refused = pruner(0.3).prune(request(1, false, null));

        assertEquals(RetentionResult.Phase.REFUSED, refused.getPhase());
        assertTrue(refused.getShare() > 0.3, "share " + refused.getShare());
        assertTrue(refused.getMessage().contains("BACKUP_RETENTION_MAX_DELETE_SHARE 0.3"), refused.getMessage());
        assertEquals(before, history.contents());
        assertEquals(List.of(R1, R2, R3), manifests(), "no manifest expired either");
        assertEquals(2, refused.getSnapshotsDeleted(), "what would have gone");

        RetentionResult pruned = pruner(1.0).prune(request(1, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, pruned.getPhase());
        assertEquals(List.of(R3), manifests());
        assertKeptSnapshotsWhole();
        assertOthersUntouched();
    }

    @Test
    void prune_dryRun_deletesNothing_theReportListsWhatWouldGo() {
        TreeSet<String> before = history.contents();
        String report = ProblemReport.nameFor("retention-test", Instant.now());

        RetentionResult result = pruner(0.3).prune(request(1, true, report));

        assertEquals(RetentionResult.Phase.DRY_RUN_COMPLETED, result.getPhase());
        assertTrue(result.getMessage().startsWith("would be refused"), result.getMessage());
        assertEquals(before, history.contents());
        assertEquals(List.of(R1, R2, R3), manifests());
        assertEquals(List.of(R1, R2), result.getExpired());
        assertEquals(report, result.getReport());
        List<FileProblem> listed = new ProblemReport(service, MANIFESTS).read(report);
        assertEquals(List.of("site/a.txt", "site/a.txt", "site/b.txt", "site/c.txt"),
                listed.stream().map(FileProblem::getPath).toList());
        List<String> reasons = listed.stream().map(FileProblem::getReason).toList();
        assertTrue(reasons.stream().anyMatch(r -> r.matches("blob snapshot \\S+ of run " + R1 + ", 100 bytes")),
                reasons.toString());
        assertTrue(reasons.contains("blob of run " + R1 + ", 200 bytes"), reasons.toString());
        assertEquals(listed, result.getDeleted(), "fewer than 25: all named in the result too");
    }

    @Test
    void prune_aRunStillGoing_itsContentAndWhatItSnapshottedStay() {
        // Run 4 is running: it re-added b, added f and replaced a (keeping run 3's a in a blob snapshot); no manifest.
        history.upload("b.txt", "b again", R4);
        history.upload("f.txt", "new file", R4);
        history.upload("a.txt", "a four", R4);

        RetentionResult result = pruner(1.0).prune(request(1, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        Set<String> left = history.contents();
        assertTrue(left.containsAll(Set.of("site/b.txt@" + R4 + "#base", "site/f.txt@" + R4 + "#base",
                "site/a.txt@" + R4 + "#base", "site/a.txt@" + R3 + "#snapshot")), left.toString());
        assertFalse(left.contains("site/b.txt@" + R1 + "#snapshot"), "run 1's b goes: no kept run has it");
        assertEquals("b again", history.read("b.txt", R4));
        assertEquals(A3, history.read("a.txt", R3), "run 3's a, now in a blob snapshot, still read back");
        assertKeptSnapshotsWhole();
    }

    @Test
    void prune_formatOneEntry_theBlobSnapshotOfThatTimeIsKept() {
        // Run 3's manifest as a backup before copy on write wrote it: a names a blob snapshot by its time.
        String a3Snapshot = history.snapshotTime("a.txt", A3);
        history.manifest(R3, "a.txt", A3, a3Snapshot, "d.txt", D2, R2, "e.txt", E3, R3);

        RetentionResult result = pruner(1.0).prune(request(1, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        Set<String> a = new TreeSet<>(history.contents());
        a.removeIf(name -> !name.startsWith("site/a.txt@"));
        // Runs 1 and 2's a go; the snapshot run 3 names stays, and so does the base (a blob snapshot of it stays).
        assertEquals(Set.of("site/a.txt@" + R3 + "#snapshot", "site/a.txt@" + R3 + "#base"), a);
        assertEquals(A3, history.read("a.txt", a3Snapshot));
        assertKeptSnapshotsWhole();
    }

    @Test
    void prune_keptEntryWithoutContent_nothingOfItsPathIsHeld() {
        // Run 3 met b again but could not store it: its entry has no version, so no version of b is held for it.
        try (var writer = history.store.create(history.store.list(container, "site").get(2))) {
            writer.add(new FileEntry("a.txt", 120, 1).withVersion(R3, null));
            writer.add(new FileEntry("b.txt", 7, 1).withMissing("changed while read"));
            writer.add(new FileEntry("d.txt", 400, 1).withVersion(R2, null));
            writer.add(new FileEntry("e.txt", 50, 1).withVersion(R3, null));
            writer.commit();
        }

        pruner(1.0).prune(request(1, false, null));

        assertFalse(history.contents().contains("site/b.txt@" + R1 + "#base"), history.contents().toString());
        assertKeptSnapshotsWhole();
    }

    @Test
    void prune_twice_theSecondFindsNothingMore() {
        pruner(0.5).prune(request(2, false, null));
        TreeSet<String> after = history.contents();

        RetentionResult again = pruner(0.5).prune(request(2, false, null));

        assertEquals(List.of(R2, R3), again.getKept());
        assertEquals(List.of(), again.getExpired());
        assertEquals(0, again.getSnapshotsDeleted() + again.getBlobsDeleted());
        assertEquals(after, history.contents());
    }

    /** The layout issue 21 saw: backups of a folder and of its subfolder, each with its snapshots. */
    @Test
    void prune_aNestedBackupWithSnapshots_refusedNamingIt_nothingDeleted() {
        new TestHistory(service, container, "site/main", MANIFESTS).manifest(R2, "index.html", "nested two", R2);
        TreeSet<String> before = history.contents();

        RetentionResult result = new SnapshotPruner(service, history.store, new BackupRegistry(service, MANIFESTS),
                new ProblemReport(service, MANIFESTS), MANIFESTS, 1.0).prune(request(1, false, null));

        assertEquals(RetentionResult.Phase.REFUSED, result.getPhase());
        assertTrue(result.getMessage().startsWith("Refused, nothing deleted: blobPrefix 'site' is above the prefix"
                + " 'site/main' of another backup in container '" + container + "'"), result.getMessage());
        assertEquals(before, history.contents());
        assertEquals(List.of(R1, R2, R3), manifests());
    }

    @Test
    void prune_noSnapshots_completedNothingDeleted() {
        RetentionResult result = pruner(0.5).prune(new RetentionRequest(container, "other", 1, 0, 0, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase());
        assertEquals(0, result.getKeptCount());
        assertTrue(result.getMessage().contains("no snapshots"), result.getMessage());
    }

    @Test
    void prune_badRequest_throwsNamingTheField_nothingDeleted() {
        TreeSet<String> before = history.contents();
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> pruner(1.0).prune(new RetentionRequest(container, "", 1, 0, 0, false, null)));
        assertTrue(empty.getMessage().startsWith("blobPrefix must not be empty"), empty.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> pruner(1.0).prune(new RetentionRequest(MANIFESTS, "site", 1, 0, 0, false, null)));
        assertTrue(reserved.getMessage().contains("container 'backup-manifests' is reserved"), reserved.getMessage());
        assertEquals(before, history.contents());
        assertThrows(IllegalArgumentException.class, () -> pruner(0));
        assertThrows(IllegalArgumentException.class, () -> pruner(1.01));
    }
}
