package com.contoso.sitebackup.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.contoso.sitebackup.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecureDirectoryTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private SecureRoots readRoots;
    private SecureRoots writeRoots;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.createDirectories(root.resolve("d/e"));
        Files.writeString(root.resolve("d/f.txt"), "inside");
        Files.writeString(outside.resolve("f.txt"), "OUTSIDE");
        Files.createSymbolicLink(root.resolve("d/dirlink"), outside);
        Files.createSymbolicLink(root.resolve("d/filelink"), outside.resolve("f.txt"));
        readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
    }

    /** The identity of {@code path} itself (device and inode), as the JDK reads it. */
    static FileKey keyOf(Path path) throws IOException {
        return new FileKey((Long) Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS),
                (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS));
    }

    private SecureDirectory open(SecureRoots roots, String relative) {
        return roots.open("dir", root.resolve(relative).toString());
    }

    @Test
    void names_calledTwice_listsTheEntriesEachTime() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            List<String> first = d.names().stream().map(Path::toString).sorted().toList();
            assertEquals(List.of("dirlink", "e", "f.txt", "filelink"), first);
            assertEquals(first, d.names().stream().map(Path::toString).sorted().toList());
            assertTrue(d.names().stream().allMatch(n -> n.getNameCount() == 1 && !n.isAbsolute()));
        }
    }

    @Test
    void openDirectory_linkOrFile_refusedNamingWhy() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            FileSystemException link = assertThrows(FileSystemException.class, () -> d.openDirectory(Path.of("dirlink")));
            assertEquals("symbolic link, not followed", link.getReason());
            FileSystemException file = assertThrows(FileSystemException.class, () -> d.openDirectory(Path.of("f.txt")));
            assertEquals("a file, not a folder", file.getReason());
            assertThrows(NoSuchFileException.class, () -> d.openDirectory(Path.of("missing")));
        }
    }

    @Test
    void openDirectory_fifo_refusedWithoutBlocking() throws Exception {
        SpecialFiles.fifo(root.resolve("d/pipe"));
        try (SecureDirectory d = open(readRoots, "d")) {
            FileSystemException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(FileSystemException.class, () -> d.openDirectory(Path.of("pipe"))));
            assertEquals("not a regular file or folder", e.getReason());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"e/x", "/etc", "..", ".", ""})
    void openFile_notASingleName_throwsIllegalArgument(String name) throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            assertThrows(IllegalArgumentException.class, () -> d.openFile(Path.of(name)));
            assertThrows(IllegalArgumentException.class, () -> d.openDirectory(Path.of(name)));
        }
    }

    @Test
    void openFile_linkFifoOrFolder_refusedWithoutBlocking() throws Exception {
        SpecialFiles.fifo(root.resolve("d/pipe"));
        try (SecureDirectory d = open(readRoots, "d")) {
            assertEquals("symbolic link, not followed",
                    assertThrows(FileSystemException.class, () -> d.openFile(Path.of("filelink"))).getReason());
            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(FileSystemException.class, () -> d.openFile(Path.of("pipe"))));
            assertEquals("a folder, not a file",
                    assertThrows(FileSystemException.class, () -> d.openFile(Path.of("e"))).getReason());
        }
    }

    @Test
    void openFile_afterTheFolderIsSwappedForALink_stillReadsInside() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            Files.move(root.resolve("d"), root.resolve("d-moved"));
            Files.createSymbolicLink(root.resolve("d"), outside);
            try (OpenedFile file = d.openFile(Path.of("f.txt"))) {
                assertEquals("inside", new String(file.inputStream().readAllBytes()));
            }
            assertTrue(d.names().stream().anyMatch(n -> n.toString().equals("dirlink")));
        }
    }

    @Test
    void openDirectories_linkInTheMiddle_refused() throws IOException {
        Files.createDirectories(outside.resolve("x"));
        try (SecureDirectory d = open(readRoots, "d")) {
            assertThrows(FileSystemException.class, () -> d.openDirectories(Path.of("dirlink/x")));
            try (SecureDirectory e = d.openDirectories(Path.of("e"))) {
                assertEquals(List.of(), e.names());
            }
        }
    }

    @Test
    void openOrCreateDirectories_missingFolders_createdAndPinned() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d");
             SecureDirectory created = d.openOrCreateDirectories(Path.of("n1/n2/n3"))) {
            assertEquals(root.resolve("d/n1/n2/n3"), created.path());
        }
        assertTrue(Files.isDirectory(root.resolve("d/n1/n2/n3")));
    }

    @Test
    void openOrCreateDirectory_existingLink_refusedNothingCreatedOutside() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d")) {
            assertThrows(FileSystemException.class, () -> d.openOrCreateDirectories(Path.of("dirlink/new")));
        }
        assertFalse(Files.exists(outside.resolve("new")));
    }

    @Test
    void openOrCreateDirectory_folderMovedAndItsPathNowALinkOutside_createdInThePinnedFolderOnly() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d")) {
            Files.move(root.resolve("d"), root.resolve("d-moved"));
            Files.createSymbolicLink(root.resolve("d"), outside);
            try (SecureDirectory created = d.openOrCreateDirectory(Path.of("new"))) {
                assertEquals(List.of(), created.names());
            }
        }
        assertTrue(Files.isDirectory(root.resolve("d-moved/new")));
        assertFalse(Files.exists(outside.resolve("new")));
    }

    /**
     * Restores run side by side in one worker: threads creating folders in the same pinned folder while other
     * threads open and close folders without pause (so descriptor numbers are reused at once). Every folder is
     * created in the pinned folder, none anywhere else, and no creation fails.
     */
    @Test
    void openOrCreateDirectory_manyThreadsInOneFolderWhileDescriptorsAreReused_everyFolderInThePinnedFolderOnly()
            throws Exception {
        Path decoy = Files.createDirectories(root.resolve("decoy"));
        int creators = 6;
        int perCreator = 150;
        java.util.concurrent.atomic.AtomicBoolean churning = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int c = 0; c < 2; c++) {
            threads.add(new Thread(() -> {
                while (churning.get()) {
                    try (SecureDirectory d = open(writeRoots, "d"); SecureDirectory x = open(writeRoots, "decoy")) {
                        d.names();
                        x.names();
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "churn-" + c));
        }
        List<Thread> creating = new java.util.ArrayList<>();
        for (int t = 0; t < creators; t++) {
            int thread = t;
            creating.add(new Thread(() -> {
                for (int i = 0; i < perCreator; i++) {
                    try (SecureDirectory d = open(writeRoots, "d");
                         SecureDirectory created = d.openOrCreateDirectories(Path.of("shared" + (i % 5), "t" + thread + "-" + i))) {
                        assertEquals(List.of(), created.names());
                    } catch (IOException | RuntimeException | AssertionError e) {
                        failures.add(e);
                    }
                }
            }, "creator-" + t));
        }
        threads.forEach(Thread::start);
        creating.forEach(Thread::start);
        for (Thread thread : creating) {
            thread.join();
        }
        churning.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        long created;
        try (var walk = Files.walk(root.resolve("d"))) {
            created = walk.filter(p -> p.getFileName().toString().matches("t\\d+-\\d+")).count();
        }
        System.out.printf("%d threads created %d folders in one pinned folder under descriptor churn: %d failures%n",
                creators, created, failures.size());
        assertEquals(List.of(), failures.stream().map(Throwable::toString).limit(5).toList());
        assertEquals(creators * perCreator, created);
        assertEquals(List.of(), Files.list(decoy).toList(), "nothing created in another folder");
        assertEquals(List.of("f.txt"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void openOrCreateDirectory_readRoots_illegalState() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            assertThrows(IllegalStateException.class, () -> d.openOrCreateDirectory(Path.of("new")));
            assertThrows(IllegalStateException.class, d::createTemporaryFile);
        }
    }

    @Test
    void createTemporaryFile_inPinnedDirectory_ownerOnlyAndNew() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d"); TemporaryFile temporary = d.createTemporaryFile()) {
            Path created = root.resolve("d").resolve(temporary.name());
            assertTrue(temporary.name().toString().startsWith(".restoring-"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
            assertEquals(0, Files.size(created));
        }
    }

    @Test
    void deleteFile_link_removesTheLinkNotItsTarget() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d")) {
            d.deleteFile(Path.of("filelink"));
        }
        assertFalse(Files.exists(root.resolve("d/filelink"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("OUTSIDE", Files.readString(outside.resolve("f.txt")));
    }

    @Test
    void state_ofThePinnedDirectory_isItsIdentity() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            assertEquals(keyOf(root.resolve("d")), d.state().fileKey());
            assertEquals(Files.readAttributes(root.resolve("d"), java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey().toString(), d.state().fileKey().toString(), "shown as the JDK shows its keys");
        }
    }

    @Test
    void attributes_ofALink_areTheLinks() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            assertTrue(d.attributes(Path.of("dirlink")).isSymbolicLink());
            assertTrue(d.attributes(Path.of("f.txt")).isRegularFile());
        }
    }

    /** The numeric attributes of {@code path} itself, read by the test without following a link. */
    private static Map<String, Object> unix(Path path) throws IOException {
        return Files.readAttributes(path, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    }

    private static long nanos(Map<String, Object> unix) {
        return ((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    }

    /** Gives {@code path} itself (a link's own, not its target's) these ids and, unless a link, this mode. */
    private static void own(Path path, int uid, int gid, String mode, long mtimeNanos) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        if (!Files.isSymbolicLink(path)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), null, null);
    }

    @Test
    void entryAttributes_fileFolderAndLink_theEntrysOwnTypeModeIdsAndNanosecondTime() throws IOException {
        own(root.resolve("d/f.txt"), 1234, 5678, "rw-r-----", 1_700_000_000_123_456_789L);
        own(root.resolve("d/e"), 2345, 6789, "rwxr-x---", 1_600_000_000_987_654_321L);
        own(root.resolve("d/filelink"), 4321, 8765, null, 1_500_000_000_000_001_000L);
        try (SecureDirectory d = open(readRoots, "d")) {
            EntryAttributes file = d.entryAttributes(Path.of("f.txt"));
            assertEquals(EntryType.FILE, file.type());
            assertEquals(0640, file.permissions());
            assertEquals(0100640, file.mode());
            assertEquals(1234, file.uid());
            assertEquals(5678, file.gid());
            assertEquals(1_700_000_000_123_456_789L, file.modtimeNanos());
            assertEquals(6, file.size());
            assertEquals(keyOf(root.resolve("d/f.txt")), file.fileKey());

            EntryAttributes folder = d.entryAttributes(Path.of("e"));
            assertEquals(EntryType.DIRECTORY, folder.type());
            assertEquals(0750, folder.permissions());
            assertEquals(List.of(2345L, 6789L, 1_600_000_000_987_654_321L),
                    List.of(folder.uid(), folder.gid(), folder.modtimeNanos()));

            EntryAttributes link = d.entryAttributes(Path.of("filelink"));
            assertEquals(EntryType.SYMLINK, link.type());
            assertEquals(List.of(4321L, 8765L, 1_500_000_000_000_001_000L),
                    List.of(link.uid(), link.gid(), link.modtimeNanos()), "the link's own, not its target's");
            assertEquals(outside.resolve("f.txt").toString().length(), link.size());
            assertThrows(NoSuchFileException.class, () -> d.entryAttributes(Path.of("missing")));
            assertThrows(IllegalArgumentException.class, () -> d.entryAttributes(Path.of("e/x")));
        }
    }

    @Test
    void entryAttributes_afterTheFolderIsSwappedForALinkOutside_readsThePinnedFolder() throws IOException {
        own(root.resolve("d/f.txt"), 1234, 5678, "rw-r-----", 1_700_000_000_123_456_789L);
        own(outside.resolve("f.txt"), 0, 0, "rw-rw-rw-", 1_000_000_000_000_000_000L);
        try (SecureDirectory d = open(readRoots, "d")) {
            Files.move(root.resolve("d"), root.resolve("d-moved"));
            Files.createSymbolicLink(root.resolve("d"), outside);
            EntryAttributes file = d.entryAttributes(Path.of("f.txt"));
            assertEquals(List.of(1234L, 5678L, 0640, 6L), List.of(file.uid(), file.gid(), file.permissions(),
                    file.size()));
        }
    }

    @Test
    void readSymbolicLink_relativeAbsoluteAndDotDotTargets_asStoredNeverResolved() throws IOException {
        Files.createSymbolicLink(root.resolve("d/up"), Path.of("../../outside/f.txt"));
        Files.createSymbolicLink(root.resolve("d/dangling"), Path.of("no/such/file"));
        try (SecureDirectory d = open(readRoots, "d")) {
            assertEquals(outside.resolve("f.txt"), d.readSymbolicLink(Path.of("filelink")));
            assertEquals(Path.of("../../outside/f.txt"), d.readSymbolicLink(Path.of("up")));
            assertEquals(Path.of("no/such/file"), d.readSymbolicLink(Path.of("dangling")));
            assertThrows(NotLinkException.class, () -> d.readSymbolicLink(Path.of("f.txt")));
            assertThrows(NoSuchFileException.class, () -> d.readSymbolicLink(Path.of("missing")));
        }
    }

    @Test
    void readSymbolicLink_afterTheFolderIsSwappedForALinkOutside_readsThePinnedFoldersLink() throws IOException {
        Files.createSymbolicLink(outside.resolve("filelink"), Path.of("OUTSIDE-TARGET"));
        try (SecureDirectory d = open(readRoots, "d")) {
            Files.move(root.resolve("d"), root.resolve("d-moved"));
            Files.createSymbolicLink(root.resolve("d"), outside);
            assertEquals(outside.resolve("f.txt"), d.readSymbolicLink(Path.of("filelink")));
        }
    }

    @Test
    void createSymbolicLink_newName_linkWithTheTargetAsGivenNothingFollowed() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d")) {
            d.createSymbolicLink(Path.of("abs"), outside.resolve("f.txt"));
            d.createSymbolicLink(Path.of("rel"), Path.of("../../outside/new-file"));
        }
        assertEquals(outside.resolve("f.txt"), Files.readSymbolicLink(root.resolve("d/abs")));
        assertEquals(Path.of("../../outside/new-file"), Files.readSymbolicLink(root.resolve("d/rel")));
        assertEquals(List.of("f.txt"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void createSymbolicLink_nameExists_fileAlreadyExistsAndTheEntryUnchanged() throws IOException {
        Files.createSymbolicLink(root.resolve("d/dangling"), Path.of("no/such/file"));
        try (SecureDirectory d = open(writeRoots, "d")) {
            for (String existing : List.of("f.txt", "e", "filelink", "dangling")) {
                assertThrows(FileAlreadyExistsException.class,
                        () -> d.createSymbolicLink(Path.of(existing), Path.of("elsewhere")), existing);
            }
        }
        assertEquals("inside", Files.readString(root.resolve("d/f.txt")));
        assertEquals(Path.of("no/such/file"), Files.readSymbolicLink(root.resolve("d/dangling")));
        assertEquals(outside.resolve("f.txt"), Files.readSymbolicLink(root.resolve("d/filelink")));
        assertFalse(Files.exists(Path.of("no/such/elsewhere")));
    }

    @Test
    void createSymbolicLink_readRootsOrEmptyTarget_refused() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            assertThrows(IllegalStateException.class, () -> d.createSymbolicLink(Path.of("new"), Path.of("x")));
        }
        try (SecureDirectory d = open(writeRoots, "d")) {
            assertThrows(IllegalArgumentException.class, () -> d.createSymbolicLink(Path.of("new"), Path.of("")));
            assertThrows(IllegalArgumentException.class, () -> d.createSymbolicLink(Path.of("e/new"), Path.of("x")));
        }
        assertFalse(Files.exists(root.resolve("d/new"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void createSymbolicLink_afterTheFolderIsSwappedForALinkOutside_createdInThePinnedFolderOnly() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d")) {
            Files.move(root.resolve("d"), root.resolve("d-moved"));
            Files.createSymbolicLink(root.resolve("d"), outside);
            d.createSymbolicLink(Path.of("new-link"), Path.of("target"));
        }
        assertEquals(Path.of("target"), Files.readSymbolicLink(root.resolve("d-moved/new-link")));
        assertEquals(List.of("f.txt"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
    }

    /** The file is swapped out whole: another name of it keeps its content, and nothing is left beside. */
    @Test
    void replaceWithSymbolicLink_fileOrLink_replacedInOneStepNeverWrittenThrough() throws IOException {
        Path otherName = Files.createLink(root.resolve("d/other-name"), root.resolve("d/f.txt"));
        try (SecureDirectory d = open(writeRoots, "d")) {
            d.replaceWithSymbolicLink(Path.of("f.txt"), Path.of("e"));
            d.replaceWithSymbolicLink(Path.of("filelink"), Path.of("/nowhere"));
        }
        assertEquals(Path.of("e"), Files.readSymbolicLink(root.resolve("d/f.txt")));
        assertEquals(Path.of("/nowhere"), Files.readSymbolicLink(root.resolve("d/filelink")));
        assertEquals("inside", Files.readString(otherName));
        assertEquals("OUTSIDE", Files.readString(outside.resolve("f.txt")));
        assertEquals(List.of("dirlink", "e", "f.txt", "filelink", "other-name"),
                Files.list(root.resolve("d")).map(p -> p.getFileName().toString()).sorted().toList());
    }

    @Test
    void replaceWithSymbolicLink_folderOrReadRoots_refusedNothingLeft() throws IOException {
        try (SecureDirectory d = open(writeRoots, "d")) {
            assertThrows(FileSystemException.class, () -> d.replaceWithSymbolicLink(Path.of("e"), Path.of("x")));
        }
        try (SecureDirectory d = open(readRoots, "d")) {
            assertThrows(IllegalStateException.class, () -> d.replaceWithSymbolicLink(Path.of("f.txt"), Path.of("x")));
        }
        assertTrue(Files.isDirectory(root.resolve("d/e"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("inside", Files.readString(root.resolve("d/f.txt")));
        assertEquals(List.of("dirlink", "e", "f.txt", "filelink"),
                Files.list(root.resolve("d")).map(p -> p.getFileName().toString()).sorted().toList());
    }

    /** What a snapshot recorded for an entry: only the type and attributes matter to setAttributes. */
    private static FileEntry recorded(EntryType type, Long nanos, Integer mode, Long uid, Long gid) {
        return new FileEntry("x", 0, 0).withAttributes(type, nanos, mode, uid, gid, null);
    }

    @Test
    void canSetOwner_asTheEffectiveUserRunsHere_trueOnlyForRoot() throws IOException {
        // The effective uid, as the kernel shows it: the owner of the process's /proc entry.
        int effective = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertEquals(effective == 0, SecureDirectory.canSetOwner());
    }

    @Test
    void setAttributes_fileAndFolder_modeOwnerGroupAndNanosecondTimeSet() throws IOException {
        assumeTrue(SecureDirectory.canSetOwner(), "owners are set only as root");
        try (SecureDirectory d = open(writeRoots, "d")) {
            d.setAttributes(Path.of("f.txt"), recorded(EntryType.FILE, 1_700_000_000_123_456_789L, 0604, 1234L, 5678L));
            d.setAttributes(Path.of("e"), recorded(EntryType.DIRECTORY, 1_600_000_000_987_654_321L, 0751, 2345L, 6789L));
        }
        Map<String, Object> file = unix(root.resolve("d/f.txt"));
        assertEquals(List.of(0100604, 1234, 5678), List.of(file.get("mode"), file.get("uid"), file.get("gid")));
        assertEquals(1_700_000_000_123_456_789L, nanos(file));
        Map<String, Object> folder = unix(root.resolve("d/e"));
        assertEquals(List.of(040751, 2345, 6789), List.of(folder.get("mode"), folder.get("uid"), folder.get("gid")));
        assertEquals(1_600_000_000_987_654_321L, nanos(folder));
    }

    @Test
    void setAttributes_nothingButTheTimeRecorded_onlyTheTimeChanges() throws IOException {
        own(root.resolve("d/f.txt"), 1234, 5678, "rw-r-----", 1_000_000_000_000_000_000L);
        try (SecureDirectory d = open(writeRoots, "d")) {
            d.setAttributes(Path.of("f.txt"), new FileEntry("f.txt", 6, 1_650_000_000_123L));
        }
        Map<String, Object> file = unix(root.resolve("d/f.txt"));
        assertEquals(List.of(0100640, 1234, 5678), List.of(file.get("mode"), file.get("uid"), file.get("gid")));
        assertEquals(1_650_000_000_123_000_000L, nanos(file), "the milliseconds when no nanoseconds are recorded");
    }

    @Test
    void setAttributes_link_itsOwnTimeAndOwnerTheTargetUntouched() throws IOException {
        assumeTrue(SecureDirectory.canSetOwner(), "owners are set only as root");
        Map<String, Object> targetBefore = unix(outside.resolve("f.txt"));
        try (SecureDirectory d = open(writeRoots, "d")) {
            d.setAttributes(Path.of("filelink"),
                    recorded(EntryType.SYMLINK, 1_500_000_000_123_456_789L, 0600, 4321L, 8765L));
        }
        Map<String, Object> link = unix(root.resolve("d/filelink"));
        assertEquals(List.of(4321, 8765), List.of(link.get("uid"), link.get("gid")));
        assertEquals(1_500_000_000_123_456_789L, nanos(link), "a link's own time is set to the nanosecond too");
        assertEquals(0777, (Integer) link.get("mode") & 0777, "a link has no mode of its own to set");
        assertEquals(targetBefore, unix(outside.resolve("f.txt")));
    }

    @Test
    void setAttributes_recordedAsAFileButTheNameIsALinkOrAPipe_refusedWithoutBlockingNothingChanged()
            throws Exception {
        SpecialFiles.fifo(root.resolve("d/pipe"));
        Map<String, Object> targetBefore = unix(outside.resolve("f.txt"));
        Map<String, Object> linkBefore = unix(root.resolve("d/filelink"));
        FileEntry file = recorded(EntryType.FILE, 1_700_000_000_000_000_000L, 0666, 1234L, 5678L);
        try (SecureDirectory d = open(writeRoots, "d")) {
            FileSystemException link = assertThrows(FileSystemException.class,
                    () -> d.setAttributes(Path.of("filelink"), file));
            assertEquals("not the file whose attributes were recorded; nothing set", link.getReason());
            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(FileSystemException.class, () -> d.setAttributes(Path.of("pipe"), file)));
            assertThrows(FileSystemException.class, () -> d.setAttributes(Path.of("e"), file));
        }
        assertEquals(targetBefore, unix(outside.resolve("f.txt")));
        assertEquals(linkBefore, unix(root.resolve("d/filelink")));
    }

    @Test
    void setAttributes_afterTheFolderIsSwappedForALinkOutside_setInThePinnedFolderOnly() throws IOException {
        Map<String, Object> outsideBefore = unix(outside.resolve("f.txt"));
        try (SecureDirectory d = open(writeRoots, "d")) {
            Files.move(root.resolve("d"), root.resolve("d-moved"));
            Files.createSymbolicLink(root.resolve("d"), outside);
            d.setAttributes(Path.of("f.txt"), recorded(EntryType.FILE, 1_700_000_000_123_456_789L, 0604, 1234L, 5678L));
        }
        assertEquals(outsideBefore, unix(outside.resolve("f.txt")));
        assertEquals(1_700_000_000_123_456_789L, nanos(unix(root.resolve("d-moved/f.txt"))));
        assertEquals(0100604, unix(root.resolve("d-moved/f.txt")).get("mode"));
    }

    @Test
    void setAttributes_readRoots_illegalStateNothingChanged() throws IOException {
        Map<String, Object> before = unix(root.resolve("d/f.txt"));
        try (SecureDirectory d = open(readRoots, "d")) {
            assertThrows(IllegalStateException.class, () -> d.setAttributes(Path.of("f.txt"),
                    recorded(EntryType.FILE, 1L, 0600, 1L, 1L)));
        }
        assertEquals(before, unix(root.resolve("d/f.txt")));
    }

    /**
     * Walks run side by side in one worker: threads each reading the attributes of a file of the same name in a
     * folder of their own (owned by a uid of its own) while other threads open and close folders without pause.
     * Each read goes through its own folder's handle: every thread sees its own file's owner, every time.
     */
    @Test
    void entryAttributes_manyThreadsInTheirOwnFoldersWhileDescriptorsAreReused_eachReadsItsOwnFolder()
            throws Exception {
        int readers = 6;
        int reads = 300;
        for (int t = 0; t < readers; t++) {
            Path folder = Files.createDirectories(root.resolve("own" + t));
            own(Files.writeString(folder.resolve("same-name"), "x"), 1000 + t, 2000 + t, "rw-------", 1L);
        }
        java.util.concurrent.atomic.AtomicBoolean churning = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ConcurrentLinkedQueue<Object> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> churn = new java.util.ArrayList<>();
        for (int c = 0; c < 2; c++) {
            churn.add(new Thread(() -> {
                while (churning.get()) {
                    try (SecureDirectory d = open(readRoots, "d"); SecureDirectory e = open(readRoots, "d/e")) {
                        d.names();
                        e.names();
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "churn-" + c));
        }
        List<Thread> reading = new java.util.ArrayList<>();
        for (int t = 0; t < readers; t++) {
            int thread = t;
            reading.add(new Thread(() -> {
                for (int i = 0; i < reads; i++) {
                    try (SecureDirectory own = open(readRoots, "own" + thread)) {
                        EntryAttributes read = own.entryAttributes(Path.of("same-name"));
                        if (read.uid() != 1000 + thread || read.gid() != 2000 + thread) {
                            failures.add("thread " + thread + " read uid " + read.uid());
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "reader-" + t));
        }
        churn.forEach(Thread::start);
        reading.forEach(Thread::start);
        for (Thread thread : reading) {
            thread.join();
        }
        churning.set(false);
        for (Thread thread : churn) {
            thread.join();
        }
        System.out.printf("%d threads read %d attributes each in their own folders under descriptor churn: %d"
                + " failures%n", readers, reads, failures.size());
        assertEquals(List.of(), failures.stream().map(Object::toString).limit(5).toList());
    }

    @Test
    void close_twice_doesNothingMore() throws IOException {
        SecureDirectory d = open(readRoots, "d");
        d.close();
        d.close();
        assertThrows(Exception.class, d::names);
    }
}
