package com.contoso.sitebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWalkerTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret"), "outside");
    }

    /** Found files (encoded relative name to size) and problems (encoded relative name to reason). */
    private record Found(Map<String, Long> files, Map<String, String> problems) {
    }

    private Found walk() {
        Found found = new Found(new TreeMap<>(), new TreeMap<>());
        try (SecureDirectory start = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root))
                .open("rootDirectory", root.toString())) {
            TreeWalker.walk(start, new TreeWalker.Visitor() {
                @Override
                public void file(Path relativePath, FileState state) {
                    found.files().put(BlobNameCodec.encode(relativePath), state.size());
                }

                @Override
                public void problem(Path relativePath, String reason) {
                    found.problems().put(BlobNameCodec.encode(relativePath), reason);
                }
            });
        }
        return found;
    }

    @Test
    void walk_treeWithLinksAndSpecialFiles_listsRegularFilesAndReportsTheRest() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("top.txt"), "1");
        Files.writeString(root.resolve("a/b/deep.txt"), "22");
        Files.writeString(root.resolve("a/back\\slash."), "333");
        Files.createSymbolicLink(root.resolve("a/outlink"), outside);
        Files.createSymbolicLink(root.resolve("a/filelink"), outside.resolve("secret"));
        SpecialFiles.fifo(root.resolve("a/pipe"));
        Found found = walk();
        assertEquals(Map.of("top.txt", 1L, "a/b/deep.txt", 2L, "a/back%5Cslash%2E", 3L), found.files());
        assertEquals(Map.of("a/outlink", "symbolic link, not followed", "a/filelink", "symbolic link, not followed",
                "a/pipe", "not a regular file or folder"), found.problems());
    }

    @Test
    void walk_nameThatIsNotUtf8_keepsItsBytes() throws Exception {
        Process python = new ProcessBuilder("python3", "-c",
                "import sys; open(sys.argv[1].encode() + b'/caf\\xe9', 'wb').write(b'x')", root.toString())
                .inheritIO().start();
        assertEquals(0, python.waitFor());
        assertEquals(Map.of("caf%E9", 1L), walk().files());
    }

    @Test
    void walk_deeperThanTheLimit_reportedNotListed() throws IOException {
        Path deepest = root;
        for (int level = 0; level <= TreeWalker.MAX_DEPTH; level++) {
            deepest = deepest.resolve("d");
        }
        Files.createDirectories(deepest);
        Files.writeString(deepest.resolve("too-deep.txt"), "x");
        Files.writeString(deepest.getParent().resolve("deepest-listed.txt"), "y");
        Found found = walk();
        String listed = "d/".repeat(TreeWalker.MAX_DEPTH) + "deepest-listed.txt";
        assertEquals(Map.of(listed, 1L), found.files());
        assertEquals(Map.of("d/".repeat(TreeWalker.MAX_DEPTH + 1).replaceAll("/$", ""),
                "deeper than 256 folders; not listed"), found.problems());
    }

    @Test
    void walk_emptyRoot_findsNothing() {
        Found found = walk();
        assertTrue(found.files().isEmpty() && found.problems().isEmpty());
    }
}
