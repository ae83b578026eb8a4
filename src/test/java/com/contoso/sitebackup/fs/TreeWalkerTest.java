package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.filter.PathFilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private SecureDirectory open() {
        return SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root)).open("rootDirectory", root.toString());
    }

    /** Everything the walk meets, in its order. */
    private List<TreeWalker.Entry> entries() {
        try (SecureDirectory start = open(); Stream<TreeWalker.Entry> walk = TreeWalker.stream(start)) {
            return walk.toList();
        }
    }

    /** The encoded paths of the files, in the walk's order. */
    private List<String> files() {
        return entries().stream().filter(TreeWalker.Entry::isFile).map(TreeWalker.Entry::encodedPath).toList();
    }

    /** The problems, by encoded path. */
    private Map<String, String> problems() {
        Map<String, String> problems = new TreeMap<>();
        entries().stream().filter(e -> !e.isFile()).forEach(e -> problems.put(e.encodedPath(), e.problem()));
        return problems;
    }

    @Test
    void stream_treeWithLinksAndSpecialFiles_listsRegularFilesAndReportsTheRest() throws Exception {
        write("top.txt", "1");
        write("a/b/deep.txt", "22");
        write("a/back\\slash.", "333");
        Files.createSymbolicLink(root.resolve("a/outlink"), outside);
        Files.createSymbolicLink(root.resolve("a/filelink"), outside.resolve("secret"));
        SpecialFiles.fifo(root.resolve("a/pipe"));

        Map<String, Long> sizes = new TreeMap<>();
        entries().stream().filter(TreeWalker.Entry::isFile).forEach(e -> sizes.put(e.encodedPath(), e.state().size()));

        assertEquals(Map.of("top.txt", 1L, "a/b/deep.txt", 2L, "a/back%5Cslash%2E", 3L), sizes);
        assertEquals(Map.of("a/outlink", "symbolic link, not followed", "a/filelink", "symbolic link, not followed",
                "a/pipe", "not a regular file or folder"), problems());
    }

    /** Siblings sorted by encoded name, a folder as its name and '/': the order of the full encoded names. */
    @Test
    void stream_namesThatSortDifferentlyAsFoldersAndAsText_inTheOrderOfTheFullEncodedNames() throws IOException {
        for (String name : List.of("a.txt", "a/x.txt", "a0.txt", "a-b.txt", "a/b/c.txt", "ab/c.txt", "a\\b.txt",
                "Z.txt", "é/e.txt", "e.txt", "\uFF5E.txt", "\uD83D\uDE00.txt", "10/f", "9/f", ".hidden",
                ".config/settings.json", "with space/file name.txt")) {
            write(name, name);
        }
        Files.createDirectories(root.resolve("empty/also-empty"));

        List<String> walked = files();

        assertEquals(List.of(".config/settings.json", ".hidden", "10/f", "9/f", "Z.txt", "a%5Cb.txt", "a-b.txt",
                "a.txt", "a/b/c.txt", "a/x.txt", "a0.txt", "ab/c.txt", "e.txt", "with space/file name.txt",
                "é/e.txt", "\uFF5E.txt", "\uD83D\uDE00.txt"), walked);
        List<String> sorted = new ArrayList<>(walked);
        sorted.sort(TreeWalker.ENCODED_ORDER);
        assertEquals(sorted, walked);
        assertEquals(walked, files(), "the same order every time");
        assertEquals(Map.of(), problems());
    }

    @Test
    void encodedOrder_supplementaryCharacterAndPrivateUseArea_byCodePointNotUtf16Unit() {
        // U+FF5E sorts before U+1F600 by code point (and UTF-8 bytes), after it by UTF-16 unit (0xD83D).
        assertTrue(TreeWalker.ENCODED_ORDER.compare("\uFF5E", "\uD83D\uDE00") < 0);
        assertTrue("\uFF5E".compareTo("\uD83D\uDE00") > 0);
        assertTrue(TreeWalker.ENCODED_ORDER.compare("a", "a/") < 0);
        assertEquals(0, TreeWalker.ENCODED_ORDER.compare("日本", "日本"));
    }

    @Test
    void stream_sizeAndLastModified_matchTheFile() throws IOException {
        Path file = write("dir/data.bin", "0123456789");
        Instant mtime = Instant.parse("2021-03-04T05:06:07.123Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        write("empty.bin", "");

        List<TreeWalker.Entry> found = entries();

        assertEquals(List.of(Path.of("dir/data.bin"), Path.of("empty.bin")),
                found.stream().map(TreeWalker.Entry::relativePath).toList());
        assertEquals(10, found.get(0).state().size());
        assertEquals(mtime.toEpochMilli(), found.get(0).state().lastModifiedMillis());
        assertEquals(0, found.get(1).state().size());
    }

    @Test
    void stream_symlinkLoopsAndLinksOutside_reportedAsProblemsAndNotFollowed() throws IOException {
        write("dir/file.txt", "x");
        Files.createSymbolicLink(root.resolve("dir/self"), root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("up"), root);
        Files.createSymbolicLink(root.resolve("ping"), root.resolve("pong"));
        Files.createSymbolicLink(root.resolve("pong"), root.resolve("ping"));
        Files.createSymbolicLink(root.resolve("to-dir"), outside);

        assertEquals(List.of("dir/file.txt"), files());
        assertEquals(Map.of("dir/self", "symbolic link, not followed", "ping", "symbolic link, not followed",
                "pong", "symbolic link, not followed", "up", "symbolic link, not followed",
                "to-dir", "symbolic link, not followed"), problems());
    }

    @Test
    void stream_nameThatIsNotUtf8_keepsItsBytes() throws Exception {
        Process python = new ProcessBuilder("python3", "-c",
                "import sys; open(sys.argv[1].encode() + b'/caf\\xe9', 'wb').write(b'x')", root.toString())
                .inheritIO().start();
        assertEquals(0, python.waitFor());
        List<TreeWalker.Entry> found = entries();
        assertEquals(List.of("caf%E9"), files());
        try (SecureDirectory start = open(); OpenedFile file = start.openFileBelow(found.get(0).relativePath())) {
            assertEquals(1, file.before().size(), "the entry's path opens the file it names");
        }
    }

    @Test
    void stream_deeperThanTheLimit_reportedNotListed() throws IOException {
        Path deepest = root;
        for (int level = 0; level <= TreeWalker.MAX_DEPTH; level++) {
            deepest = deepest.resolve("d");
        }
        Files.createDirectories(deepest);
        Files.writeString(deepest.resolve("too-deep.txt"), "x");
        Files.writeString(deepest.getParent().resolve("deepest-listed.txt"), "y");
        assertEquals(List.of("d/".repeat(TreeWalker.MAX_DEPTH) + "deepest-listed.txt"), files());
        assertEquals(Map.of("d/".repeat(TreeWalker.MAX_DEPTH + 1).replaceAll("/$", ""),
                "deeper than 256 folders; not listed"), problems());
        assertTrue(entries().stream().filter(e -> !e.isFile()).allMatch(TreeWalker.Entry::folder));
    }

    /** The walk is lazy: a folder removed after its parent was listed is reported when reached, and the walk goes on. */
    @Test
    void stream_folderRemovedWhileWalking_reportedAndTheWalkGoesOn() throws IOException {
        write("a.txt", "a");
        write("gone/x.txt", "x");
        write("z/y.txt", "y");
        List<TreeWalker.Entry> found = new ArrayList<>();
        try (SecureDirectory start = open(); Stream<TreeWalker.Entry> walk = TreeWalker.stream(start)) {
            Iterator<TreeWalker.Entry> entries = walk.iterator();
            found.add(entries.next());
            Files.delete(root.resolve("gone/x.txt"));
            Files.delete(root.resolve("gone"));
            entries.forEachRemaining(found::add);
        }
        assertEquals(List.of("a.txt", "gone", "z/y.txt"), found.stream().map(TreeWalker.Entry::encodedPath).toList());
        assertEquals("folder not readable: NoSuchFileException", found.get(1).problem());
        assertTrue(found.get(1).folder());
    }

    @Test
    void stream_closedHalfWay_releasesEveryFolderItHeld() throws IOException {
        write("a/b/c/d/file.txt", "x");
        write("a/b/c/d/more.txt", "y");
        try (SecureDirectory start = open()) {
            long before = openDescriptors();
            Stream<TreeWalker.Entry> walk = TreeWalker.stream(start);
            assertEquals("a/b/c/d/file.txt", walk.iterator().next().encodedPath());
            assertTrue(openDescriptors() >= before + 4, "four folders open below the start");
            walk.close();
            assertEquals(before, openDescriptors());
        }
    }

    /** What {@link TreeWalker#FILES} reports with {@code filter}: files and problems by encoded path, in order. */
    private List<String> visited(PathFilter filter) {
        List<String> visited = new ArrayList<>();
        try (SecureDirectory start = open()) {
            TreeWalker.FILES.walk(start, filter, new FileWalk.Visitor() {
                @Override
                public void file(FileEntry file) {
                    visited.add(file.getPath());
                }

                @Override
                public void problem(FileProblem problem) {
                    visited.add("problem " + problem.getPath());
                }
            });
        }
        return visited;
    }

    @Test
    void files_namesThatSortDifferentlyAsPathsAndAsNames_inNameOrderOfTheirEncodedPaths() throws IOException {
        List<String> names = List.of("a.txt", "a/x.txt", "a/b/deep.txt", "a0", "a-b", "B", "\u00e9t\u00e9/f", "z",
                "\uD83D\uDE00.txt", "\uFF081\uFF09.txt", "dir/\uD83D\uDE00", "dir/\uFF08\uFF09", "10", "9", ".hidden");
        for (String name : names) {
            write(name, name);
        }
        List<String> expected = new ArrayList<>(names);
        expected.sort(NameOrder.PATHS);

        assertEquals(expected, visited(PathFilter.of(List.of(), List.of())));
    }

    @Test
    void files_includeAndExclude_filesAndLinksFilteredFoldersAlwaysEntered() throws IOException {
        write("index.html", "i");
        write("a/page.html", "p");
        write("a/page.tmp", "t");
        write("cache/c.html", "c");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Files.createSymbolicLink(root.resolve("link.html"), outside);

        assertEquals(List.of("a/page.html", "index.html", "problem link.html"),
                visited(PathFilter.of(List.of("**/*.html"), List.of("cache/**"))));
    }

    /** Gives {@code path} itself (a link's own, not its target's) these ids and, unless a link, this mode. */
    private static void own(Path path, int uid, int gid, String mode, long mtimeNanos) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        if (mode != null) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), null, null);
    }

    /** What {@link TreeWalker#FILES} reports to a visitor that takes folders and links too, in order. */
    private List<String> visitedWithFoldersAndLinks(PathFilter filter) {
        List<String> visited = new ArrayList<>();
        try (SecureDirectory start = open()) {
            TreeWalker.FILES.walk(start, filter, new FileWalk.Visitor() {
                @Override
                public void file(FileEntry file) {
                    visited.add("file " + file.getPath());
                }

                @Override
                public void problem(FileProblem problem) {
                    visited.add("problem " + problem.getPath() + ": " + problem.getReason());
                }

                @Override
                public void directory(FileEntry directory) {
                    visited.add("directory " + directory.getPath());
                }

                @Override
                public void link(FileEntry link) {
                    visited.add("link " + link.getPath() + " -> " + link.getTarget());
                }
            });
        }
        return visited;
    }

    /** Every entry of the walk with its attributes, by encoded path. */
    private Map<String, FileEntry> walkedEntries() {
        Map<String, FileEntry> found = new TreeMap<>();
        try (SecureDirectory start = open(); Stream<TreeWalker.Entry> walk = TreeWalker.entries(start)) {
            walk.filter(e -> !e.isProblem()).forEach(e -> found.put(e.encodedPath(), e.entry()));
        }
        return found;
    }

    @Test
    void entries_fileFolderAndLinks_eachWithTypeNanosecondTimeModeOwnerAndGroup() throws IOException {
        Path file = write("dir/data.bin", "0123456789");
        own(file, 1234, 5678, "rw-r-----", 1_700_000_000_123_456_789L);
        Files.createSymbolicLink(root.resolve("dir/abs"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("dir/up"), Path.of("../../outside/secret"));
        own(root.resolve("dir/abs"), 4321, 8765, null, 1_500_000_000_000_001_000L);
        own(root.resolve("dir"), 2345, 6789, "rwxr-x---", 1_600_000_000_987_654_321L);

        Map<String, FileEntry> entries = walkedEntries();

        assertEquals(List.of("dir", "dir/abs", "dir/data.bin", "dir/up"), List.copyOf(entries.keySet()));
        FileEntry data = entries.get("dir/data.bin");
        assertEquals(new FileEntry("dir/data.bin", 10, 1_700_000_000_123L).withAttributes(EntryType.FILE,
                1_700_000_000_123_456_789L, 0640, 1234L, 5678L, null), data);
        assertEquals(new FileEntry("dir", 0, 1_600_000_000_987L).withAttributes(EntryType.DIRECTORY,
                1_600_000_000_987_654_321L, 0750, 2345L, 6789L, null), entries.get("dir"));
        String absolute = outside.resolve("secret").toString();
        assertEquals(new FileEntry("dir/abs", absolute.length(), 1_500_000_000_000L).withAttributes(EntryType.SYMLINK,
                1_500_000_000_000_001_000L, 0777, 4321L, 8765L, absolute), entries.get("dir/abs"),
                "the link's own attributes, its target as stored, its size the target's length");
        FileEntry up = entries.get("dir/up");
        assertEquals(".%2E/.%2E/outside/secret", up.getTarget());
        assertEquals(Path.of("../../outside/secret"), PathCodec.decodeLinkTarget(up.getTarget()));
        assertEquals("../../outside/secret".length(), up.getSize());
    }

    @Test
    void entries_foldersBeforeTheirContentInNameOrder_startNotReportedLinksNeverFollowed() throws IOException {
        write("a.txt", "1");
        write("a/x.txt", "2");
        write("a0/y.txt", "3");
        Files.createDirectories(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("a/loop"), root);
        Files.createSymbolicLink(root.resolve("to-dir"), outside);

        List<String> walked = new ArrayList<>();
        try (SecureDirectory start = open(); Stream<TreeWalker.Entry> walk = TreeWalker.entries(start)) {
            walk.forEach(e -> walked.add(e.entry().getEntryType() + " " + e.encodedPath()));
        }

        assertEquals(List.of("FILE a.txt", "DIRECTORY a", "SYMLINK a/loop", "FILE a/x.txt", "DIRECTORY a0",
                "FILE a0/y.txt", "DIRECTORY empty", "SYMLINK to-dir"), walked);
    }

    @Test
    void stream_treeWithFoldersAndLinks_filesAndProblemsAsBeforeFoldersLeftOut() throws IOException {
        write("a/x.txt", "2");
        Files.createDirectories(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("a/link"), outside);

        List<TreeWalker.Entry> found = entries();

        assertEquals(List.of("a/link", "a/x.txt"), found.stream().map(TreeWalker.Entry::encodedPath).toList());
        assertEquals("symbolic link, not followed", found.get(0).problem());
        assertTrue(found.get(1).isFile());
        assertEquals(0644, found.get(1).entry().getMode());
    }

    @Test
    void files_visitorTakingFoldersAndLinks_getsThemWhereTheFilterAcceptsThem() throws IOException {
        write("index.html", "i");
        write("a/page.html", "p");
        write("a/page.tmp", "t");
        write("cache/c.html", "c");
        Files.createDirectories(root.resolve("a.html"));
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Files.createSymbolicLink(root.resolve("link.html"), Path.of("index.html"));

        // "a.html/" sorts before "a/" ('.' before '/'), as the full names "a.html/..." and "a/..." do.
        assertEquals(List.of("directory a.html", "directory a", "file a/page.html", "file a/page.tmp",
                "directory cache", "file cache/c.html", "file index.html", "link link.html -> index.html",
                "link link.txt -> " + outside), visitedWithFoldersAndLinks(PathFilter.of(List.of(), List.of())));
        assertEquals(List.of("directory a.html", "file a/page.html", "file index.html",
                "link link.html -> index.html"), visitedWithFoldersAndLinks(
                PathFilter.of(List.of("**/*.html"), List.of("cache/**"))));
    }

    @Test
    void stream_emptyRoot_findsNothing() {
        assertEquals(List.of(), entries());
    }

    /**
     * How many of this process's descriptors are open on something under the test's folder: only the walk's, whatever
     * other threads of the JVM open meanwhile (a jar, a socket).
     */
    private long openDescriptors() throws IOException {
        Path under = root.toRealPath();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(under);
                } catch (IOException e) {
                    return false; // closed since it was listed
                }
            }).count();
        }
    }
}
