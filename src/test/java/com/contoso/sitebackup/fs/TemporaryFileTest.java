package com.contoso.sitebackup.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporaryFileTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private SecureDirectory directory;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        directory = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of())
                .openOrCreate("targetDirectory", root.toString());
    }

    @AfterEach
    void tearDown() {
        directory.close();
    }

    private static void write(TemporaryFile temporary, String text) throws IOException {
        temporary.channel().write(ByteBuffer.wrap(text.getBytes()));
    }

    private List<String> entries() throws IOException {
        try (var list = Files.list(root)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void moveTo_newName_contentTimeAndPermissionsInPlaceNoTemporaryLeft() throws IOException {
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "restored");
            temporary.force();
            temporary.setLastModified(FileTime.fromMillis(1_600_000_000_000L));
            temporary.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            temporary.moveTo(Path.of("file.txt"), false);
        }
        assertEquals("restored", Files.readString(root.resolve("file.txt")));
        assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(root.resolve("file.txt")).toMillis());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("file.txt"))));
        assertEquals(List.of("file.txt"), entries());
    }

    @Test
    void moveTo_existingWithoutReplace_fileAlreadyExistsAndTheExistingKept() throws IOException {
        Files.writeString(root.resolve("file.txt"), "existing");
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "new");
            assertThrows(FileAlreadyExistsException.class, () -> temporary.moveTo(Path.of("file.txt"), false));
        }
        assertEquals("existing", Files.readString(root.resolve("file.txt")));
        assertEquals(List.of("file.txt"), entries());
    }

    @Test
    void moveTo_existingLinkWithReplace_replacesTheLinkNotItsTarget() throws IOException {
        Files.writeString(outside.resolve("authorized_keys"), "outside");
        Files.createSymbolicLink(root.resolve("file.txt"), outside.resolve("authorized_keys"));
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "new");
            temporary.moveTo(Path.of("file.txt"), true);
        }
        assertFalse(Files.isSymbolicLink(root.resolve("file.txt")));
        assertEquals("new", Files.readString(root.resolve("file.txt")));
        assertEquals("outside", Files.readString(outside.resolve("authorized_keys")));
    }

    @Test
    void moveTo_existingLinkWithoutReplace_fileAlreadyExistsTheLinkAndItsTargetKept() throws IOException {
        Files.writeString(outside.resolve("authorized_keys"), "outside");
        Files.createSymbolicLink(root.resolve("file.txt"), outside.resolve("authorized_keys"));
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "new");
            assertThrows(FileAlreadyExistsException.class, () -> temporary.moveTo(Path.of("file.txt"), false));
        }
        assertTrue(Files.isSymbolicLink(root.resolve("file.txt")));
        assertEquals("outside", Files.readString(outside.resolve("authorized_keys")));
        assertEquals(List.of("file.txt"), entries());
    }

    @Test
    void close_notMoved_removesTheFile() throws IOException {
        try (TemporaryFile temporary = directory.createTemporaryFile();
             OutputStream out = temporary.outputStream()) {
            out.write(new byte[100]);
        }
        assertEquals(List.of(), entries());
    }

    @Test
    void moveTo_temporaryNameGivenToAnotherFile_refusedAndThatFileNotMoved() throws IOException {
        Files.writeString(root.resolve("planted"), "planted");
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "ours");
            Files.move(root.resolve("planted"), root.resolve(temporary.name()), StandardCopyOption.REPLACE_EXISTING);
            FileSystemException e = assertThrows(FileSystemException.class, () -> temporary.moveTo(Path.of("f"), true));
            assertEquals("the temporary file was replaced; not used", e.getReason());
            assertThrows(FileSystemException.class, () -> temporary.setLastModified(FileTime.fromMillis(0)));
        }
        assertFalse(Files.exists(root.resolve("f"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void setOwner_asRoot_ownerAndGroupInPlaceAfterTheRename() throws IOException {
        assumeTrue(SecureDirectory.canSetOwner(), "owners are set only as root");
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "restored");
            temporary.setOwner(1234, 5678);
            temporary.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
            temporary.moveTo(Path.of("owned.txt"), false);
        }
        assertEquals(List.of(1234, 5678, 0100640), List.of(
                Files.getAttribute(root.resolve("owned.txt"), "unix:uid", LinkOption.NOFOLLOW_LINKS),
                Files.getAttribute(root.resolve("owned.txt"), "unix:gid", LinkOption.NOFOLLOW_LINKS),
                Files.getAttribute(root.resolve("owned.txt"), "unix:mode", LinkOption.NOFOLLOW_LINKS)));
        assertEquals("restored", Files.readString(root.resolve("owned.txt")));
    }

    @Test
    void setOwner_temporaryNameGivenToAnotherFile_refusedAndThatFileKeepsItsOwner() throws IOException {
        Path planted = Files.writeString(root.resolve("planted"), "planted");
        Object ownerBefore = Files.getAttribute(planted, "unix:uid");
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "ours");
            Files.move(planted, root.resolve(temporary.name()), StandardCopyOption.REPLACE_EXISTING);
            FileSystemException e = assertThrows(FileSystemException.class, () -> temporary.setOwner(1234, 5678));
            assertEquals("the temporary file was replaced; not used", e.getReason());
            assertEquals(ownerBefore, Files.getAttribute(root.resolve(temporary.name()), "unix:uid"));
        }
    }

    @Test
    void setAttributes_recorded_modeNanosecondMtimeAndAsRootOwnerInPlaceAfterTheRename() throws IOException {
        FileEntry recorded = new FileEntry("x", 8, 0).withAttributes(EntryType.FILE, 1_600_000_000_123_456_789L, 0604,
                1234L, 5678L, null);
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "restored");
            temporary.setAttributes(recorded);
            temporary.moveTo(Path.of("recorded.txt"), false);
        }
        Path restored = root.resolve("recorded.txt");
        assertEquals(0100604, Files.getAttribute(restored, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertEquals(1_600_000_000_123_456_789L, Files.getLastModifiedTime(restored).to(java.util.concurrent.TimeUnit.NANOSECONDS));
        if (SecureDirectory.canSetOwner()) {
            assertEquals(List.of(1234, 5678), List.of(Files.getAttribute(restored, "unix:uid"),
                    Files.getAttribute(restored, "unix:gid")));
        }
    }

    @Test
    void setAttributes_temporaryNameGivenToAnotherFile_refusedAndThatFileUnchanged() throws IOException {
        Path planted = Files.writeString(root.resolve("planted"), "planted");
        Object modeBefore = Files.getAttribute(planted, "unix:mode");
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "ours");
            Files.move(planted, root.resolve(temporary.name()), StandardCopyOption.REPLACE_EXISTING);
            FileSystemException e = assertThrows(FileSystemException.class, () -> temporary.setAttributes(
                    new FileEntry("x", 4, 0).withAttributes(EntryType.FILE, 0L, 0777, null, null, null)));
            assertEquals("the temporary file was replaced; not used", e.getReason());
            assertEquals(modeBefore, Files.getAttribute(root.resolve(temporary.name()), "unix:mode"));
        }
    }

    /** Without replace the file is renamed over a claimed name: the final name is the temporary file itself. */
    @Test
    void moveTo_withoutReplace_theWrittenFileItselfUnderOneName() throws IOException {
        Object written;
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "restored");
            written = SecureDirectoryTest.keyOf(root.resolve(temporary.name()));
            temporary.moveTo(Path.of("file.txt"), false);
        }
        assertEquals(written, SecureDirectoryTest.keyOf(root.resolve("file.txt")));
        assertEquals(1, Files.getAttribute(root.resolve("file.txt"), "unix:nlink"));
        assertEquals(List.of("file.txt"), entries());
    }

    @Test
    void isPlaceholder_emptyFileWritableByItsOwnerOnly_onlyThat() throws IOException {
        Files.createFile(root.resolve("claimed"), PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_WRITE)));
        Files.createFile(root.resolve("empty"));
        Files.createFile(root.resolve("none"), PosixFilePermissions.asFileAttribute(Set.of()));
        Files.writeString(root.resolve("data"), "x");
        Files.setPosixFilePermissions(root.resolve("data"), Set.of(PosixFilePermission.OWNER_WRITE));
        Files.createSymbolicLink(root.resolve("link"), root.resolve("claimed"));
        assertTrue(TemporaryFile.isPlaceholder(directory, Path.of("claimed")));
        for (String other : List.of("empty", "none", "data", "link", "missing")) {
            assertFalse(TemporaryFile.isPlaceholder(directory, Path.of(other)), other);
        }
    }

    /** Another delivery between its claim and its rename: its claim is not taken. */
    @Test
    void moveTo_withoutReplaceOverAFreshPlaceholder_fileAlreadyExistsAndTheClaimKept() throws IOException {
        Files.createFile(root.resolve("file.txt"), PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_WRITE)));
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "new");
            assertThrows(FileAlreadyExistsException.class, () -> temporary.moveTo(Path.of("file.txt"), false));
        }
        assertTrue(TemporaryFile.isPlaceholder(directory, Path.of("file.txt")));
        assertEquals(List.of("file.txt"), entries());
    }

    /** A claim left by a process that died between claim and rename: taken over once it is old. */
    @Test
    void moveTo_withoutReplaceOverAStalePlaceholder_takenOver() throws IOException {
        Path claimed = Files.createFile(root.resolve("file.txt"), PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_WRITE)));
        Files.setLastModifiedTime(claimed, FileTime.from(Instant.now().minus(TemporaryFile.STALE_PLACEHOLDER)
                .minusSeconds(1)));
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            write(temporary, "restored");
            temporary.moveTo(Path.of("file.txt"), false);
        }
        assertEquals("restored", Files.readString(root.resolve("file.txt")));
        assertEquals(List.of("file.txt"), entries());
    }

    @Test
    void moveTo_targetNotASingleName_throwsIllegalArgument() throws IOException {
        try (TemporaryFile temporary = directory.createTemporaryFile()) {
            assertThrows(IllegalArgumentException.class, () -> temporary.moveTo(Path.of("a/b"), true));
            assertThrows(IllegalArgumentException.class, () -> temporary.moveTo(outside.resolve("x"), true));
            assertTrue(Files.exists(root.resolve(temporary.name())));
        }
        assertFalse(Files.exists(outside.resolve("x")));
    }

    /** A batch is flushed with one syncfs only on kernels that report write-back errors to it (5.8 and later). */
    @Test
    void kernelAtLeast_versionStrings() {
        assertTrue(TemporaryFile.kernelAtLeast("6.1.0-18-amd64", 5, 8));
        assertTrue(TemporaryFile.kernelAtLeast("5.8.0", 5, 8));
        assertTrue(TemporaryFile.kernelAtLeast("5.10.16.3-microsoft-standard-WSL2", 5, 8));
        assertFalse(TemporaryFile.kernelAtLeast("5.4.0-150-generic", 5, 8));
        assertFalse(TemporaryFile.kernelAtLeast("4.19.0", 5, 8));
        assertFalse(TemporaryFile.kernelAtLeast("", 5, 8));
    }

    /** Files flushed together: every one is reported on the disk, and each one's flush is counted once at most. */
    @Test
    void forceAll_filesOfOneFolder_allOnTheDiskWithAtMostOneFlushEach() throws IOException {
        List<TemporaryFile> files = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                TemporaryFile file = directory.createTemporaryFile();
                files.add(file);
                write(file, "file " + i);
            }
            long before = SecureDirectory.flushes();
            List<Exception> failures = TemporaryFile.forceAll(files, Runnable::run);
            assertEquals(java.util.Collections.nCopies(5, null), failures);
            assertEquals(files.get(0).syncsTogether() ? 1 : 5, SecureDirectory.flushes() - before);
        } finally {
            for (TemporaryFile file : files) {
                file.close();
            }
        }
    }
}
