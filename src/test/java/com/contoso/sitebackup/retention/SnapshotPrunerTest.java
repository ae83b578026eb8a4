package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static com.contoso.sitebackup.retention.TestHistory.R1;
import static com.contoso.sitebackup.retention.TestHistory.R2;
import static com.contoso.sitebackup.retention.TestHistory.R3;
import static com.contoso.sitebackup.retention.TestHistory.R4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pruning a history of three runs built by hand on Azurite: run 1 writes a, b and c; run 2 edits a, deletes b,
 * keeps c as it was and adds d; run 3 edits a again, deletes c, keeps d and adds e. A blob without a run tag (not
 * this app's) sits among them.
 */
@AzuriteTest
class SnapshotPrunerTest {
    private static final String MANIFESTS = "backup-manifests";
    private static final String A1 = "a".repeat(100);
    private static final String B1 = "b".repeat(200);
    private static final String C1 = "c".repeat(300);
    private static final String A2 = "A".repeat(110);
    private static final String D2 = "d".repeat(400);
    private static final String A3 = "á".repeat(60);
    private static final String E3 = "e".repeat(50);

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "prune-" + UUID.randomUUID().toString().substring(0, 8);
    private final TestHistory history = new TestHistory(service, container, "site", MANIFESTS);
    private final SnapshotPruner pruner = new SnapshotPruner(service, history.store, new ProblemReport(service, MANIFESTS),
            MANIFESTS);
    private String a1;
    private String b1;
    private String c1;
    private String a2;
    private String a3;
    private String foreign;

    @BeforeEach
    void threeRuns() {
        a1 = history.upload("a.txt", A1, R1);
        b1 = history.upload("b.txt", B1, R1);
        c1 = history.upload("c.txt", C1, R1);
        history.manifest(R1, "a.txt", A1, a1, "b.txt", B1, b1, "c.txt", C1, c1);
        a2 = history.upload("a.txt", A2, R2);
        String d2 = history.upload("d.txt", D2, R2);
        history.manifest(R2, "a.txt", A2, a2, "c.txt", C1, c1, "d.txt", D2, d2);
        a3 = history.upload("a.txt", A3, R3);
        String e3 = history.upload("e.txt", E3, R3);
        history.manifest(R3, "a.txt", A3, a3, "d.txt", D2, d2, "e.txt", E3, e3);
        foreign = history.upload("foreign.txt", "x".repeat(70), null);
    }

    private static RetentionRequest request(String container, int keepLast, double maxShare, boolean force, boolean dryRun,
                                            String report) {
        return new RetentionRequest(container, "site", keepLast, 0, 0, maxShare, force, dryRun, report);
    }

    private List<String> manifests() {
        return history.store.list(container, "site").stream().map(SnapshotInfo::getId).toList();
    }

    /** Every blob snapshot the kept manifests reference is there, with the bytes the run wrote. */
    private void assertKeptSnapshotsWhole() {
        for (String run : manifests()) {
            for (String snapshot : history.referenced(run)) {
                assertEquals(history.written.get(snapshot), history.download(snapshot), run + ": " + snapshot);
            }
        }
    }

    @Test
    void prune_keepLastTwo_expiresRunOne_deletesOnlyWhatNoKeptSnapshotReferences() {
        TreeSet<String> before = history.contents();

        RetentionResult result = pruner.prune(request(container, 2, 0.5, false, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        assertEquals(List.of(R2, R3), result.getKept());
        assertEquals(List.of(R1), result.getExpired());
        assertEquals(List.of(R2, R3), manifests());
        TreeSet<String> gone = new TreeSet<>(before);
        gone.removeAll(history.contents());
        // a's first content and b (its snapshot, then the blob: no kept run has b); c's snapshot stays (run 2 has it).
        assertEquals(new TreeSet<>(Set.of("site/a.txt@" + a1, "site/b.txt@" + b1, "site/b.txt")), gone);
        assertEquals(2, result.getSnapshotsDeleted());
        assertEquals(300, result.getSnapshotBytesDeleted());
        assertEquals(1, result.getBlobsDeleted());
        assertEquals(200, result.getBlobBytesDeleted());
        long stored = 120 + 200 + 300 + 400 + 50 + 70 + 100 + 110 + 120 + 200 + 300 + 400 + 50 + 70;
        assertEquals(stored, result.getBytesStored());
        assertEquals(500.0 / stored, result.getShare(), 1e-9);
        assertKeptSnapshotsWhole();
        assertTrue(history.contents().containsAll(Set.of("site/foreign.txt", "site/foreign.txt@" + foreign)),
                "content without a run tag is never deleted");
    }

    @Test
    void prune_keepLastOne_onlyRunThreesContentLeft() {
        RetentionResult result = pruner.prune(request(container, 1, 0.5, false, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        assertEquals(List.of(R3), manifests());
        assertEquals(List.of(R1, R2), result.getExpired());
        Set<String> left = new TreeSet<>(history.contents());
        left.removeIf(name -> name.startsWith("site/foreign.txt"));
        Set<String> expected = new TreeSet<>(history.referenced(R3));
        expected.addAll(Set.of("site/a.txt", "site/d.txt", "site/e.txt"));
        assertEquals(expected, left, "run 3's snapshots and the blobs of its files");
        assertEquals(4, result.getSnapshotsDeleted(), "a1, a2, b1, c1");
        assertEquals(100 + 110 + 200 + 300, result.getSnapshotBytesDeleted());
        assertEquals(2, result.getBlobsDeleted(), "b and c");
        assertKeptSnapshotsWhole();
    }

    @Test
    void prune_aboveTheShare_refusedNothingDeleted_forcedDeletes() {
        TreeSet<String> before = history.contents();

        RetentionResult refused = pruner.prune(request(container, 1, 0.3, false, false, null));

        assertEquals(RetentionResult.Phase.REFUSED, refused.getPhase());
        assertTrue(refused.getShare() > 0.3, "share " + refused.getShare());
        assertTrue(refused.getMessage().contains("maxDeleteShare 0.3") && refused.getMessage().contains("force"),
                refused.getMessage());
        assertEquals(before, history.contents());
        assertEquals(List.of(R1, R2, R3), manifests(), "no manifest expired either");
        assertEquals(4, refused.getSnapshotsDeleted(), "what would have gone");

        RetentionResult forced = pruner.prune(request(container, 1, 0.3, true, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, forced.getPhase());
        assertEquals(List.of(R3), manifests());
        assertEquals(4, forced.getSnapshotsDeleted());
        assertKeptSnapshotsWhole();
    }

    @Test
    void prune_dryRun_deletesNothing_theReportListsWhatWouldGo() {
        TreeSet<String> before = history.contents();
        String report = ProblemReport.nameFor("retention-test", Instant.now());

        RetentionResult result = pruner.prune(request(container, 1, 0.3, false, true, report));

        assertEquals(RetentionResult.Phase.DRY_RUN_COMPLETED, result.getPhase());
        assertTrue(result.getMessage().startsWith("would be refused"), result.getMessage());
        assertEquals(before, history.contents());
        assertEquals(List.of(R1, R2, R3), manifests());
        assertEquals(List.of(R1, R2), result.getExpired());
        assertEquals(report, result.getReport());
        List<FileProblem> listed = new ProblemReport(service, MANIFESTS).read(report);
        assertEquals(List.of("site/a.txt", "site/a.txt", "site/b.txt", "site/b.txt", "site/c.txt", "site/c.txt"),
                listed.stream().map(FileProblem::getPath).toList());
        List<String> reasons = listed.stream().map(FileProblem::getReason).toList();
        assertTrue(reasons.contains("blob snapshot " + a1 + " of run " + R1 + ", 100 bytes"), reasons.toString());
        assertTrue(reasons.contains("blob of run " + R1 + ", 200 bytes"), reasons.toString());
        assertEquals(listed, result.getDeleted(), "fewer than 25: all named in the result too");
    }

    @Test
    void prune_runTagNewerThanTheNewestManifest_untouched() {
        // Run 4 is running: it has re-added b and added f, with no manifest yet.
        String b4 = history.upload("b.txt", "b again", R4);
        String f4 = history.upload("f.txt", "new file", R4);

        RetentionResult result = pruner.prune(request(container, 1, 1.0, false, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase());
        Set<String> left = history.contents();
        assertTrue(left.containsAll(Set.of("site/b.txt", "site/b.txt@" + b4, "site/f.txt", "site/f.txt@" + f4)), left.toString());
        assertTrue(!left.contains("site/b.txt@" + b1), "run 1's snapshot of b goes: no kept run has it");
        assertEquals("b again", history.download("site/b.txt@" + b4));
    }

    @Test
    void prune_keptEntryWithoutContent_itsBlobStays() {
        // Run 3 met b again but could not store it: its entry has no version, and b's blob is all that is left.
        String d2 = history.referenced(R3).get(1).substring("site/d.txt@".length());
        String e3 = history.referenced(R3).get(2).substring("site/e.txt@".length());
        try (var writer = history.store.create(history.store.list(container, "site").get(2))) {
            writer.add(new com.contoso.sitebackup.fs.FileEntry("a.txt", 120, 1).withVersion(a3, null));
            writer.add(new com.contoso.sitebackup.fs.FileEntry("b.txt", 7, 1).withMissing("changed while read"));
            writer.add(new com.contoso.sitebackup.fs.FileEntry("d.txt", 400, 1).withVersion(d2, null));
            writer.add(new com.contoso.sitebackup.fs.FileEntry("e.txt", 50, 1).withVersion(e3, null));
            writer.commit();
        }

        pruner.prune(request(container, 1, 1.0, false, false, null));

        Set<String> left = history.contents();
        assertTrue(left.contains("site/b.txt"), "a kept snapshot names b: " + left);
        assertTrue(!left.contains("site/b.txt@" + b1), "no kept snapshot references run 1's content of b");
    }

    @Test
    void prune_twice_theSecondFindsNothingMore() {
        pruner.prune(request(container, 2, 0.5, false, false, null));
        TreeSet<String> after = history.contents();

        RetentionResult again = pruner.prune(request(container, 2, 0.5, false, false, null));

        assertEquals(List.of(R2, R3), again.getKept());
        assertEquals(List.of(), again.getExpired());
        assertEquals(0, again.getSnapshotsDeleted() + again.getBlobsDeleted());
        assertEquals(after, history.contents());
    }

    @Test
    void prune_noSnapshots_completedNothingDeleted() {
        RetentionResult result = pruner.prune(new RetentionRequest(container, "other", 1, 0, 0, null, false, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase());
        assertEquals(0, result.getKeptCount());
        assertTrue(result.getMessage().contains("no snapshots"), result.getMessage());
    }

    @Test
    void prune_badRequest_throwsNamingTheField() {
        IllegalArgumentException share = assertThrows(IllegalArgumentException.class,
                () -> pruner.prune(request(container, 1, 0, false, false, null)));
        assertTrue(share.getMessage().startsWith("maxDeleteShare"), share.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> pruner.prune(request(MANIFESTS, 1, 0.5, false, false, null)));
        assertTrue(reserved.getMessage().contains("container 'backup-manifests' is reserved"), reserved.getMessage());
    }
}
