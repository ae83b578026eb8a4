package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The folders of a hand-made snapshot finished in a real temp tree, after its files are in place. */
@AzuriteTest
@Timeout(120)
class DirectoryRestorerTest {
    private static final String ID = "20261126T100000.000Z";
    private static final String REPORT = "reports/finish-test-1.jsonl";

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "folders-" + UUID.randomUUID().toString().substring(0, 8);
    private final String manifests = "manifests-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path allowed;
    private Path target;
    private DirectoryRestorer restorer;
    private HandMadeSnapshot snapshot;

    @BeforeEach
    void setUp() {
        target = allowed.resolve("target");
        restorer = new DirectoryRestorer(new SnapshotStore(service, manifests),
                SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(allowed), List.of()),
                new ProblemReport(service, manifests), manifests);
        snapshot = new HandMadeSnapshot(service, container, "site", manifests);
    }

    private FanOutSummary finish() {
        return restorer.finish(new RestoreRequest(container, "site", target.toString(), false, null, null, REPORT)
                .withSnapshot(ID), null);
    }

    /**
     * Folders nested three deep (the middle one read-only), an empty one and a file already restored: every folder
     * exists with its recorded mode and mtime to the nanosecond. Finishing a folder before the folders inside it were
     * made would leave it the mtime of their creation, and a read-only folder finished first would refuse them.
     */
    @Test
    void finish_nestedAndEmptyFolders_madeWithTheirRecordedModeAndNanosecondMtimeDeepestFirst() throws IOException {
        snapshot.directory("a", 0755, 1_600_000_000_000_000_001L);
        snapshot.directory("a/b", 0555, 1_600_000_000_000_000_002L);
        snapshot.directory("a/b/c", 0700, 1_600_000_000_000_000_003L);
        snapshot.file("a/b/f.txt", "restored before", 0644, 1_600_000_000_000_000_004L);
        snapshot.directory("a.d", 0750, 1_600_000_000_000_000_005L);
        snapshot.directory("empty", 0711, 1_600_000_000_000_000_006L);
        snapshot.commit(ID);
        Files.createDirectories(target.resolve("a/b"));
        Files.writeString(target.resolve("a/b/f.txt"), "restored before");

        FanOutSummary summary = finish();

        assertEquals(0, summary.problemCount(), summary.problems().toString());
        Map<String, String> modes = Map.of("a", "rwxr-xr-x", "a/b", "r-xr-xr-x", "a/b/c", "rwx------",
                "a.d", "rwxr-x---", "empty", "rwx--x--x");
        long nanos = 1_600_000_000_000_000_001L;
        for (String folder : List.of("a", "a/b", "a/b/c")) {
            assertEquals(modes.get(folder), PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve(folder))),
                    folder);
            assertEquals(nanos++, Files.getLastModifiedTime(target.resolve(folder)).to(TimeUnit.NANOSECONDS), folder);
        }
        assertEquals(1_600_000_000_000_000_006L, Files.getLastModifiedTime(target.resolve("empty")).to(TimeUnit.NANOSECONDS));
        assertEquals(List.of(), Files.list(target.resolve("empty")).toList());
        assertEquals("restored before", Files.readString(target.resolve("a/b/f.txt")));
        if (SecureDirectory.canSetOwner()) {
            Map<String, Object> owner = Files.readAttributes(target.resolve("a/b/c"), "unix:uid,gid");
            assertEquals(List.of((int) HandMadeSnapshot.UID, (int) HandMadeSnapshot.GID),
                    List.of(owner.get("uid"), owner.get("gid")));
        }
        Files.setPosixFilePermissions(target.resolve("a/b"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void finish_aFileOrALinkWhereAFolderShouldBe_problemsNamingThemNothingMadeOutside(@TempDir Path outside)
            throws IOException {
        snapshot.directory("blocked", 0755, 1_000_000L);
        snapshot.directory("linked", 0755, 1_000_000L);
        snapshot.directory("linked/inner", 0755, 1_000_000L);
        snapshot.directory("ok", 0700, 2_000_000L);
        snapshot.commit(ID);
        Files.createDirectories(target);
        Files.writeString(target.resolve("blocked"), "a file");
        Files.createSymbolicLink(target.resolve("linked"), outside);

        FanOutSummary summary = finish();

        List<FileProblem> reported = new ProblemReport(service, manifests).read(REPORT);
        assertEquals(3, summary.problemCount(), reported.toString());
        assertEquals(summary.problems(), reported, "every problem is in the run's report");
        assertEquals(List.of("blocked", "linked", "linked/inner"), reported.stream().map(FileProblem::getPath).toList());
        assertTrue(reported.get(0).getReason().startsWith("refused: 'blocked' on the way: a file"), reported.toString());
        assertTrue(reported.get(1).getReason().contains("symbolic link, not followed"), reported.toString());
        assertEquals(List.of(), Files.list(outside).toList());
        assertEquals("a file", Files.readString(target.resolve("blocked")));
        assertEquals(2_000_000L, Files.getLastModifiedTime(target.resolve("ok")).to(TimeUnit.NANOSECONDS));
    }

    @Test
    void finish_unknownSnapshotOrNoIdOrTargetOutsideTheRoots_refusedAsOneProblem(@TempDir Path outside)
            throws IOException {
        snapshot.directory("d", 0755, 1_000_000L);
        snapshot.commit(ID);
        FanOutSummary unknown = restorer.finish(new RestoreRequest(container, "site", target.toString(), false, null)
                .withSnapshot("20261126T090000.000Z"), null);
        FanOutSummary noId = restorer.finish(new RestoreRequest(container, "site", target.toString(), false, null), null);
        FanOutSummary elsewhere = restorer.finish(new RestoreRequest(container, "site", outside.toString(), false, null)
                .withSnapshot(ID), null);

        for (FanOutSummary refused : List.of(unknown, noId, elsewhere)) {
            assertEquals(1, refused.problemCount());
            assertEquals(FinishDirectories.EVERY_FOLDER, refused.problems().get(0).getPath());
        }
        assertEquals("refused: snapshot '20261126T090000.000Z' is not a snapshot of container '" + container + "', prefix 'site'",
                unknown.problems().get(0).getReason());
        assertTrue(noId.problems().get(0).getReason().contains("snapshot is required"));
        assertTrue(elsewhere.problems().get(0).getReason().contains("is not a directory this app may write"));
        assertEquals(List.of(), Files.list(outside).toList());
    }
}
