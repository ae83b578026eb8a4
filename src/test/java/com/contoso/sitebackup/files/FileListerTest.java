package com.contoso.sitebackup.files;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileListerTest {
    private static final PathFilter ALL = PathFilter.of(List.of(), List.of());

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static List<String> paths(DirectoryListing listing) {
        return listing.getFiles().stream().map(FileEntry::getPath).toList();
    }

    @Test
    void list_nestedEmptyHiddenUnicodeAndSpacedNames_allRegularFilesSortedWithForwardSlashes() throws IOException {
        write("z.txt", "z");
        write("a/b/c/deep.txt", "deep");
        write(".hidden", "h");
        write(".config/settings.json", "{}");
        write("café/naïve 日本.txt", "unicode");
        write("with space/file name.txt", "spaces");
        write("a/a.txt", "a");
        Files.createDirectories(root.resolve("empty/also-empty"));

        DirectoryListing listing = new FileLister().list(root, ALL);

        assertEquals(List.of(".config/settings.json", ".hidden", "a/a.txt", "a/b/c/deep.txt", "café/naïve 日本.txt",
                "with space/file name.txt", "z.txt"), paths(listing));
        assertEquals(List.of(), listing.getProblems());
    }

    @Test
    void list_emptyRoot_noFilesNoProblems() {
        DirectoryListing listing = new FileLister().list(root, ALL);
        assertEquals(List.of(), listing.getFiles());
        assertEquals(List.of(), listing.getProblems());
    }

    @Test
    void list_sizeAndLastModified_matchTheFile() throws IOException {
        Path file = write("dir/data.bin", "0123456789");
        Instant mtime = Instant.parse("2021-03-04T05:06:07.123Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        write("empty.bin", "");

        DirectoryListing listing = new FileLister().list(root, ALL);

        assertEquals(List.of(new FileEntry("dir/data.bin", 10, mtime.toEpochMilli()),
                new FileEntry("empty.bin", 0, Files.getLastModifiedTime(root.resolve("empty.bin")).toMillis())),
                listing.getFiles());
    }

    @Test
    void list_twiceOverTheSameTree_sameOrderEachTime() throws IOException {
        for (String name : List.of("m", "b", "Z", "a", "10", "9", "é", "e")) {
            write(name + "/f.txt", name);
            write(name + ".txt", name);
        }
        List<String> first = paths(new FileLister().list(root, ALL));
        List<String> second = paths(new FileLister().list(root, ALL));
        List<String> sorted = new ArrayList<>(first);
        sorted.sort(null);
        assertEquals(16, first.size());
        assertEquals(sorted, first);
        assertEquals(first, second);
    }

    @Test
    void list_symlinkLoop_reportedAsProblemsAndNotFollowed() throws IOException {
        write("dir/file.txt", "x");
        Files.createSymbolicLink(root.resolve("dir/self"), root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("up"), root);
        Files.createSymbolicLink(root.resolve("ping"), root.resolve("pong"));
        Files.createSymbolicLink(root.resolve("pong"), root.resolve("ping"));

        DirectoryListing listing = new FileLister().list(root, ALL);

        assertEquals(List.of("dir/file.txt"), paths(listing));
        assertEquals(List.of(
                new FileProblem("dir/self", "symbolic link, not followed"),
                new FileProblem("ping", "symbolic link, not followed"),
                new FileProblem("pong", "symbolic link, not followed"),
                new FileProblem("up", "symbolic link, not followed")), listing.getProblems());
    }

    @Test
    void list_symlinksPointingOutsideTheRoot_reportedAsProblemsAndTheirTargetsNotListed() throws IOException {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir/inner.txt"), "inner");
        write("inside.txt", "in");
        Files.createSymbolicLink(root.resolve("to-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("to-dir"), outside.resolve("dir"));

        DirectoryListing listing = new FileLister().list(root, ALL);

        assertEquals(List.of("inside.txt"), paths(listing));
        assertEquals(List.of(new FileProblem("to-dir", "symbolic link, not followed"),
                new FileProblem("to-file", "symbolic link, not followed")), listing.getProblems());
    }

    @Test
    void list_includeAndExclude_onlyMatchingFilesAndLinks() throws IOException {
        write("index.html", "i");
        write("a/page.html", "p");
        write("a/page.tmp", "t");
        write("cache/c.html", "c");
        write("notes.txt", "n");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Files.createSymbolicLink(root.resolve("link.html"), outside);

        DirectoryListing listing = new FileLister().list(root, PathFilter.of(List.of("**/*.html"), List.of("cache/**")));

        assertEquals(List.of("a/page.html", "index.html"), paths(listing));
        assertEquals(List.of(new FileProblem("link.html", "symbolic link, not followed")), listing.getProblems());
    }

    @Test
    void list_fifo_reportedAsNotARegularFile() throws Exception {
        write("ok.txt", "ok");
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).inheritIO().start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");

        DirectoryListing listing = new FileLister().list(root, ALL);

        assertEquals(List.of("ok.txt"), paths(listing));
        assertEquals(List.of(new FileProblem("pipe", "not a regular file")), listing.getProblems());
    }

    @Test
    void list_entryWhoseAttributesCannotBeRead_reportedAndTheWalkGoesOn() throws IOException {
        write("a.txt", "a");
        Path broken = write("sub/broken.txt", "b");
        write("sub/c.txt", "c");
        FileLister lister = new FileLister(new FailingView(Set.of(broken), Set.of()));

        DirectoryListing listing = lister.list(root, ALL);

        assertEquals(List.of("a.txt", "sub/c.txt"), paths(listing));
        assertEquals(1, listing.getProblems().size());
        FileProblem problem = listing.getProblems().get(0);
        assertEquals("sub/broken.txt", problem.getPath());
        assertTrue(problem.getReason().startsWith("not readable: AccessDeniedException"), problem.getReason());
    }

    @Test
    void list_directoryThatCannotBeOpened_reportedAndTheWalkGoesOn() throws IOException {
        write("a.txt", "a");
        Path locked = Files.createDirectories(root.resolve("locked"));
        write("locked/hidden-from-us.txt", "x");
        write("open/b.txt", "b");
        FileLister lister = new FileLister(new FailingView(Set.of(), Set.of(locked)));

        DirectoryListing listing = lister.list(root, ALL);

        assertEquals(List.of("a.txt", "open/b.txt"), paths(listing));
        assertEquals(1, listing.getProblems().size());
        assertEquals("locked", listing.getProblems().get(0).getPath());
        assertTrue(listing.getProblems().get(0).getReason().startsWith("directory not readable: AccessDeniedException"));
    }

    @Test
    void list_rootThatCannotBeOpened_oneProblemNoException() throws IOException {
        write("a.txt", "a");
        DirectoryListing listing = new FileLister(new FailingView(Set.of(), Set.of(root))).list(root, ALL);
        assertEquals(List.of(), listing.getFiles());
        assertEquals(1, listing.getProblems().size());
        assertEquals("", listing.getProblems().get(0).getPath());
    }

    /** The local file system, except that the named paths fail as an unreadable entry would. */
    private static final class FailingView implements FileLister.FileSystemView {
        private final Set<Path> failingAttributes;
        private final Set<Path> failingDirectories;

        FailingView(Set<Path> failingAttributes, Set<Path> failingDirectories) {
            this.failingAttributes = failingAttributes;
            this.failingDirectories = failingDirectories;
        }

        @Override
        public BasicFileAttributes attributes(Path path) throws IOException {
            if (failingAttributes.contains(path)) {
                throw new AccessDeniedException(path.toString());
            }
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public List<Path> children(Path directory) throws IOException {
            if (failingDirectories.contains(directory)) {
                throw new AccessDeniedException(directory.toString());
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
                stream.forEach(children::add);
            }
            return children;
        }
    }
}
