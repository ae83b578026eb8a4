package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.fs.TreeWalker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 2: containment was checked against the root's real path, then the path was used again by name.
 * Here a root or a restore target is swapped for a link to outside after it was opened (between listing and
 * copying, between planning and writing): everything keeps working on the directory that was opened, and a
 * new open of the swapped path is refused. A dangling link as a restore target is refused and nothing is made
 * where it points.
 */
class RootSwapAttackTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path site;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        site = Files.createDirectories(root.resolve("site"));
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/page.html"), "inside page");
        Files.createDirectories(outside.resolve("docs"));
        Files.writeString(outside.resolve("docs/page.html"), "OUTSIDE SECRET");
    }

    private void swapSiteForLinkOutside() throws IOException {
        Files.move(site, root.resolve("site-old"));
        Files.createSymbolicLink(site, outside);
    }

    private List<String> outsideFiles() throws IOException {
        try (Stream<Path> files = Files.walk(outside)) {
            return files.map(p -> outside.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void copy_rootSwappedForALinkAfterListing_copiesReadTheListedTreeAndANewOpenIsRefused() throws IOException {
        SecureRoots readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        List<Path> listed = new ArrayList<>();
        try (SecureDirectory pinned = readRoots.open("rootDirectory", site.toString())) {
            try (Stream<TreeWalker.Entry> walk = TreeWalker.stream(pinned)) {
                walk.forEach(entry -> {
                    assertTrue(entry.isFile(), entry.encodedPath() + ": " + entry.problem());
                    listed.add(entry.relativePath());
                });
            }
            swapSiteForLinkOutside();
            for (Path file : listed) {
                try (SecureDirectory folder = pinned.openDirectories(file.getParent());
                     OpenedFile opened = folder.openFile(file.getFileName())) {
                    assertEquals("inside page", new String(opened.inputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(List.of(Path.of("docs/page.html")), listed);
        assertThrows(IllegalArgumentException.class, () -> readRoots.open("rootDirectory", site.toString()));
        System.out.println("root swapped after listing: 1 file copied from the listed tree, a new open refused");
    }

    @Test
    void restore_targetSwappedForALinkAfterPlanning_writesLandInTheOpenedTargetOnly() throws IOException {
        SecureRoots writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        List<String> before = outsideFiles();
        try (SecureDirectory target = writeRoots.openOrCreate("targetDirectory", site.toString())) {
            swapSiteForLinkOutside();
            try (SecureDirectory folder = target.openOrCreateDirectories(Path.of("docs/new"));
                 TemporaryFile temporary = folder.createTemporaryFile()) {
                temporary.channel().write(ByteBuffer.wrap("restored".getBytes(StandardCharsets.UTF_8)));
                temporary.moveTo(Path.of("page.html"), true);
            }
        }
        assertEquals("restored", Files.readString(root.resolve("site-old/docs/new/page.html")));
        assertEquals(before, outsideFiles());
        assertThrows(IllegalArgumentException.class, () -> writeRoots.openOrCreate("targetDirectory", site.toString()));
    }

    @Test
    void restore_danglingLinkAsTarget_refusedAndNothingMadeWhereItPointsLater() throws IOException {
        SecureRoots writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        Path later = outside.resolve("cron.d");
        Path target = Files.createSymbolicLink(root.resolve("restore-here"), later);
        assertThrows(IllegalArgumentException.class,
                () -> writeRoots.openOrCreate("targetDirectory", target.toString()));
        Files.createDirectory(later);
        assertThrows(IllegalArgumentException.class,
                () -> writeRoots.openOrCreate("targetDirectory", target.resolve("sub").toString()));
        assertEquals(List.of(), Files.list(later).toList());
        assertFalse(Files.exists(later.resolve("sub")));
    }

    /** The request's root folder itself swapped without pause while it is opened again and again. */
    @Test
    void open_requestRootSwappedWithALinkContinuously_neverOpensOutside() throws Exception {
        Files.createSymbolicLink(root.resolve("swap"), outside);
        SecureRoots readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        int inside = 0;
        int refused = 0;
        int outsideOpens = 0;
        long swaps;
        try (RenameExchange attacker = RenameExchange.start(site, root.resolve("swap"))) {
            for (int i = 0; i < 2_000; i++) {
                try (SecureDirectory opened = readRoots.open("rootDirectory", site.toString());
                     SecureDirectory docs = opened.openDirectories(Path.of("docs"));
                     OpenedFile page = docs.openFile(Path.of("page.html"))) {
                    String content = new String(page.inputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (content.equals("OUTSIDE SECRET")) {
                        outsideOpens++;
                    } else {
                        inside++;
                    }
                } catch (IOException | IllegalArgumentException e) {
                    refused++;
                }
            }
            swaps = attacker.stop();
        }
        System.out.printf("request root swap: %,d swaps; 2,000 opens: %,d inside, %,d refused, %d outside%n", swaps,
                inside, refused, outsideOpens);
        assertEquals(0, outsideOpens);
        assertTrue(inside > 0, "no open got through");
    }
}
