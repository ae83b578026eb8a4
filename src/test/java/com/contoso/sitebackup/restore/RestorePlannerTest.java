package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Plans restores of hand-made snapshots on Azurite: what is planned, what is reported, what is refused. */
@AzuriteTest
@Timeout(120)
class RestorePlannerTest {
    private static final String EARLIER = "20261126T100000.000Z";
    private static final String LATER = "20261126T110000.000Z";

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "restore-plan-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path allowed;
    private RestorePlanner planner;

    @BeforeEach
    void setUp() {
        planner = planner("manifests");
        service.getBlobContainerClient(container).create();
    }

    private RestorePlanner planner(String manifests) {
        return new RestorePlanner(service, SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(allowed), List.of()),
                new ManifestStore(service, manifests, 2, 1L << 20), new ProblemReport(service, manifests),
                new SnapshotStore(service, manifests));
    }

    private List<FileEntry> planned(JobPlan plan) {
        ManifestStore manifests = new ManifestStore(service, "manifests", 2, 1L << 20);
        List<FileEntry> entries = new java.util.ArrayList<>();
        for (int batch = 0; batch < plan.batchCount(); batch++) {
            entries.addAll(manifests.readBatch(plan.manifest(), batch));
        }
        return entries;
    }

    /**
     * Two snapshots of prefix {@code snap}: the earlier with a file, folders, a link and a missing file; the later with
     * b.txt. The earlier file's blob is replaced by the later run afterwards (copy on write).
     */
    private List<FileEntry> twoSnapshots() {
        HandMadeSnapshot earlier = HandMadeSnapshot.ofRun(service, container, "snap", "manifests", EARLIER);
        FileEntry a = earlier.file("d/a.txt", "old a", 0640, 1_700_000_000_123_456_789L);
        earlier.directory("d", 0750, 1_700_000_000_000_000_001L);
        earlier.directory("empty", 0700, 1_700_000_000_000_000_002L);
        FileEntry link = earlier.link("d/link", "../outside/x", 1_700_000_000_000_000_003L);
        earlier.missing("d/gone.txt", "vanished while it was read");
        earlier.commit(EARLIER);
        HandMadeSnapshot later = HandMadeSnapshot.ofRun(service, container, "snap", "manifests", LATER);
        later.file("b.txt", "later b", 0644, 1_700_000_100_000_000_000L);
        later.commit(LATER);
        later.replaceByLaterRun("d/a.txt", "new content, after the snapshots", LATER);
        return List.of(a, link);
    }

    @Test
    void plan_snapshot_itsFilesAndLinksAsRecordedFoldersLeftOutMissingReported() {
        List<FileEntry> recorded = twoSnapshots();

        JobPlan plan = planner.plan(new RestoreRequest(container, "snap", allowed.resolve("t").toString(), false, EARLIER,
                null, null));

        assertNull(plan.error());
        assertEquals(recorded, planned(plan), "the manifest's entries, version and attributes included");
        assertEquals(EARLIER, plan.snapshot());
        assertEquals(List.of(new FileProblem("d/gone.txt",
                "not in the snapshot: vanished while it was read; not restored")), plan.problems());
        assertEquals(List.of(2L, 1L), List.of(plan.filesPlanned(), plan.problemCount()));
        assertFalse(Files.exists(allowed.resolve("t")), "planning creates nothing");
    }

    @Test
    void plan_noSnapshotNamed_theLatestAsOfBetweenTwo_theEarlier() {
        twoSnapshots();

        JobPlan byDefault = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false, null));
        JobPlan between = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false, null,
                "2026-11-26T10:59:59.999Z", null));
        JobPlan latest = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false, "latest", null,
                null));

        assertEquals(LATER, byDefault.snapshot(), "without snapshot or asOf: the latest");
        assertEquals(List.of("b.txt"), planned(byDefault).stream().map(FileEntry::getPath).toList());
        assertEquals(EARLIER, between.snapshot());
        assertEquals(List.of("d/a.txt", "d/link"), planned(between).stream().map(FileEntry::getPath).toList());
        assertEquals(LATER, latest.snapshot());
    }

    @Test
    void plan_unknownSnapshotNoneAtOrBeforeAsOfOrNoneYet_rejectedNamingTheField() {
        twoSnapshots();

        JobPlan unknown = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false,
                "20261126T103000.000Z", null, null));
        JobPlan tooEarly = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false, null,
                "2026-11-26T09:59:59Z", null));
        JobPlan noneYet = planner.plan(new RestoreRequest(container, "site", allowed.toString(), false, null));

        assertEquals("snapshot '20261126T103000.000Z' is not a snapshot of container '" + container + "', prefix 'snap'",
                unknown.error());
        assertEquals("asOf '2026-11-26T09:59:59Z': no snapshot of container '" + container + "', prefix 'snap' was"
                + " taken at or before it", tooEarly.error());
        assertEquals("snapshot 'latest': container '" + container + "', prefix 'site' has no snapshot yet",
                noneYet.error());
    }

    /** Issue 21, item 8: a snapshot that holds nothing is refused, never a restore of nothing that "completes". */
    @Test
    void plan_emptySnapshot_rejectedSayingItHoldsNothing() {
        new HandMadeSnapshot(service, container, "empty", "manifests").commit(EARLIER);

        JobPlan plan = planner.plan(new RestoreRequest(container, "empty", allowed.resolve("t").toString(), false,
                null));

        assertEquals("snapshot " + EARLIER + " of container '" + container + "', prefix 'empty' holds nothing to"
                + " restore", plan.error());
    }

    @Test
    void plan_targetOutsideTheWriteRootsOrThroughALink_rejectedWithOneMessage(@TempDir Path elsewhere) throws IOException {
        twoSnapshots();
        Path link = Files.createSymbolicLink(allowed.resolve("link"), elsewhere);
        for (Path target : List.of(elsewhere, elsewhere.resolve("new"), link, link.resolve("new"))) {
            JobPlan plan = planner.plan(new RestoreRequest(container, "snap", target.toString(), false, null));
            assertEquals("targetDirectory '" + target + "' is not a directory this app may write (it must be a folder"
                    + " under one of the configured write roots, reached without symbolic links)", plan.error());
        }
        assertEquals(List.of(), Files.list(elsewhere).toList());
    }

    @Test
    void plan_manifestContainerOrMissingContainer_rejected() {
        JobPlan fromManifests = planner(container).plan(new RestoreRequest(container, "site", allowed.toString(), false,
                null));
        JobPlan missing = planner.plan(new RestoreRequest("no-such-container", "site", allowed.toString(), false,
                null));

        assertTrue(fromManifests.error().startsWith("container '" + container + "' is reserved"), fromManifests.error());
        assertEquals("container 'no-such-container' does not exist", missing.error());
    }

    /** Only exact encodings of relative paths are planned; any other path of a manifest is reported, never written. */
    @Test
    void plan_pathsThatAreNotEncodingsOrNameNoVersion_reportedNotPlanned() {
        HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(service, container, "site", "manifests", EARLIER);
        FileEntry good = snapshot.file("back\\slash.", "k", 0644, 1_000L);
        for (String path : List.of("100%.txt", "a%41.txt", "low%5cercase.txt", "%2E%2E/x.txt", "x/../../up.txt",
                "/etc/passwd")) {
            snapshot.add(new FileEntry(path, 1, 1).withVersion(EARLIER, good.getContentMd5()));
        }
        snapshot.add(new FileEntry("no-version.txt", 1, 1));
        snapshot.commit(EARLIER);

        JobPlan plan = planner.plan(new RestoreRequest(container, "site", allowed.resolve("t").toString(), false, null));

        assertEquals(List.of("back%5Cslash%2E"), planned(plan).stream().map(FileEntry::getPath).toList());
        assertEquals(7, plan.problemCount());
        assertEquals(List.of("%2E%2E/x.txt", "/etc/passwd", "100%.txt", "a%41.txt", "low%5cercase.txt",
                "x/../../up.txt"), plan.problems().stream().filter(p -> p.getReason().equals(RestorePlanner.NOT_ENCODED))
                .map(FileProblem::getPath).sorted().toList());
        assertEquals(new FileProblem("no-version.txt", RestorePlanner.NO_VERSION), plan.problems().stream()
                .filter(p -> p.getPath().equals("no-version.txt")).findFirst().orElseThrow());
    }

    @Test
    void plan_snapshotLargerThanABatch_itsEntriesGoToTheManifestsBatches() {
        HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(service, container, "big", "manifests", EARLIER);
        for (int i = 0; i < 3; i++) {
            snapshot.file("f" + i, "content " + i, 0644, 1_000_000_000L * i);
        }
        snapshot.commit(EARLIER);
        service.getBlobContainerClient(container).getBlobClient("big/not-in-the-snapshot")
                .upload(BinaryData.fromString("x"));

        JobPlan plan = planner.plan(new RestoreRequest(container, "big", allowed.toString(), false, null));

        assertEquals(List.of(2, 3L), List.of(plan.batchCount(), plan.filesPlanned()));
        List<FileEntry> second = new ManifestStore(service, "manifests", 2, 1L << 20).readBatch(plan.manifest(), 1);
        assertEquals("f2", second.get(0).getPath());
        assertEquals(0644, second.get(0).getMode());
        assertEquals(EARLIER, second.get(0).getVersion(), "each entry names the run that holds its content");
    }
}
