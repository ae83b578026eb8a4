package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.fs.EntryAttributes;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.fs.TreeWalker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 3: symbolic-link races inside the tree. Another process swaps a real folder (or file) with a
 * link to outside the roots, atomically and without pause, while thousands of reads and hundreds of restores
 * run through the secure primitives: nothing is read from or written outside (the counts are printed). The
 * same race against by-name access (what the copier and restorer did) does reach outside, which shows the
 * attack is live on this machine.
 */
class SymlinkRaceAttackTest {
    /** Reads attempted under each race: at least this many, and on until {@link #MIN_READ} of them succeeded. */
    private static final int READS = 5_000;
    private static final int MIN_READ = 100;
    private static final int MAX_READS = 200_000;
    /** Restores attempted under each race: until this many succeeded, or {@link #MAX_ATTEMPTS}. */
    private static final int RESTORES = 200;
    private static final int MAX_ATTEMPTS = 20_000;
    /** Reads by name tried under the race until one reaches outside (proof that the attack runs). */
    private static final int NAIVE_ATTEMPTS = 500_000;
    private static final byte[] INSIDE = "inside".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OUTSIDE = "OUTSIDE".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private Path root;
    private Path site;
    private Path outside;
    private SecureRoots readRoots;
    private SecureRoots writeRoots;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        site = Files.createDirectories(root.resolve("site"));
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.createDirectories(site.resolve("d"));
        Files.write(site.resolve("d/f"), INSIDE);
        Files.write(outside.resolve("f"), OUTSIDE);
        Files.write(outside.resolve("authorized_keys"), OUTSIDE);
        Files.createSymbolicLink(site.resolve("swap"), outside);
        readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
    }

    /** Every file under {@code directory} (not following links) with its content. */
    private static Map<String, String> contents(Path directory) throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                BasicFileAttributes attributes =
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!file.equals(directory)) {
                    found.put(directory.relativize(file).toString(), attributes.isRegularFile()
                            ? Files.readString(file) : attributes.isDirectory() ? "<dir>" : "<other>");
                }
            }
        }
        return found;
    }

    /** Whichever of the two swapped names is the real folder once the swapping stopped. */
    private Path realOf(Path a, Path b) {
        return Files.isSymbolicLink(a) ? b : a;
    }

    @Test
    void openFile_folderSwappedWithALinkOutside_thousandsOfReadsNoneOutside() throws Exception {
        Map<String, String> outsideBefore = contents(outside);
        int inside = 0;
        int refused = 0;
        int outsideReads = 0;
        int byNameOutside = 0;
        long swaps;
        int attempts = 0;
        try (RenameExchange attacker = RenameExchange.start(site.resolve("d"), site.resolve("swap"))) {
            for (; attempts < READS || (inside < MIN_READ && attempts < MAX_READS); attempts++) {
                try (SecureDirectory top = readRoots.open("rootDirectory", site.toString());
                     SecureDirectory d = top.openDirectories(Path.of("d"));
                     OpenedFile f = d.openFile(Path.of("f"))) {
                    byte[] read = f.inputStream().readAllBytes();
                    if (java.util.Arrays.equals(read, OUTSIDE)) {
                        outsideReads++;
                    } else {
                        assertArrayEquals(INSIDE, read);
                        inside++;
                    }
                } catch (IOException | IllegalArgumentException e) {
                    refused++;
                }
            }
            assertTrue(attacker.running(), "the attacker stopped early");
            byNameOutside = readsByNameUntilOutside(site.resolve("d/f"));
            swaps = attacker.stop();
        }
        System.out.printf("folder swap: %,d swaps; %,d reads through the primitives: %,d inside, %,d refused, %d outside;"
                + " checked then read by name: first outside read after %,d reads%n", swaps, attempts, inside, refused,
                outsideReads, byNameOutside);
        assertEquals(0, outsideReads);
        assertTrue(inside > 0, "no read got through: the read path was not exercised");
        assertTrue(byNameOutside > 0, "the race never reached outside by name: the attack did not run");
        assertTrue(swaps >= 1_000, swaps + " swaps: the attacker hardly ran");
        assertEquals(outsideBefore, contents(outside));
    }

    @Test
    void openFile_fileSwappedWithALinkOutside_thousandsOfReadsNoneOutside() throws Exception {
        Files.createSymbolicLink(site.resolve("d/flink"), outside.resolve("f"));
        int attempts = 0;
        int inside = 0;
        int refused = 0;
        int outsideReads = 0;
        int byNameOutside = 0;
        long swaps;
        try (SecureDirectory d = readRoots.open("rootDirectory", site.resolve("d").toString());
             RenameExchange attacker = RenameExchange.start(site.resolve("d/f"), site.resolve("d/flink"))) {
            for (; attempts < READS || (inside < MIN_READ && attempts < MAX_READS); attempts++) {
                try (OpenedFile f = d.openFile(Path.of("f"))) {
                    byte[] read = f.inputStream().readAllBytes();
                    if (java.util.Arrays.equals(read, OUTSIDE)) {
                        outsideReads++;
                    } else {
                        assertArrayEquals(INSIDE, read);
                        inside++;
                    }
                } catch (IOException e) {
                    refused++;
                }
            }
            byNameOutside = readsByNameUntilOutside(site.resolve("d/f"));
            swaps = attacker.stop();
        }
        System.out.printf("file swap: %,d swaps; %,d reads through the primitives: %,d inside, %,d refused, %d outside;"
                + " checked then read by name: first outside read after %,d reads%n", swaps, attempts, inside, refused,
                outsideReads, byNameOutside);
        assertEquals(0, outsideReads);
        assertTrue(inside > 0, "no read got through: the read path was not exercised");
        assertTrue(byNameOutside > 0, "the race never reached outside by name: the attack did not run");
    }

    /** A file over 32 MiB hashed from its one handle while its name is swapped with a link to another file. */
    @Test
    void openFile_largeFileSwappedWithALinkWhileHashed_hashIsAlwaysTheInsideFiles() throws Exception {
        byte[] insideMd5 = writeRandom(site.resolve("d/big"), 40 << 20, 1);
        byte[] outsideMd5 = writeRandom(outside.resolve("big"), 40 << 20, 2);
        Files.createSymbolicLink(site.resolve("d/biglink"), outside.resolve("big"));
        int hashed = 0;
        int unchanged = 0;
        int refused = 0;
        try (SecureDirectory d = readRoots.open("rootDirectory", site.resolve("d").toString());
             RenameExchange attacker = RenameExchange.start(site.resolve("d/big"), site.resolve("d/biglink"))) {
            while (hashed < 5) {
                try (OpenedFile big = d.openFile(Path.of("big"))) {
                    byte[] md5 = md5(big.inputStream());
                    assertArrayEquals(insideMd5, md5, "hashed another file than the one opened");
                    hashed++;
                    unchanged += big.unchanged() ? 1 : 0;
                } catch (IOException e) {
                    refused++;
                }
            }
            attacker.stop();
        }
        System.out.printf("40 MiB file hashed %d times under the swap (%d refused at open): always the inside file's MD5;"
                + " %d of them still under its name at the end%n", hashed, refused, unchanged);
        assertTrue(!java.util.Arrays.equals(insideMd5, outsideMd5));
    }

    @Test
    void restore_targetFolderSwappedWithALinkOutside_hundredsOfRestoresNothingWrittenOutside() throws Exception {
        Map<String, String> outsideBefore = contents(outside);
        int restored = 0;
        int attempts = 0;
        long swaps;
        try (RenameExchange attacker = RenameExchange.start(site.resolve("d"), site.resolve("swap"))) {
            for (; restored < RESTORES && attempts < MAX_ATTEMPTS; attempts++) {
                try (SecureDirectory target = writeRoots.openOrCreate("targetDirectory", site.resolve("d").toString());
                     SecureDirectory folder =
                             target.openOrCreateDirectories(Path.of("sub" + (attempts % 10), "deeper" + attempts))) {
                    restore(folder, "file", "restored " + attempts, true);
                    restore(target, "authorized_keys", "restored keys " + attempts, true);
                    restored++;
                } catch (IOException | IllegalArgumentException e) {
                    // Refused: the target was the link at that instant.
                }
            }
            swaps = attacker.stop();
        }
        Map<String, String> inside = contents(realOf(site.resolve("d"), site.resolve("swap")));
        long files = inside.keySet().stream().filter(k -> k.endsWith("/file")).count();
        System.out.printf("target swap: %,d swaps; %,d restores raced: %d done, %,d refused; %d files inside; outside"
                + " unchanged: %s%n", swaps, attempts, restored, attempts - restored, files,
                outsideBefore.equals(contents(outside)));
        assertEquals(outsideBefore, contents(outside));
        assertEquals(restored, files);
        assertTrue(restored > 0 && attempts >= RESTORES, "no restore got through: the write path was not exercised");
    }

    /** The folders below the pinned target are swapped: each is created or entered through its own handle. */
    @Test
    void restore_folderInsideTheTargetSwappedWithALinkOutside_hundredsOfRestoresNothingWrittenOutside() throws Exception {
        Files.createDirectories(site.resolve("d/inner"));
        Files.createSymbolicLink(site.resolve("d/innerlink"), outside);
        Map<String, String> outsideBefore = contents(outside);
        int restored = 0;
        int attempts = 0;
        try (SecureDirectory target = writeRoots.openOrCreate("targetDirectory", site.resolve("d").toString());
             RenameExchange attacker = RenameExchange.start(site.resolve("d/inner"), site.resolve("d/innerlink"))) {
            for (; restored < RESTORES && attempts < MAX_ATTEMPTS; attempts++) {
                try (SecureDirectory folder = target.openOrCreateDirectories(Path.of("inner", "new" + attempts))) {
                    restore(folder, "file", "restored " + attempts, attempts % 2 == 0);
                    restored++;
                } catch (IOException e) {
                    // Refused: 'inner' was the link at that instant.
                }
            }
            attacker.stop();
        }
        Map<String, String> inner = contents(realOf(site.resolve("d/inner"), site.resolve("d/innerlink")));
        long files = inner.keySet().stream().filter(k -> k.endsWith("/file")).count();
        System.out.printf("inner folder swap: %,d restores raced (each creating a folder): %d done, %,d refused; %d"
                + " files inside; outside unchanged: %s%n", attempts, restored, attempts - restored, files,
                outsideBefore.equals(contents(outside)));
        assertEquals(outsideBefore, contents(outside));
        assertEquals(restored, files);
        assertTrue(restored > 0 && attempts >= RESTORES, "no restore got through: the write path was not exercised");
    }

    /** Restoring over a file whose name is swapped with a link to outside keys: the link is replaced, not followed. */
    @Test
    void restore_overwriteOfAFileSwappedWithALinkToOutsideKeys_outsideKeysUntouched() throws Exception {
        Files.write(site.resolve("d/authorized_keys"), INSIDE);
        Files.createSymbolicLink(site.resolve("d/keyslink"), outside.resolve("authorized_keys"));
        int restored = 0;
        int refused = 0;
        try (SecureDirectory target = writeRoots.openOrCreate("targetDirectory", site.resolve("d").toString());
             RenameExchange attacker = RenameExchange.start(site.resolve("d/authorized_keys"), site.resolve("d/keyslink"))) {
            for (int i = 0; i < RESTORES; i++) {
                try {
                    restore(target, "authorized_keys", "restored " + i, true);
                    restored++;
                } catch (IOException e) {
                    refused++;
                }
            }
            attacker.stop();
        }
        System.out.printf("keys swap with overwrite: %d restores: %d done, %d refused; outside keys: %s%n", RESTORES,
                restored, refused, Files.readString(outside.resolve("authorized_keys")));
        assertArrayEquals(OUTSIDE, Files.readAllBytes(outside.resolve("authorized_keys")));
        assertEquals(List.of("authorized_keys", "f"),
                Files.list(outside).map(p -> p.getFileName().toString()).sorted().toList());
    }

    /** The restorer's old way (folders, temporary file and rename all by path) under the same race: it lands outside. */
    @Test
    void restore_byPathUnderTheSameRace_landsOutside() throws Exception {
        int landedOutside;
        try (RenameExchange attacker = RenameExchange.start(site.resolve("d"), site.resolve("swap"))) {
            for (int i = 0; i < RESTORES; i++) {
                try {
                    Path folder = Files.createDirectories(site.resolve("d/sub" + i));
                    Path temporary = Files.write(folder.resolve(".restoring"), INSIDE);
                    Files.move(temporary, folder.resolve("file"), StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // Swapped mid-way.
                }
            }
            attacker.stop();
        }
        try (Stream<Path> written = Files.list(outside)) {
            landedOutside = (int) written.filter(p -> p.getFileName().toString().startsWith("sub")).count();
        }
        System.out.printf("by path: %d of %d restores created folders or files outside%n", landedOutside, RESTORES);
        assertTrue(landedOutside > 0, "the race never reached outside by path: the attack did not run");
    }

    /** The owner, size and mode of {@code path} itself, and its mtime in nanoseconds. */
    private static List<Object> attributesOf(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:uid,gid,size,mode,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        return List.of(unix.get("uid"), unix.get("gid"), unix.get("size"), unix.get("mode"),
                ((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
    }

    /**
     * Walks (every entry with its attributes) and attribute reads while the folder is swapped with a link to
     * outside: the walk never lists an outside name or attributes (outside's f is root's and 7 bytes, the inside f
     * uid 1234's and 6), though reading by path after checking the folder does reach outside.
     */
    @Test
    void walkAndEntryAttributes_folderSwappedWithALinkOutside_neverAnOutsideNameOrAttributes() throws Exception {
        Files.setAttribute(site.resolve("d/f"), "unix:uid", 1234);
        int walks = 0;
        int filesSeen = 0;
        int read = 0;
        int refused = 0;
        List<String> outsideSeen = new java.util.ArrayList<>();
        int byPathOutside = 0;
        long swaps;
        try (RenameExchange attacker = RenameExchange.start(site.resolve("d"), site.resolve("swap"))) {
            for (; walks < READS / 5; walks++) {
                try (SecureDirectory top = readRoots.open("rootDirectory", site.toString());
                     Stream<TreeWalker.Entry> walk = TreeWalker.entries(top)) {
                    for (TreeWalker.Entry entry : (Iterable<TreeWalker.Entry>) walk::iterator) {
                        if (entry.isFile()) {
                            filesSeen++;
                            if (!entry.encodedPath().endsWith("/f") || entry.entry().getUid() != 1234
                                    || entry.entry().getSize() != INSIDE.length) {
                                outsideSeen.add(entry.encodedPath() + " uid " + entry.entry().getUid());
                            }
                        }
                    }
                }
                try (SecureDirectory top = readRoots.open("rootDirectory", site.toString());
                     SecureDirectory d = top.openDirectory(Path.of("d"))) {
                    EntryAttributes f = d.entryAttributes(Path.of("f"));
                    if (f.uid() != 1234 || f.size() != INSIDE.length) {
                        outsideSeen.add("entryAttributes uid " + f.uid());
                    }
                    read++;
                } catch (IOException e) {
                    refused++;
                }
            }
            assertTrue(attacker.running(), "the attacker stopped early");
            byPathOutside = attributesByPathUntilOutside(site.resolve("d"), site.resolve("d/f"));
            swaps = attacker.stop();
        }
        System.out.printf("folder swap: %,d swaps; %,d walks (%,d files seen) and %,d attribute reads (%,d refused):"
                + " %d outside; checked then read by path: first outside attributes after %,d reads%n", swaps, walks,
                filesSeen, read, refused, outsideSeen.size(), byPathOutside);
        assertEquals(List.of(), outsideSeen);
        assertTrue(filesSeen > 0 && read > 0, "nothing read: the read path was not exercised");
        assertTrue(byPathOutside > 0, "the race never reached outside by path: the attack did not run");
    }

    /**
     * A restore setting a file's recorded attributes (owner, mode, time) while its name is swapped with a link to a
     * file outside: the link is never followed, so the outside file keeps its owner, mode and time; setting them by
     * path after checking the name does change it.
     */
    @Test
    void setAttributes_fileSwappedWithALinkOutside_outsideFileNeverChanged() throws Exception {
        Files.createSymbolicLink(site.resolve("d/flink"), outside.resolve("f"));
        List<Object> outsideBefore = attributesOf(outside.resolve("f"));
        int set = 0;
        int refused = 0;
        int byPathOutside;
        try (SecureDirectory d = writeRoots.openOrCreate("targetDirectory", site.resolve("d").toString());
             RenameExchange attacker = RenameExchange.start(site.resolve("d/f"), site.resolve("d/flink"))) {
            for (int i = 0; i < READS / 5 || (set < MIN_READ && i < MAX_READS); i++) {
                // Recorded as the file, then as the link: whichever the name is at that instant, only it changes.
                EntryType type = i % 2 == 0 ? EntryType.FILE : EntryType.SYMLINK;
                FileEntry recorded = new FileEntry("f", 0, 0).withAttributes(type, 1_000_000_000_000_000_000L + i,
                        0666, 4321L, 8765L, null);
                try {
                    d.setAttributes(Path.of("f"), recorded);
                    set++;
                } catch (IOException e) {
                    refused++;
                }
            }
            assertEquals(outsideBefore, attributesOf(outside.resolve("f")));
            byPathOutside = setByPathUntilOutside(site.resolve("d/f"), outside.resolve("f"));
            attacker.stop();
        }
        System.out.printf("file swap: %,d attribute sets through the primitives: %,d done, %,d refused, outside file"
                + " unchanged; checked then set by path: outside changed after %,d sets%n", set + refused, set, refused,
                byPathOutside);
        assertTrue(set > 0, "nothing set: the write path was not exercised");
        assertTrue(byPathOutside > 0, "the race never reached outside by path: the attack did not run");
    }

    /** Links restored into a target folder swapped with a link to outside: every link lands in the real folder. */
    @Test
    void createSymbolicLink_targetFolderSwappedWithALinkOutside_nothingCreatedOutside() throws Exception {
        Map<String, String> outsideBefore = contents(outside);
        int created = 0;
        int attempts = 0;
        long swaps;
        try (RenameExchange attacker = RenameExchange.start(site.resolve("d"), site.resolve("swap"))) {
            for (; created < RESTORES && attempts < MAX_ATTEMPTS; attempts++) {
                try (SecureDirectory target = writeRoots.openOrCreate("targetDirectory", site.resolve("d").toString())) {
                    target.createSymbolicLink(Path.of("link" + attempts), Path.of("authorized_keys"));
                    created++;
                } catch (IOException | IllegalArgumentException e) {
                    // Refused: the target was the link at that instant.
                }
            }
            assertTrue(attacker.running(), "the attacker stopped early");
            swaps = attacker.stop();
        }
        Path real = realOf(site.resolve("d"), site.resolve("swap"));
        long links;
        try (Stream<Path> inside = Files.list(real)) {
            links = inside.filter(Files::isSymbolicLink).count();
        }
        System.out.printf("target swap: %,d swaps; %,d link creations raced: %d done, %,d refused; %d links inside;"
                + " outside unchanged: %s%n", swaps, attempts, created, attempts - created, links,
                outsideBefore.equals(contents(outside)));
        assertEquals(outsideBefore, contents(outside));
        assertEquals(created, links);
        assertTrue(created > 0, "no link created: the write path was not exercised");
    }

    /**
     * Reads the attributes of {@code file} by path the way a walk by path would (its folder checked not to be a
     * link, then the file's attributes read through it) until they are the outside file's: how many reads that
     * took, or 0 when none was within {@value #NAIVE_ATTEMPTS}.
     */
    private static int attributesByPathUntilOutside(Path folder, Path file) {
        for (int attempt = 1; attempt <= NAIVE_ATTEMPTS; attempt++) {
            try {
                if (Files.readAttributes(folder, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()
                        && (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) != 1234) {
                    return attempt;
                }
            } catch (IOException e) {
                // Swapped mid-way: try again.
            }
        }
        return 0;
    }

    /**
     * Sets the time of {@code file} by path (checked to be a regular file first, then set following links, as a
     * restore by path would) until {@code outsideFile}'s time changes: how many sets that took, or 0.
     */
    private static int setByPathUntilOutside(Path file, Path outsideFile) throws IOException {
        FileTime before = Files.getLastModifiedTime(outsideFile);
        for (int attempt = 1; attempt <= NAIVE_ATTEMPTS; attempt++) {
            try {
                if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
                    Files.setLastModifiedTime(file, FileTime.fromMillis(attempt));
                }
            } catch (IOException e) {
                // Swapped mid-way: try again.
            }
            if (!Files.getLastModifiedTime(outsideFile).equals(before)) {
                return attempt;
            }
        }
        return 0;
    }

    /**
     * Reads {@code file} by name the way the copier did (its last component checked not to be a link, then read
     * following links) until one read returns the outside content: how many reads that took, or 0 when none did
     * within {@value #NAIVE_ATTEMPTS}.
     */
    private static int readsByNameUntilOutside(Path file) {
        for (int attempt = 1; attempt <= NAIVE_ATTEMPTS; attempt++) {
            try {
                if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()
                        && java.util.Arrays.equals(Files.readAllBytes(file), OUTSIDE)) {
                    return attempt;
                }
            } catch (IOException e) {
                // Swapped mid-way: try again.
            }
        }
        return 0;
    }

    private static void restore(SecureDirectory folder, String name, String content, boolean replace) throws IOException {
        try (TemporaryFile temporary = folder.createTemporaryFile()) {
            temporary.channel().write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            temporary.moveTo(Path.of(name), replace);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Not replacing: the existing file stays, which is this restore's outcome too.
        }
    }

    private static byte[] writeRandom(Path file, int size, long seed) throws IOException, NoSuchAlgorithmException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
                md5.update(chunk);
            }
        }
        return md5.digest();
    }

    private static byte[] md5(InputStream in) throws IOException, NoSuchAlgorithmException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            md5.update(buffer, 0, n);
        }
        return md5.digest();
    }
}
