package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.HandMadeSnapshot;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@AzuriteTest
class RestorePlannerTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "restore-plan-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path allowed;
    private RestorePlanner planner;

    @BeforeEach
    void setUp() throws IOException {
        planner = new RestorePlanner(service, SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(allowed), List.of()),
                new ManifestStore(service, "manifests", 2), new ProblemReport(service, "manifests"),
                new SnapshotStore(service, "manifests"));
        service.getBlobContainerClient(container).create();
        Path source = Files.createDirectories(allowed.resolve("source"));
        Files.writeString(source.resolve("b.txt"), "bb");
        Files.setLastModifiedTime(source.resolve("b.txt"), FileTime.fromMillis(1_500_000_000_000L));
        new BlobCopier(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)), "manifests")
                .copy(new CopyRequest(source.toString(), "b.txt", container, "site/b.txt"));
        service.getBlobContainerClient(container).getBlobClient("site/x/../../up.txt").upload(BinaryData.fromString("u"));
        service.getBlobContainerClient(container).getBlobClient("other/c.txt").upload(BinaryData.fromString("c"));
    }

    @Test
    void plan_blobsUnderPrefix_plannedWithRecordedMtimeAndDotDotRefused() {
        JobPlan plan = planner.plan(new RestoreRequest(container, "site", allowed.resolve("new/target").toString(), false, null));

        assertEquals(List.of(new FileEntry("b.txt", 2, 1_500_000_000_000L)), plan.getFiles());
        assertEquals(1, plan.getProblems().size());
        assertEquals("site/x/../../up.txt", plan.getProblems().get(0).getPath());
        assertEquals(allowed.resolve("new/target").toString(), plan.getDirectory());
        assertFalse(Files.exists(allowed.resolve("new")), "planning creates nothing");
    }

    /** Only exact encodings are planned: a name the rule would have written otherwise cannot name a file. */
    @Test
    void plan_blobNamesThatAreNotEncodings_refusedAndReported() {
        for (String name : List.of("site/100%.txt", "site/a%41.txt", "site/low%5cercase.txt", "site/%2E%2E/x.txt")) {
            service.getBlobContainerClient(container).getBlobClient(name).upload(BinaryData.fromString("n"));
        }
        service.getBlobContainerClient(container).getBlobClient("site/back%5Cslash%2E").upload(BinaryData.fromString("k"));

        JobPlan plan = planner.plan(new RestoreRequest(container, "site", allowed.resolve("t").toString(), false, null));

        assertEquals(List.of("b.txt", "back%5Cslash%2E"), plan.getFiles().stream().map(FileEntry::getPath).toList());
        assertEquals(List.of("site/%2E%2E/x.txt", "site/100%.txt", "site/a%41.txt", "site/low%5cercase.txt",
                "site/x/../../up.txt"), plan.getProblems().stream().map(p -> p.getPath()).sorted().toList());
        assertEquals(RestorePlanner.NOT_ENCODED, plan.getProblems().get(0).getReason());
    }

    @Test
    void plan_targetOutsideTheWriteRootsOrThroughALink_rejectedWithOneMessage(@TempDir Path elsewhere) throws IOException {
        Path link = Files.createSymbolicLink(allowed.resolve("link"), elsewhere);
        for (Path target : List.of(elsewhere, elsewhere.resolve("new"), link, link.resolve("new"))) {
            JobPlan plan = planner.plan(new RestoreRequest(container, "site", target.toString(), false, null));
            assertEquals("targetDirectory '" + target + "' is not a directory this app may write (it must be a folder"
                    + " under one of the configured write roots, reached without symbolic links)", plan.getError());
        }
        assertEquals(List.of(), Files.list(elsewhere).toList());
    }

    @Test
    void plan_manifestContainer_rejected() {
        RestorePlanner fromManifests = new RestorePlanner(service, SecureRoots.forWriting("BACKUP_WRITE_ROOTS",
                List.of(allowed), List.of()), new ManifestStore(service, container, 2), new ProblemReport(service, container),
                new SnapshotStore(service, container));
        JobPlan plan = fromManifests.plan(new RestoreRequest(container, "site", allowed.toString(), false, null));
        assertTrue(plan.getError().startsWith("container '" + container + "' is reserved"), plan.getError());
    }

    @Test
    void plan_missingContainer_rejected() {
        JobPlan plan = planner.plan(new RestoreRequest("no-such-container", "site", allowed.toString(), false, null));

        assertTrue(plan.getError().contains("does not exist"), plan.getError());
    }

    @Test
    void plan_moreBlobsThanOneSlice_goesToAManifest() {
        for (int i = 0; i < 3; i++) {
            service.getBlobContainerClient(container).getBlobClient("many/f" + i).upload(BinaryData.fromString("x"));
        }

        JobPlan plan = planner.plan(new RestoreRequest(container, "many", allowed.toString(), false, null));

        assertEquals(2, plan.getSliceCount());
        assertEquals(3, plan.getFilesPlanned());
        assertEquals(List.of(), plan.getFiles());
    }

    /** Two snapshots of prefix {@code snap}: the earlier with a.txt, a folder, a link and a missing file; the later with b.txt. */
    private List<FileEntry> twoSnapshots() {
        HandMadeSnapshot snapshot = new HandMadeSnapshot(service, container, "snap", "manifests");
        FileEntry a = snapshot.file("d/a.txt", "old a", 0640, 1_700_000_000_123_456_789L);
        snapshot.directory("d", 0750, 1_700_000_000_000_000_001L);
        snapshot.directory("empty", 0700, 1_700_000_000_000_000_002L);
        FileEntry link = snapshot.link("d/link", "../outside/x", 1_700_000_000_000_000_003L);
        snapshot.missing("d/gone.txt", "vanished while it was read");
        snapshot.commit(EARLIER);
        snapshot.clear();
        snapshot.file("b.txt", "later b", 0644, 1_700_000_100_000_000_000L);
        snapshot.commit(LATER);
        snapshot.blob("d/a.txt").upload(BinaryData.fromString("new content, after the snapshots"), true);
        return List.of(a, link);
    }

    private static final String EARLIER = "20261126T100000.000Z";
    private static final String LATER = "20261126T110000.000Z";

    @Test
    void plan_snapshot_itsFilesAndLinksAsRecordedFoldersLeftOutMissingReported() {
        List<FileEntry> recorded = twoSnapshots();

        JobPlan plan = planner.plan(new RestoreRequest(container, "snap", allowed.resolve("t").toString(), false, EARLIER,
                null, null));

        assertEquals(recorded, plan.getFiles(), "the manifest's entries, blob snapshot and attributes included");
        assertEquals(EARLIER, plan.getSnapshot());
        assertEquals(List.of(new FileProblem("d/gone.txt",
                "not in the snapshot: vanished while it was read; not restored")), plan.getProblems());
        assertEquals(List.of(2L, 1L), List.of(plan.getFilesPlanned(), plan.getProblemCount()));
    }

    @Test
    void plan_asOfBetweenTwoSnapshots_theEarlier() {
        twoSnapshots();

        JobPlan between = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false, null,
                "2026-11-26T10:59:59.999Z", null));
        JobPlan latest = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false, "latest", null,
                null));

        assertEquals(EARLIER, between.getSnapshot());
        assertEquals(List.of("d/a.txt", "d/link"), between.getFiles().stream().map(FileEntry::getPath).toList());
        assertEquals(LATER, latest.getSnapshot());
        assertEquals(List.of("b.txt"), latest.getFiles().stream().map(FileEntry::getPath).toList());
    }

    @Test
    void plan_unknownSnapshotOrNoneAtOrBeforeAsOf_rejectedNamingTheField() {
        twoSnapshots();

        JobPlan unknown = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false,
                "20261126T103000.000Z", null, null));
        JobPlan tooEarly = planner.plan(new RestoreRequest(container, "snap", allowed.toString(), false, null,
                "2026-11-26T09:59:59Z", null));
        JobPlan noneYet = planner.plan(new RestoreRequest(container, "site", allowed.toString(), false, "latest", null,
                null));

        assertEquals("snapshot '20261126T103000.000Z' is not a snapshot of container '" + container + "', prefix 'snap'",
                unknown.getError());
        assertEquals("asOf '2026-11-26T09:59:59Z': no snapshot of container '" + container + "', prefix 'snap' was"
                + " taken at or before it", tooEarly.getError());
        assertEquals("snapshot 'latest': container '" + container + "', prefix 'site' has no snapshot yet",
                noneYet.getError());
    }

    @Test
    void plan_snapshotLargerThanASlice_itsEntriesGoToTheManifestSlices() {
        HandMadeSnapshot snapshot = new HandMadeSnapshot(service, container, "big", "manifests");
        for (int i = 0; i < 3; i++) {
            snapshot.file("f" + i, "content " + i, 0644, 1_000_000_000L * i);
        }
        snapshot.commit(EARLIER);

        JobPlan plan = planner.plan(new RestoreRequest(container, "big", allowed.toString(), false, EARLIER, null, null));

        assertEquals(List.of(2, 3L), List.of(plan.getSliceCount(), plan.getFilesPlanned()));
        List<FileEntry> second = new ManifestStore(service, "manifests", 2).read(plan.getManifest(), 1);
        assertEquals("f2", second.get(0).getPath());
        assertEquals(0644, second.get(0).getMode());
        assertTrue(second.get(0).getVersion() != null, "each entry names its blob snapshot");
    }
}
