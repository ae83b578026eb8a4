package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.CountingRequests;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Restores entries of hand-made snapshots on Azurite into real temp trees, and reads the bytes back. */
@AzuriteTest
@Timeout(120)
class BlobRestorerTest {
    private static final String RUN = "20261201T100000.000Z";
    private static final String LATER_RUN = "20261202T100000.000Z";
    private static final long MTIME = 1_600_000_000_123_456_789L;

    private final BlobServiceClient service = Azurite.shared().client();
    private final CountingRequests requests = new CountingRequests();
    private final String container = "restorer-" + UUID.randomUUID().toString().substring(0, 8);
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private BlobRestorer restorer;
    private HandMadeSnapshot snapshot;

    @TempDir
    Path target;

    @BeforeEach
    void setUp() {
        restorer = new BlobRestorer(requests.client(), SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target),
                List.of()), "manifests");
        snapshot = HandMadeSnapshot.ofRun(service, container, "p", "manifests", RUN);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private RestoreJob job(boolean overwrite) {
        return new RestoreJob(target.toString(), container, "p", RUN, overwrite, null);
    }

    /** The entry of {@code path} (a path as text), its blob uploaded by run {@link #RUN} with "alpha content". */
    private FileEntry file(String path) {
        return snapshot.file(path, "alpha content", 0640, MTIME);
    }

    @Test
    void restore_newFile_sameBytesModeNanosecondMtimeAndOwnerFromOneRequestNoTemporaryLeft() throws IOException {
        FileEntry entry = file("dir/a.txt");
        requests.reset();

        FileOutcome result = restorer.restore(job(false), entry);

        assertNull(result.getProblem());
        assertNull(result.getWarning());
        assertEquals(13, result.getBytes());
        Path restored = target.resolve("dir/a.txt");
        assertEquals("alpha content", Files.readString(restored));
        assertEquals(MTIME, Files.getLastModifiedTime(restored).to(TimeUnit.NANOSECONDS));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored)));
        if (SecureDirectory.canSetOwner()) {
            Map<String, Object> owner = Files.readAttributes(restored, "unix:uid,gid");
            assertEquals(List.of((int) HandMadeSnapshot.UID, (int) HandMadeSnapshot.GID),
                    List.of(owner.get("uid"), owner.get("gid")));
        }
        assertEquals(1, requests.to(container).size(), "one Download: " + requests.to(container));
        try (Stream<Path> files = Files.walk(target)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "only the restored file");
        }
    }

    @Test
    void restore_existingDifferentFileWithoutOverwrite_reportedAndKept() throws IOException {
        FileEntry entry = file("a.txt");
        Files.writeString(target.resolve("a.txt"), "mine");

        FileOutcome result = restorer.restore(job(false), entry);

        assertEquals(BlobRestorer.NOT_OVERWRITTEN, result.getProblem());
        assertEquals("mine", Files.readString(target.resolve("a.txt")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_overwrite_replacesTheFileByRenameNeverRewritesItInPlace() throws IOException {
        FileEntry entry = file("a.txt");
        Files.writeString(target.resolve("a.txt"), "mine");
        Path otherNameOfTheOldFile = Files.createLink(target.resolve("old-link"), target.resolve("a.txt"));

        FileOutcome result = restorer.restore(job(true), entry);

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
        assertEquals("mine", Files.readString(otherNameOfTheOldFile), "the old file was swapped, not truncated and rewritten");
        assertEquals(List.of(), temporaries(), "no temporary file left");
    }

    @Test
    void restore_contentNotTheRecordedMd5_corruptedNothingWrittenTemporaryDeleted() throws IOException {
        FileEntry recorded = file("a.txt");
        FileEntry otherMd5 = recorded.withVersion(RUN, "AAAAAAAAAAAAAAAAAAAAAA==");

        FileOutcome result = restorer.restore(job(false), otherMd5);

        assertEquals(BlobRestorer.CORRUPTED_SNAPSHOT, result.getProblem());
        assertFalse(Files.exists(target.resolve("a.txt")));
        assertEquals(List.of(), temporaries(), "the temporary file is deleted");
    }

    @Test
    void restore_existingFolderOfThatNameWithOverwrite_reportedAndKept() throws IOException {
        FileEntry entry = file("a.txt");
        Files.createDirectories(target.resolve("a.txt/inner"));

        FileOutcome result = restorer.restore(job(true), entry);

        assertEquals("a folder of that name exists; not replaced", result.getProblem());
        assertTrue(Files.isDirectory(target.resolve("a.txt/inner")));
    }

    @Test
    void restore_fileWhereAFolderShouldBe_refusedNotThrown() throws IOException {
        FileEntry entry = file("dir/a.txt");
        Files.writeString(target.resolve("dir"), "a file, not a folder");

        FileOutcome result = restorer.restore(job(true), entry);

        assertEquals("refused: 'dir' on the way: a file, not a folder; not replaced", result.getProblem());
        assertEquals("a file, not a folder", Files.readString(target.resolve("dir")));
    }

    /** A link on the way is never followed: dangling, staying inside, leading outside, or above new folders. */
    @Test
    void restore_linkOnTheWay_refusedWhereverItLeadsNothingWrittenThroughIt(@TempDir Path outside) throws IOException {
        Files.createSymbolicLink(target.resolve("dangling"), target.resolveSibling("no-such-" + UUID.randomUUID()));
        Files.createDirectories(target.resolve("real"));
        Files.createSymbolicLink(target.resolve("alias"), target.resolve("real"));
        Files.createSymbolicLink(target.resolve("out"), outside);

        for (String path : List.of("dangling/a.txt", "alias/a.txt", "out/a.txt", "out/new/deeper/a.txt")) {
            FileOutcome result = restorer.restore(job(true), file(path));
            String link = path.substring(0, path.indexOf('/'));
            assertEquals("refused: '" + link + "' on the way: symbolic link, not followed; not replaced",
                    result.getProblem(), path);
        }
        assertFalse(Files.exists(target.resolve("real/a.txt")));
        try (Stream<Path> entries = Files.list(outside)) {
            assertEquals(List.of(), entries.toList(), "nothing created outside the target");
        }
    }

    @Test
    void restore_twice_secondFindsItRestoredAlready() throws IOException {
        FileEntry entry = file("a.txt");
        restorer.restore(job(false), entry);

        FileOutcome again = restorer.restore(job(false), entry);

        assertNull(again.getProblem(), "a duplicate delivery is not a problem");
        assertEquals(13, again.getBytes());
    }

    @Test
    void restore_concurrentDeliveriesOfOneFile_everyOneReportsItRestoredAtOnceOrWhenRetried() throws Exception {
        FileEntry race = file("race/a.txt");
        int retried = 0;
        List<Future<FileOutcome>> deliveries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            deliveries.add(pool.submit(() -> restorer.restore(job(false), race)));
        }
        for (Future<FileOutcome> delivery : deliveries) {
            FileOutcome outcome;
            try {
                outcome = delivery.get();
            } catch (ExecutionException e) {
                // Caught between another delivery's claim and its rename: retried, as the fan-out does.
                assertTrue(e.getCause().getMessage().contains("is being restored by another delivery"),
                        e.getCause().toString());
                retried++;
                outcome = restorer.restore(job(false), race);
            }
            assertNull(outcome.getProblem(), "a delivery that loses the race finds the same content");
        }
        System.out.printf("8 concurrent deliveries: %d caught another's claim and were retried%n", retried);
        assertEquals("alpha content", Files.readString(target.resolve("race/a.txt")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_pathWithDotDotOrAbsolute_refusedNothingWritten() throws IOException {
        FileEntry entry = file("a.txt");
        for (String path : List.of("../escape.txt", "/etc/escape.txt", "d/../../escape.txt")) {
            FileOutcome result = restorer.restore(job(true), new FileEntry(path, 13, 0).withVersion(RUN,
                    entry.getContentMd5()));
            assertTrue(result.getProblem().startsWith("refused: '" + path + "' is not an encoded file name"),
                    result.getProblem());
        }
        assertFalse(Files.exists(target.resolveSibling("escape.txt")));
        assertFalse(Files.exists(Path.of("/etc/escape.txt")));
    }

    @Test
    void restore_storedVersionGone_reportedNamingTheRun() {
        FileEntry entry = file("gone.txt");
        snapshot.blob("gone.txt").delete();

        FileOutcome result = restorer.restore(job(false), entry);

        assertEquals("no stored version of run " + RUN + " is left (deleted by retention or by hand); not restored",
                result.getProblem());
    }

    /** Copy on write: a later run replaced the blob, its earlier content is in a blob snapshot tagged with the run. */
    @Test
    void restore_blobReplacedByALaterRun_theRunsContentFromItsBlobSnapshotInThreeRequests() throws IOException {
        FileEntry entry = file("d/kept.txt");
        snapshot.replaceByLaterRun("d/kept.txt", "the later run's bytes", LATER_RUN);
        requests.reset();

        FileOutcome result = restorer.restore(job(false), entry);

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("d/kept.txt")));
        assertEquals(3, requests.to(container).size(), "the blob's Download (another run's tag), one listing of the"
                + " name, the blob snapshot's Download: " + requests.to(container));
    }

    /** An entry without an MD5 is restored, but never reported as a plain success. */
    @Test
    void restore_entryWithoutMd5_restoredAndReportedUnverifiedEveryTime() throws IOException {
        FileEntry entry = file("a.txt").withVersion(RUN, null);

        FileOutcome result = restorer.restore(job(false), entry);
        FileOutcome again = restorer.restore(job(false), entry);

        assertTrue(result.isDone());
        assertEquals(13, result.getBytes());
        assertEquals(BlobRestorer.UNVERIFIED, result.getWarning());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
        assertTrue(again.isDone(), "a duplicate delivery finds the file");
        assertEquals(BlobRestorer.UNVERIFIED, again.getWarning());
    }

    /** An entry that records no permissions: the file gets rw-r--r--, not the temporary file's rw-------. */
    @Test
    void restore_entryWithoutMode_rwRR() throws IOException {
        FileEntry recorded = file("plain.txt");
        FileEntry noMode = new FileEntry(recorded.getPath(), recorded.getSize(), recorded.getLastModified(),
                recorded.getContentMd5()).withVersion(RUN, recorded.getContentMd5());

        FileOutcome result = restorer.restore(job(false), noMode);

        assertTrue(result.isDone(), result.getProblem());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("plain.txt"))));
    }

    /** Another delivery has claimed the name and is about to rename its file there: retried, the claim kept. */
    @Test
    void restore_nameClaimedByAnotherDeliveryThisMoment_throwsToBeRetriedAndTheClaimKept() throws IOException {
        FileEntry entry = file("a.txt");
        Files.createFile(target.resolve("a.txt"), PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_WRITE)));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> restorer.restore(job(false), entry));

        assertEquals("'a.txt' is being restored by another delivery at this moment; tried again later", e.getMessage());
        assertEquals(0, Files.size(target.resolve("a.txt")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_claimLeftByADeliveryThatDied_takenOver() throws IOException {
        FileEntry entry = file("a.txt");
        Path claim = Files.createFile(target.resolve("a.txt"),
                PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_WRITE)));
        Files.setLastModifiedTime(claim, FileTime.from(Instant.now().minusSeconds(120)));

        FileOutcome result = restorer.restore(job(false), entry);

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void restore_encodedNames_fileGetsTheNameTheEntryStandsFor() throws IOException {
        FileEntry entry = file("back\\slash./new\nline");
        assertEquals("back%5Cslash%2E/new%0Aline", entry.getPath());

        FileOutcome result = restorer.restore(job(false), entry);

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("back\\slash./new\nline")));
    }

    @Test
    void restore_targetOutsideTheWriteRootsOrIntoTheCodeDirectory_refusedNothingWritten(@TempDir Path outside)
            throws IOException {
        FileEntry entry = file("a.txt");
        FileEntry below = file("wwwroot/app.jar");
        Path code = Files.createDirectories(target.resolve("wwwroot"));
        BlobRestorer guarded = new BlobRestorer(service, SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target),
                List.of(code)), "manifests");
        for (Path refused : List.of(outside, outside.resolve("etc/cron.d"), code, code.resolve("lib"))) {
            FileOutcome result = guarded.restore(new RestoreJob(refused.toString(), container, "p", RUN, true, null),
                    entry);
            assertTrue(result.getProblem().startsWith("refused: targetDirectory '" + refused + "' is not a directory"
                    + " this app may write"), result.getProblem());
            assertEquals(entry.getPath(), result.getPath());
        }
        assertEquals("refused: 'wwwroot' on the way: the app's code directory is never written; not replaced",
                guarded.restore(job(true), below).getProblem());
        assertEquals(List.of(), Files.list(outside).toList());
        assertEquals(List.of(), Files.list(code).toList());
    }

    @Test
    void restore_manifestOrReservedContainer_refused() {
        FileEntry entry = file("a.txt");
        for (String refused : List.of("manifests", "azure-webjobs-secrets")) {
            FileOutcome result = restorer.restore(new RestoreJob(target.toString(), refused, "p", RUN, false, null),
                    entry);
            assertTrue(result.getProblem().startsWith("refused: container '" + refused + "'"), result.getProblem());
        }
    }

    /** A snapshot from before copy on write, its base blob overwritten since: the blob snapshot's bytes. */
    @Test
    void restore_snapshotOfTheFormerFormat_itsBlobSnapshotsBytesAndRecordedAttributesAfterTheBaseBlobChanged()
            throws IOException {
        HandMadeSnapshot former = new HandMadeSnapshot(service, container, "snap", "manifests");
        FileEntry old = former.file("d/old.txt", "the old bytes", 0604, MTIME);
        former.blob("d/old.txt").upload(BinaryData.fromString("new bytes"), true);
        RestoreJob job = new RestoreJob(target.toString(), container, "snap", "20261126T100000.000Z", false, null);

        FileOutcome result = restorer.restore(job, old);

        assertNull(result.getProblem());
        Path restored = target.resolve("d/old.txt");
        assertEquals("the old bytes", Files.readString(restored));
        assertEquals(MTIME, Files.getLastModifiedTime(restored).to(TimeUnit.NANOSECONDS));
        assertEquals("rw----r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored)));
        former.blob("d/old.txt").getSnapshotClient(old.getVersion()).delete();
        Files.delete(restored);
        assertEquals("the blob snapshot " + old.getVersion() + " that holds it is gone (deleted by retention or by"
                + " hand); not restored", restorer.restore(job, old).getProblem());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_entryThatIsAFolderNamesNoVersionOrHoldsNoMd5_refused() {
        FileEntry folder = new FileEntry("d", 0, 1).withAttributes(EntryType.DIRECTORY, null, 0755, null, null, null);
        FileEntry noVersion = new FileEntry("x.txt", 1, 1).withAttributes(EntryType.FILE, null, 0644, null, null, null);
        FileEntry badMd5 = new FileEntry("x.txt", 1, 1).withVersion(RUN, "not base64!");

        assertTrue(restorer.restore(job(false), folder).getProblem().contains("a folder is made by FinishDirectories"));
        assertEquals("refused: the entry names no stored version of its content",
                restorer.restore(job(false), noVersion).getProblem());
        assertEquals("refused: the recorded MD5 is not an MD5 in base64", restorer.restore(job(false), badMd5).getProblem());
    }

    /** A snapshot's link: made as a link to its recorded target, which is never followed or written. */
    @Test
    void restore_link_madeAsALinkWithItsTargetNothingWrittenThrough(@TempDir Path outside) throws IOException {
        Path victim = Files.writeString(outside.resolve("victim"), "untouched");
        FileEntry link = snapshot.link("d/to-victim", victim.toString(), 1_600_000_000_123_456_000L);

        FileOutcome result = restorer.restore(job(true), link);

        assertNull(result.getProblem());
        assertEquals(victim.toString().length(), result.getBytes());
        assertEquals(victim, Files.readSymbolicLink(target.resolve("d/to-victim")));
        assertEquals("untouched", Files.readString(victim));
        assertEquals(1_600_000_000_123_456_000L, Files.getLastModifiedTime(target.resolve("d/to-victim"),
                LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS));
    }

    /** An entry whose content is older than its snapshot: restored, with the note as its warning. */
    @Test
    void restore_entryWithANote_restoredWithTheNoteAsItsWarning() throws IOException {
        FileEntry entry = file("log.txt").withNote("not stored by this run (it changed while it was copied)");

        FileOutcome result = restorer.restore(job(false), entry);

        assertTrue(result.isDone(), result.getProblem());
        assertEquals(BlobRestorer.OLDER_VERSION + "not stored by this run (it changed while it was copied)",
                result.getWarning());
        assertEquals("alpha content", Files.readString(target.resolve("log.txt")));
    }

    /**
     * A batch of 40 files in three folders, a link, a refused name and a corrupted entry: each outcome exact, each
     * file's bytes back, one Download per file and no other request, no temporary file left.
     */
    @Test
    void restoreAll_aBatch_eachOutcomeExactOneRequestPerFileNoTemporaryLeft() throws IOException {
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            entries.add(snapshot.file("f" + (i % 3) + "/file " + i + ".txt", "content of file " + i, 0600 + i % 8,
                    MTIME + i));
        }
        entries.add(snapshot.link("f0/link", "file 0.txt", MTIME));
        entries.add(new FileEntry("../up.txt", 1, 1).withVersion(RUN, entries.get(0).getContentMd5()));
        entries.add(entries.get(1).withVersion(RUN, entries.get(2).getContentMd5()).withNote("unused"));
        List<BatchRunner.Item<FileEntry>> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            items.add(new BatchRunner.Item<>(7, i, entries.get(i)));
        }
        // The corrupted entry names file 1's path: restore it first in a folder of its own so both can be told apart.
        items.set(42, new BatchRunner.Item<>(7, 42, new FileEntry("bad/x.txt", entries.get(1).getSize(), 0)
                .withVersion(RUN, entries.get(2).getContentMd5())));
        snapshot.blob("bad/x.txt").upload(BinaryData.fromString("content of file 1"), true);
        snapshot.blob("bad/x.txt").setMetadata(snapshot.tags(RUN));
        requests.reset();

        List<BatchRunner.Result> results = restorer.restoreAll(job(false), UUID.randomUUID().toString(), items, pool);

        assertEquals(43, results.size());
        for (int i = 0; i < 40; i++) {
            FileEntry entry = entries.get(i);
            assertEquals("done " + entry.getPath() + " " + entry.getSize(), text(results.get(i)));
            Path file = target.resolve("f" + (i % 3) + "/file " + i + ".txt");
            assertEquals("content of file " + i, Files.readString(file));
            assertEquals(MTIME + i, Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS));
        }
        assertEquals("done f0/link " + "file 0.txt".length(), text(results.get(40)));
        assertEquals(Path.of("file 0.txt"), Files.readSymbolicLink(target.resolve("f0/link")));
        assertTrue(results.get(41).outcome().getProblem().startsWith("refused: '../up.txt' is not an encoded file name"));
        assertEquals(BlobRestorer.CORRUPTED_SNAPSHOT, results.get(42).outcome().getProblem());
        assertEquals(41, requests.to(container).size(), "one Download per file, the corrupted one's too, none for"
                + " the link or the refusal: " + requests.to(container).size());
        assertTrue(requests.to(container).stream().allMatch(r -> r.startsWith("GET ")), requests.to(container).toString());
        assertEquals(List.of(), temporaries());
    }

    /**
     * Issue 22: fsync is paid per batch, not per file in turn, with the same crash guarantee. Every file of a batch
     * is flushed to the disk before any of them gets its name, and each folder that got names is flushed once, after.
     * The flushes are counted where they are made ({@link SecureDirectory#flushes()}): each name is given once all the
     * batch's file flushes are made and before any folder's.
     */
    @Test
    void restoreAll_aBatch_everyFileFlushedBeforeAnyIsNamedThenEachFolderOnce() throws IOException {
        List<BatchRunner.Item<FileEntry>> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            items.add(new BatchRunner.Item<>(0, i, snapshot.file("f" + i % 3 + "/file " + i, "content " + i, 0644,
                    MTIME)));
        }
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        SecureRoots roots = spy(SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target), List.of()));
        doAnswer(call -> recording((SecureDirectory) call.callRealMethod(), events)).when(roots)
                .openOrCreate(anyString(), anyString());
        BlobRestorer recorded = new BlobRestorer(service, roots, "manifests");
        long fileFlushes = syncsTogether() ? 1 : 30;
        long before = SecureDirectory.flushes();

        List<BatchRunner.Result> results = recorded.restoreAll(job(false), UUID.randomUUID().toString(), items, pool);

        assertTrue(results.stream().allMatch(r -> text(r).startsWith("done ")), results.toString());
        List<String> kinds = events.stream().map(e -> e.split(" ")[0]).toList();
        assertEquals(30, kinds.stream().filter("name"::equals).count());
        assertEquals(List.of("folder f0", "folder f1", "folder f2"), events.stream().filter(e -> e.startsWith("folder"))
                .map(e -> e.substring(0, e.lastIndexOf(' '))).sorted().toList(), "each folder flushed once");
        assertEquals(java.util.Set.of(before + fileFlushes), events.stream().filter(e -> e.startsWith("name"))
                .map(e -> Long.parseLong(e.substring(e.lastIndexOf(' ') + 1))).collect(java.util.stream.Collectors
                        .toSet()), "every file on the disk before any is named, no folder yet: " + events);
        assertTrue(kinds.lastIndexOf("name") < kinds.indexOf("folder"), "the folders after their names: " + kinds);
        assertEquals(before + fileFlushes + 3, SecureDirectory.flushes(), "the batch's flushes: " + events);
        System.out.println("a batch of 30 files in 3 folders: " + fileFlushes + " flush(es) of the files, then 30"
                + " renamed, then 3 folders flushed");
    }

    /**
     * Issue 22: the flushes of a batch are counted, not timed. A batch of 256 files in 4 folders on a local file
     * system makes 5: one {@code syncfs} for all the files, then one {@code fsync} per folder. (The per-file code made
     * 260: one {@code fsync} per file, then one per folder.)
     */
    @Test
    void restoreAll_aBatchOnALocalFileSystem_oneFlushForItsFilesAndOnePerFolder() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(syncsTogether(), "the target's file system is flushed file by"
                + " file (not a local one, or a kernel before 5.8)");
        List<BatchRunner.Item<FileEntry>> items = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            items.add(new BatchRunner.Item<>(3, i, snapshot.file("d" + i % 4 + "/f" + i, "content " + i, 0644,
                    MTIME)));
        }
        long before = SecureDirectory.flushes();

        List<BatchRunner.Result> results = restorer.restoreAll(job(false), UUID.randomUUID().toString(), items, pool);

        assertTrue(results.stream().allMatch(r -> text(r).startsWith("done ")), results.toString());
        assertEquals(1 + 4, SecureDirectory.flushes() - before, "one flush of the files, one per folder");
        assertEquals(List.of(), temporaries());
    }

    /** Whether the batch's files in {@link #target} are flushed together ({@link TemporaryFile#syncsTogether()}). */
    private boolean syncsTogether() throws IOException {
        try (SecureDirectory directory = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target), List.of())
                .openOrCreate("targetDirectory", target.toString());
             TemporaryFile probe = directory.createTemporaryFile()) {
            return probe.syncsTogether();
        }
    }

    /** {@code directory}, and the folders and temporary files made through it, recording flushes and renames. */
    private static SecureDirectory recording(SecureDirectory directory, List<String> events) throws IOException {
        SecureDirectory recorded = spy(directory);
        doAnswer(call -> recording((SecureDirectory) call.callRealMethod(), events)).when(recorded)
                .openOrCreateDirectories(any());
        doAnswer(call -> {
            events.add("folder " + directory.path().getFileName() + " " + SecureDirectory.flushes());
            return call.callRealMethod();
        }).when(recorded).force();
        doAnswer(call -> {
            TemporaryFile temporary = spy((TemporaryFile) call.callRealMethod());
            doAnswer(move -> {
                events.add("name " + temporary.name() + " " + SecureDirectory.flushes());
                return move.callRealMethod();
            }).when(temporary).moveTo(any(), org.mockito.ArgumentMatchers.anyBoolean());
            return temporary;
        }).when(recorded).createTemporaryFile(any(Path.class));
        return recorded;
    }

    /**
     * A delivery killed mid-download left its temporary file under the file's temporary name: the next delivery of
     * that file removes it and restores the file; a temporary file of that name this process holds open (a duplicate
     * delivery at work) is left alone, and this delivery writes under a name of its own.
     */
    @Test
    void restoreAll_temporaryFileOfAnEarlierDelivery_removedByTheNextOneButNeverOneStillOpenHere() throws IOException {
        FileEntry first = file("d/first.txt");
        FileEntry second = file("d/second.txt");
        String run = UUID.randomUUID().toString();
        Files.createDirectories(target.resolve("d"));
        Path left = Files.write(target.resolve("d").resolve(TemporaryFile.nameFor(run, 3, 0)), new byte[] {1, 2, 3});
        TemporaryFile open;
        try (SecureDirectory folder = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target), List.of())
                .openOrCreate("targetDirectory", target.resolve("d").toString())) {
            open = TemporaryFile.create(folder, run, 3, 1);
            open.channel().write(ByteBuffer.wrap("a duplicate's bytes".getBytes()));

            List<BatchRunner.Result> results = restorer.restoreAll(job(false), run, List.of(
                    new BatchRunner.Item<>(3, 0, first), new BatchRunner.Item<>(3, 1, second)), pool);

            assertTrue(results.stream().allMatch(r -> r.outcome() != null && r.outcome().isDone()), results.toString());
            assertFalse(Files.exists(left), "the killed delivery's temporary file is gone");
            assertEquals(List.of(target.resolve("d").resolve(open.name())), temporaries(), "the open one is kept");
            assertEquals("a duplicate's bytes", Files.readString(target.resolve("d").resolve(open.name())));
            open.close();
        }
        assertEquals("alpha content", Files.readString(target.resolve("d/first.txt")));
        assertEquals("alpha content", Files.readString(target.resolve("d/second.txt")));
        assertEquals(List.of(), temporaries());
    }

    /**
     * A folder on the way that the file system fails to open for a moment (here the error the old /proc/self/fd
     * lookup gave under load) is no refusal: the file is handed back to be tried again, and then restored. Only a
     * link, a file or the app's code on the way is refused for good.
     */
    @Test
    void restoreAll_folderOnTheWayFailingForAMoment_triedAgainThenRestored() throws IOException {
        FileEntry entry = file("d/a.txt");
        SecureRoots roots = spy(SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(target), List.of()));
        AtomicInteger opens = new AtomicInteger();
        doAnswer(call -> {
            SecureDirectory opened = spy((SecureDirectory) call.callRealMethod());
            if (opens.getAndIncrement() == 0) {
                doThrow(new FileSystemException("d", null, "no handle to work through (/proc/self/fd); nothing done"))
                        .when(opened).openOrCreateDirectories(any());
            }
            return opened;
        }).when(roots).openOrCreate(anyString(), anyString());
        BlobRestorer flaky = new BlobRestorer(service, roots, "manifests");
        List<BatchRunner.Item<FileEntry>> items = List.of(new BatchRunner.Item<>(0, 0, entry));

        BatchRunner.Result first = flaky.restoreAll(job(false), UUID.randomUUID().toString(), items, pool).get(0);
        BatchRunner.Result second = flaky.restoreAll(job(false), UUID.randomUUID().toString(), items, pool).get(0);

        assertNull(first.outcome(), "not a problem: " + text(first));
        assertInstanceOf(UncheckedIOException.class, first.thrown());
        assertEquals("done d/a.txt 13", text(second));
        assertEquals("alpha content", Files.readString(target.resolve("d/a.txt")));
    }

    /** A result as text: {@code done <path> <bytes>}, with its warning or problem, or what was thrown. */
    static String text(BatchRunner.Result result) {
        FileOutcome outcome = result.outcome();
        if (outcome == null) {
            return "thrown " + result.thrown();
        }
        return outcome.isDone() ? "done " + outcome.getPath() + " " + outcome.getBytes()
                + (outcome.getWarning() == null ? "" : " warning " + outcome.getWarning())
                : "problem " + outcome.getPath() + ": " + outcome.getProblem();
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> all = Files.walk(target)) {
            return all.filter(p -> p.getFileName().toString().startsWith(TemporaryFile.PREFIX)).toList();
        }
    }
}
