package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.testing.HandMadeSnapshot;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@AzuriteTest
class BlobRestorerTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private BlobRestorer restorer;
    private BlobCopier copier;
    private final String container = "restorer-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path source;
    @TempDir
    Path target;

    @BeforeEach
    void backUpOneFile() throws IOException {
        restorer = new BlobRestorer(service, SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target), List.of()),
                "manifests");
        service.getBlobContainerClient(container).create();
        Files.writeString(source.resolve("a.txt"), "alpha content");
        Files.setLastModifiedTime(source.resolve("a.txt"), FileTime.fromMillis(1_600_000_000_123L));
        Files.setPosixFilePermissions(source.resolve("a.txt"), PosixFilePermissions.fromString("rw-r-----"));
        copier = new BlobCopier(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(source)), "manifests");
        copier.copy(new CopyRequest(source.toString(), "a.txt", container, "p/a.txt"));
    }

    @Test
    void restore_newFile_sameBytesRecordedMtimeAndPermissionsNoTemporaryLeft() throws IOException {
        FileOutcome result = restorer.restore(request("dir/a.txt", false));

        assertNull(result.getProblem());
        assertNull(result.getWarning());
        assertEquals(13, result.getBytes());
        assertEquals("alpha content", Files.readString(target.resolve("dir/a.txt")));
        assertEquals(1_600_000_000_123L, Files.getLastModifiedTime(target.resolve("dir/a.txt")).toMillis());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("dir/a.txt"))));
        try (Stream<Path> files = Files.walk(target)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "only the restored file");
        }
    }

    @Test
    void restore_existingDifferentFileWithoutOverwrite_reportedAndKept() throws IOException {
        Files.writeString(target.resolve("a.txt"), "mine");

        FileOutcome result = restorer.restore(request("a.txt", false));

        assertTrue(result.getProblem().contains("not overwritten"), result.getProblem());
        assertEquals("mine", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void restore_existingDifferentFileWithOverwrite_replaced() throws IOException {
        Files.writeString(target.resolve("a.txt"), "mine");

        FileOutcome result = restorer.restore(request("a.txt", true));

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void restore_overwrite_replacesTheFileByRenameNeverRewritesItInPlace() throws IOException {
        Files.writeString(target.resolve("a.txt"), "mine");
        Path otherNameOfTheOldFile = Files.createLink(target.resolve("old-link"), target.resolve("a.txt"));

        FileOutcome result = restorer.restore(request("a.txt", true));

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
        assertEquals("mine", Files.readString(otherNameOfTheOldFile), "the old file was swapped, not truncated and rewritten");
        assertEquals(List.of(), temporaries(), "no temporary file left");
    }

    @Test
    void restore_corruptedBlob_reportedAndTemporaryDeleted() throws IOException {
        service.getBlobContainerClient(container).getBlobClient("p/a.txt")
                .setHttpHeaders(new BlobHttpHeaders().setContentMd5(new byte[16]));

        FileOutcome result = restorer.restore(request("a.txt", false));

        assertTrue(result.getProblem().startsWith("corrupted"), result.getProblem());
        assertFalse(Files.exists(target.resolve("a.txt")));
        assertEquals(List.of(), temporaries(), "the temporary file is deleted");
    }

    @Test
    void restore_existingFolderOfThatNameWithOverwrite_reportedAndKept() throws IOException {
        Files.createDirectories(target.resolve("a.txt/inner"));

        FileOutcome result = restorer.restore(request("a.txt", true));

        assertTrue(result.getProblem().contains("a folder of that name exists"), result.getProblem());
        assertTrue(Files.isDirectory(target.resolve("a.txt/inner")));
    }

    @Test
    void restore_fileWhereAFolderShouldBe_reportedNotThrown() throws IOException {
        Files.writeString(target.resolve("dir"), "a file, not a folder");

        FileOutcome result = restorer.restore(request("dir/a.txt", true));

        assertEquals("refused: 'dir' on the way: a file, not a folder; not replaced", result.getProblem());
        assertEquals("a file, not a folder", Files.readString(target.resolve("dir")));
    }

    @Test
    void restore_brokenLinkOnTheWay_refused() throws IOException {
        Files.createSymbolicLink(target.resolve("dangling"), target.resolveSibling("no-such-folder-" + UUID.randomUUID()));

        FileOutcome result = restorer.restore(request("dangling/a.txt", false));

        assertEquals("refused: 'dangling' on the way: symbolic link, not followed; not replaced", result.getProblem());
    }

    /** Even a link that stays inside is not followed: no link between the target and the file, ever. */
    @Test
    void restore_linkOnTheWayThatStaysInside_refused() throws IOException {
        Files.createDirectories(target.resolve("real"));
        Files.createSymbolicLink(target.resolve("alias"), target.resolve("real"));

        FileOutcome result = restorer.restore(request("alias/a.txt", false));

        assertEquals("refused: 'alias' on the way: symbolic link, not followed; not replaced", result.getProblem());
        assertFalse(Files.exists(target.resolve("real/a.txt")));
    }

    @Test
    void restore_twice_secondFindsItRestoredAlready() throws IOException {
        restorer.restore(request("a.txt", false));

        FileOutcome again = restorer.restore(request("a.txt", false));

        assertNull(again.getProblem(), "a duplicate delivery is not a problem");
        assertEquals(13, again.getBytes());
    }

    @Test
    void restore_concurrentDeliveriesOfOneRestore_everyOneReportsItRestoredAtOnceOrWhenRetried() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        int retried = 0;
        try {
            List<Future<FileOutcome>> deliveries = new ArrayList<>();
            RestoreFileRequest race = request("race/a.txt", false);
            for (int i = 0; i < 8; i++) {
                deliveries.add(threads.submit(() -> restorer.restore(race)));
            }
            for (Future<FileOutcome> delivery : deliveries) {
                FileOutcome outcome;
                try {
                    outcome = delivery.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // Caught between another delivery's claim and its rename: retried, as the fan-out does.
                    assertTrue(e.getCause().getMessage().contains("is being restored by another delivery"),
                            e.getCause().toString());
                    retried++;
                    outcome = restorer.restore(race);
                }
                assertNull(outcome.getProblem(), "a delivery that loses the race finds the same content");
            }
        } finally {
            threads.shutdownNow();
        }
        System.out.printf("8 concurrent deliveries: %d caught another's claim and were retried%n", retried);
        assertEquals("alpha content", Files.readString(target.resolve("race/a.txt")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_pathWithDotDot_refusedNothingWritten() throws IOException {
        FileOutcome result = restorer.restore(request("../escape.txt", false));

        assertTrue(result.getProblem().startsWith("refused: '../escape.txt' is not an encoded file name"),
                result.getProblem());
        assertFalse(Files.exists(target.resolveSibling("escape.txt")));
    }

    @Test
    void restore_folderOnTheWayLinksOutside_refused(@TempDir Path outside) throws IOException {
        Files.createSymbolicLink(target.resolve("link"), outside);

        FileOutcome result = restorer.restore(request("link/a.txt", false));

        assertEquals("refused: 'link' on the way: symbolic link, not followed; not replaced", result.getProblem());
        assertFalse(Files.exists(outside.resolve("a.txt")));
    }

    @Test
    void restore_newFolderBelowALinkLeadingOutside_refusedAndNothingCreatedOutside(@TempDir Path outside) throws IOException {
        Files.createSymbolicLink(target.resolve("link"), outside);

        FileOutcome result = restorer.restore(request("link/new/deeper/a.txt", false));

        assertEquals("refused: 'link' on the way: symbolic link, not followed; not replaced", result.getProblem());
        try (Stream<Path> entries = Files.list(outside)) {
            assertEquals(List.of(), entries.toList(), "no folder created outside the target");
        }
    }

    @Test
    void restore_blobGone_reportedNotThrown() {
        RestoreFileRequest gone = new RestoreFileRequest(container, "p/missing.txt", target.toString(), "missing.txt", false);

        FileOutcome result = restorer.restore(gone);

        assertTrue(result.getProblem().contains("vanished"), result.getProblem());
    }

    /** A blob without Content-MD5 is restored, but never reported as a plain success. */
    @Test
    void restore_blobWithoutContentMd5_restoredAndReportedUnverified() throws IOException {
        service.getBlobContainerClient(container).getBlobClient("p/a.txt").setHttpHeaders(new BlobHttpHeaders());

        FileOutcome result = restorer.restore(request("a.txt", false));
        FileOutcome again = restorer.restore(request("a.txt", false));

        assertTrue(result.isDone());
        assertEquals(13, result.getBytes());
        assertEquals(BlobRestorer.UNVERIFIED, result.getWarning());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
        assertTrue(again.isDone(), "a duplicate delivery finds the same content");
        assertEquals(BlobRestorer.UNVERIFIED, again.getWarning());
    }

    /** A blob written by something else than a backup records no permissions: the file gets rw-r--r--. */
    @Test
    void restore_blobWithoutRecordedPermissions_rwRR() throws IOException {
        service.getBlobContainerClient(container).getBlobClient("p/plain.txt")
                .upload(com.azure.core.util.BinaryData.fromString("plain"));

        FileOutcome result = restorer.restore(new RestoreFileRequest(container, "p/plain.txt", target.toString(),
                "plain.txt", false));

        assertTrue(result.isDone(), result.getProblem());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("plain.txt"))));
    }

    /** Another delivery has claimed the name and is about to rename its file there: retried, the claim kept. */
    @Test
    void restore_nameClaimedByAnotherDeliveryThisMoment_throwsToBeRetriedAndTheClaimKept() throws IOException {
        Files.createFile(target.resolve("a.txt"), PosixFilePermissions.asFileAttribute(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));

        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> restorer.restore(request("a.txt", false)));

        assertEquals("'a.txt' is being restored by another delivery at this moment; tried again later", e.getMessage());
        assertEquals(0, Files.size(target.resolve("a.txt")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_claimLeftByADeliveryThatDied_takenOver() throws IOException {
        Path claim = Files.createFile(target.resolve("a.txt"), PosixFilePermissions.asFileAttribute(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
        Files.setLastModifiedTime(claim, FileTime.from(java.time.Instant.now().minusSeconds(120)));

        FileOutcome result = restorer.restore(request("a.txt", false));

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void restore_encodedNames_fileGetsTheNameTheBlobStandsFor() throws IOException {
        FileOutcome result = restorer.restore(request("back%5Cslash%2E/new%0Aline", false));

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("back\\slash./new\nline")));
    }

    @Test
    void restore_targetOutsideTheWriteRootsOrIntoTheCodeDirectory_refusedNothingWritten(@TempDir Path outside)
            throws IOException {
        Path code = Files.createDirectories(target.resolve("wwwroot"));
        BlobRestorer guarded = new BlobRestorer(service, SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target),
                List.of(code)), "manifests");
        for (Path refused : List.of(outside, outside.resolve("etc/cron.d"), code, code.resolve("lib"))) {
            FileOutcome result = guarded.restore(new RestoreFileRequest(container, "p/a.txt", refused.toString(),
                    "a.txt", true));
            assertTrue(result.getProblem().startsWith("refused: targetDirectory '" + refused + "' is not a directory this"
                    + " app may write"), result.getProblem());
        }
        FileOutcome below = guarded.restore(request("wwwroot/app.jar", true));
        assertEquals("refused: 'wwwroot' on the way: the app's code directory is never written; not replaced",
                below.getProblem());
        assertEquals(List.of(), Files.list(outside).toList());
        assertEquals(List.of(), Files.list(code).toList());
    }

    @Test
    void restore_manifestContainerOrBlobNotThePath_refused() {
        for (RestoreFileRequest refused : List.of(
                new RestoreFileRequest("manifests", "p/a.txt", target.toString(), "a.txt", false),
                new RestoreFileRequest("azure-webjobs-secrets", "host.json", target.toString(), "host.json", false),
                new RestoreFileRequest(container, "p/a.txt", target.toString(), "b.txt", false))) {
            assertTrue(restorer.restore(refused).getProblem().startsWith("refused: "), refused.getBlobName());
        }
    }

    /** A file of a snapshot, its base blob overwritten since: the snapshot's bytes, mode, ns mtime and owner. */
    @Test
    void restore_snapshotFile_itsBlobSnapshotsBytesAndRecordedAttributesAfterTheBaseBlobChanged() throws IOException {
        HandMadeSnapshot snapshot = new HandMadeSnapshot(service, container, "snap", "manifests");
        FileEntry old = snapshot.file("d/old.txt", "the old bytes", 0604, 1_600_000_000_123_456_789L);
        snapshot.blob("d/old.txt").upload(com.azure.core.util.BinaryData.fromString("new bytes"), true);

        FileOutcome result = restorer.restore(snapshotRequest(old, false));

        assertNull(result.getProblem());
        assertNull(result.getWarning());
        Path restored = target.resolve("d/old.txt");
        assertEquals("the old bytes", Files.readString(restored));
        assertEquals(1_600_000_000_123_456_789L, Files.getLastModifiedTime(restored).to(TimeUnit.NANOSECONDS));
        assertEquals("rw----r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored)));
        if (SecureDirectory.canSetOwner()) {
            Map<String, Object> owner = Files.readAttributes(restored, "unix:uid,gid");
            assertEquals(List.of((int) HandMadeSnapshot.UID, (int) HandMadeSnapshot.GID),
                    List.of(owner.get("uid"), owner.get("gid")));
        }
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_snapshotFileWhoseContentIsNotTheRecordedMd5_corruptedNothingWritten() throws IOException {
        HandMadeSnapshot snapshot = new HandMadeSnapshot(service, container, "snap", "manifests");
        FileEntry recorded = snapshot.file("x.txt", "recorded", 0644, 1_000L);
        FileEntry otherMd5 = recorded.withVersion(recorded.getVersion(), "AAAAAAAAAAAAAAAAAAAAAA==");

        FileOutcome result = restorer.restore(snapshotRequest(otherMd5, false));

        assertEquals(BlobRestorer.CORRUPTED_SNAPSHOT, result.getProblem());
        assertFalse(Files.exists(target.resolve("x.txt")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_snapshotFileWhoseBlobSnapshotIsGone_reportedNamingIt() throws IOException {
        HandMadeSnapshot snapshot = new HandMadeSnapshot(service, container, "snap", "manifests");
        FileEntry recorded = snapshot.file("x.txt", "recorded", 0644, 1_000L);
        snapshot.blob("x.txt").getSnapshotClient(recorded.getVersion()).delete();

        FileOutcome result = restorer.restore(snapshotRequest(recorded, false));

        assertEquals("the blob snapshot " + recorded.getVersion() + " that holds it is gone; not restored",
                result.getProblem());
    }

    @Test
    void restore_snapshotEntryThatIsAFolderOrNamesNoVersion_refused() {
        FileEntry folder = new FileEntry("d", 0, 1).withAttributes(EntryType.DIRECTORY, null, 0755, null, null, null);
        FileEntry noVersion = new FileEntry("x.txt", 1, 1).withAttributes(EntryType.FILE, null, 0644, null, null, null);
        FileEntry badMd5 = new FileEntry("x.txt", 1, 1).withVersion("2026-11-26T10:00:00.0000000Z", "not base64!");

        assertTrue(restorer.restore(snapshotRequest(folder, false)).getProblem().contains("folders are made once"));
        assertTrue(restorer.restore(snapshotRequest(noVersion, false)).getProblem().contains("names no blob snapshot"));
        assertTrue(restorer.restore(snapshotRequest(badMd5, false)).getProblem().contains("not an MD5 in base64"));
    }

    /** A snapshot's link: made as a link to its recorded target, which is never followed or written. */
    @Test
    void restore_snapshotLink_madeAsALinkWithItsTargetNothingWrittenThrough(@TempDir Path outside) throws IOException {
        Path victim = Files.writeString(outside.resolve("victim"), "untouched");
        HandMadeSnapshot snapshot = new HandMadeSnapshot(service, container, "snap", "manifests");
        FileEntry link = snapshot.link("d/to-victim", victim.toString(), 1_600_000_000_123_456_000L);

        FileOutcome result = restorer.restore(snapshotRequest(link, true));

        assertNull(result.getProblem());
        assertEquals(victim.toString().length(), result.getBytes());
        assertEquals(victim, Files.readSymbolicLink(target.resolve("d/to-victim")));
        assertEquals("untouched", Files.readString(victim));
        assertEquals(1_600_000_000_123_456_000L, Files.getLastModifiedTime(target.resolve("d/to-victim"),
                java.nio.file.LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS), "the link's own mtime, to the µs");
    }

    private RestoreFileRequest snapshotRequest(FileEntry entry, boolean overwrite) {
        return new RestoreFileRequest(container, "snap/" + entry.getPath(), target.toString(), entry.getPath(),
                overwrite, entry);
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> all = Files.walk(target)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".restoring-")).toList();
        }
    }

    /**
     * The request that restores the blob {@code p/<path>}, backed up first (if it is not yet) from a copy of
     * {@code a.txt} (same bytes, mtime and permissions) at the path the encoded {@code path} stands for.
     */
    private RestoreFileRequest request(String path, boolean overwrite) throws IOException {
        Path relative;
        try {
            relative = PathCodec.decodePath(path);
        } catch (IllegalArgumentException notAPath) {
            return new RestoreFileRequest(container, "p/" + path, target.toString(), path, overwrite);
        }
        if (!service.getBlobContainerClient(container).getBlobClient("p/" + path).exists()) {
            Path file = source.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.copy(source.resolve("a.txt"), file, StandardCopyOption.COPY_ATTRIBUTES);
            assertNull(copier.copy(new CopyRequest(source.toString(), path, container, "p/" + path)).getProblem());
        }
        return new RestoreFileRequest(container, "p/" + path, target.toString(), path, overwrite);
    }
}
