package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot's links restored into a real temp folder opened through the write roots. */
class LinkRestorerTest {
    private static final long MTIME = 1_650_000_000_123_456_000L;

    @TempDir
    Path root;
    private SecureDirectory folder;

    @BeforeEach
    void openTheFolder() {
        folder = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of())
                .openOrCreate("targetDirectory", root.toString());
    }

    @AfterEach
    void close() {
        folder.close();
    }

    private static FileEntry link(String name, String target) {
        return new FileEntry(name, target.length(), 0).withAttributes(EntryType.SYMLINK, MTIME, 0777, null, null,
                PathCodec.encodeLinkTarget(Path.of(target)));
    }

    private FileOutcome restore(FileEntry entry, boolean overwrite) throws IOException {
        return LinkRestorer.restore(folder, Path.of(entry.getPath()), entry, overwrite);
    }

    @Test
    void restore_newName_aLinkStoringTheTargetAsRecordedWithItsMtime() throws IOException {
        FileOutcome result = restore(link("up", "../../etc/passwd"), false);

        assertNull(result.getProblem());
        assertEquals(16, result.getBytes());
        assertEquals(Path.of("../../etc/passwd"), Files.readSymbolicLink(root.resolve("up")));
        assertEquals(MTIME, Files.getLastModifiedTime(root.resolve("up"), LinkOption.NOFOLLOW_LINKS)
                .to(TimeUnit.NANOSECONDS));
    }

    @Test
    void restore_existingFileWithoutOverwrite_refusedAndKept() throws IOException {
        Files.writeString(root.resolve("name"), "mine");

        FileOutcome result = restore(link("name", "elsewhere"), false);

        assertEquals(BlobRestorer.NOT_OVERWRITTEN, result.getProblem());
        assertEquals("mine", Files.readString(root.resolve("name")));
    }

    /** Replaced by a rename over it: the old file is swapped out whole, never written through or truncated. */
    @Test
    void restore_existingFileWithOverwrite_replacedByTheLinkTheFileNeverWrittenThrough() throws IOException {
        Files.writeString(root.resolve("name"), "mine");
        Path otherName = Files.createLink(root.resolve("other-name"), root.resolve("name"));

        FileOutcome result = restore(link("name", "/etc/hostname"), true);

        assertNull(result.getProblem());
        assertEquals(Path.of("/etc/hostname"), Files.readSymbolicLink(root.resolve("name")));
        assertEquals("mine", Files.readString(otherName));
        assertEquals(List.of(), leftovers());
    }

    /** An existing link is never followed: replacing it leaves what it pointed to as it was. */
    @Test
    void restore_existingLinkToAnotherTarget_refusedWithoutOverwriteReplacedWithItsTargetUntouched(@TempDir Path outside)
            throws IOException {
        Path victim = Files.writeString(outside.resolve("victim"), "untouched");
        Files.createSymbolicLink(root.resolve("name"), victim);

        FileOutcome refused = restore(link("name", "new-target"), false);
        FileOutcome replaced = restore(link("name", "new-target"), true);

        assertEquals(BlobRestorer.NOT_OVERWRITTEN, refused.getProblem());
        assertNull(replaced.getProblem());
        assertEquals(Path.of("new-target"), Files.readSymbolicLink(root.resolve("name")));
        assertEquals("untouched", Files.readString(victim));
    }

    @Test
    void restore_theSameLinkAlready_restoredWithoutOverwrite() throws IOException {
        Files.createSymbolicLink(root.resolve("name"), Path.of("a/b"));

        FileOutcome result = restore(link("name", "a/b"), false);

        assertNull(result.getProblem());
        assertEquals(MTIME, Files.getLastModifiedTime(root.resolve("name"), LinkOption.NOFOLLOW_LINKS)
                .to(TimeUnit.NANOSECONDS), "a retry finishes the link's attributes");
    }

    @Test
    void restore_folderOfThatName_refusedEvenWithOverwrite() throws IOException {
        Files.createDirectory(root.resolve("name"));
        Files.writeString(root.resolve("name/inside"), "kept");

        FileOutcome result = restore(link("name", "x"), true);

        assertEquals("a folder of that name exists; not replaced", result.getProblem());
        assertEquals("kept", Files.readString(root.resolve("name/inside")));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void restore_targetNotAnEncoding_refusedNothingMade() throws IOException {
        FileEntry forged = new FileEntry("name", 3, 0).withAttributes(EntryType.SYMLINK, MTIME, 0777, null, null, "a%zz");

        FileOutcome result = restore(forged, true);

        assertTrue(result.getProblem().startsWith("refused: the link's target: "), result.getProblem());
        assertEquals(List.of(), Files.list(root).toList());
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> all = Files.list(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".restoring-")).toList();
        }
    }
}
