package com.contoso.sitebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
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
            assertEquals(Files.readAttributes(root.resolve("d"), java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey(), d.state().fileKey());
        }
    }

    @Test
    void attributes_ofALink_areTheLinks() throws IOException {
        try (SecureDirectory d = open(readRoots, "d")) {
            assertTrue(d.attributes(Path.of("dirlink")).isSymbolicLink());
            assertTrue(d.attributes(Path.of("f.txt")).isRegularFile());
        }
    }

    @Test
    void close_twice_doesNothingMore() throws IOException {
        SecureDirectory d = open(readRoots, "d");
        d.close();
        d.close();
        assertThrows(Exception.class, d::names);
    }
}
