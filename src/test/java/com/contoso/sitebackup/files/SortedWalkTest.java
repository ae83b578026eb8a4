package com.contoso.sitebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortedWalkTest {
    private static final PathFilter ALL = PathFilter.of(List.of(), List.of());

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private final List<FileEntry> files = new ArrayList<>();
    private final List<FileProblem> problems = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), "secret");
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private void walk(PathFilter filter) {
        walk(filter, file -> { });
    }

    /** Walks the root; {@code onFile} runs after each file is recorded, to change the tree mid-walk. */
    private void walk(PathFilter filter, Consumer<FileEntry> onFile) {
        new SortedWalk().walk(root, filter, new FileWalk.Visitor() {
            @Override
            public void file(FileEntry file) {
                files.add(file);
                onFile.accept(file);
            }

            @Override
            public void problem(FileProblem problem) {
                problems.add(problem);
            }
        });
    }

    private List<String> paths() {
        return files.stream().map(FileEntry::getPath).toList();
    }

    @Test
    void walk_namesThatSortDifferentlyAsPathsAndAsNames_filesInUtf8OrderOfTheirFullPaths() throws IOException {
        List<String> names = List.of("a.txt", "a/x.txt", "a/b/deep.txt", "a0", "a-b", "B", "\u00e9t\u00e9/f", "z",
                "\uD83D\uDE00.txt", "\uFF081\uFF09.txt", "dir/\uD83D\uDE00", "dir/\uFF08\uFF09", "10", "9", ".hidden");
        for (String name : names) {
            write(name, name);
        }
        List<String> expected = new ArrayList<>(names);
        expected.sort(NameOrder.PATHS);

        walk(ALL);

        assertEquals(expected, paths());
        assertEquals(List.of(), problems);
    }

    @Test
    void walk_sizeAndMtime_asTheFileHasThem() throws IOException {
        Path file = write("dir/data.bin", "0123456789");
        Instant mtime = Instant.parse("2021-03-04T05:06:07.123Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        Files.createDirectories(root.resolve("empty/also-empty"));

        walk(ALL);

        assertEquals(List.of(new FileEntry("dir/data.bin", 10, mtime.toEpochMilli())), files);
    }

    @Test
    void walk_linksToOutsideAndLoops_reportedAndNeverFollowed() throws IOException {
        write("dir/file.txt", "x");
        Files.createSymbolicLink(root.resolve("dir/self"), root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("to-dir"), outside);
        Files.createSymbolicLink(root.resolve("to-file"), outside.resolve("secret.txt"));

        walk(ALL);

        assertEquals(List.of("dir/file.txt"), paths());
        assertEquals(List.of(new FileProblem("dir/self", "symbolic link, not followed"),
                new FileProblem("to-dir", "symbolic link, not followed"),
                new FileProblem("to-file", "symbolic link, not followed")), problems);
    }

    @Test
    void walk_folderSwappedForALinkAfterItWasListed_notEntered() throws IOException {
        write("a/1.txt", "1");
        write("b/2.txt", "2");

        walk(ALL, file -> {
            if (file.getPath().equals("a/1.txt")) {
                try {
                    // "b" was listed as a folder when the root was read; now it leads outside.
                    Files.move(root.resolve("b"), tmp.resolve("b-moved"));
                    Files.createSymbolicLink(root.resolve("b"), outside);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        assertEquals(List.of("a/1.txt"), paths(), "nothing from outside");
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("b", problems.get(0).getPath());
        assertTrue(problems.get(0).getReason().startsWith("directory not readable: "), problems.get(0).getReason());
    }

    @Test
    void walk_folderRemovedAfterItWasListed_reportedAndTheWalkGoesOn() throws IOException {
        write("a/1.txt", "1");
        write("b/2.txt", "2");
        write("c/3.txt", "3");

        walk(ALL, file -> {
            if (file.getPath().equals("a/1.txt")) {
                try {
                    Files.delete(root.resolve("b/2.txt"));
                    Files.delete(root.resolve("b"));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        assertEquals(List.of("a/1.txt", "c/3.txt"), paths());
        assertEquals(List.of("b"), problems.stream().map(FileProblem::getPath).toList());
        assertTrue(problems.get(0).getReason().contains("NoSuchFileException"), problems.get(0).getReason());
    }

    @Test
    void walk_includeAndExclude_filesAndLinksFilteredFoldersAlwaysEntered() throws IOException {
        write("index.html", "i");
        write("a/page.html", "p");
        write("a/page.tmp", "t");
        write("cache/c.html", "c");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Files.createSymbolicLink(root.resolve("link.html"), outside);

        walk(PathFilter.of(List.of("**/*.html"), List.of("cache/**")));

        assertEquals(List.of("a/page.html", "index.html"), paths());
        assertEquals(List.of(new FileProblem("link.html", "symbolic link, not followed")), problems);
    }

    @Test
    void walk_fifo_reportedAsNotARegularFile() throws Exception {
        write("ok.txt", "ok");
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).inheritIO().start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");

        walk(ALL);

        assertEquals(List.of("ok.txt"), paths());
        assertEquals(List.of(new FileProblem("pipe", "not a regular file")), problems);
    }

    @Test
    void walk_rootThatCannotBeOpened_oneProblemForTheRoot() {
        new SortedWalk().walk(root.resolve("missing"), ALL, new FileWalk.Visitor() {
            @Override
            public void file(FileEntry file) {
                files.add(file);
            }

            @Override
            public void problem(FileProblem problem) {
                problems.add(problem);
            }
        });

        assertEquals(List.of(), files);
        assertEquals(List.of(""), problems.stream().map(FileProblem::getPath).toList());
    }
}
