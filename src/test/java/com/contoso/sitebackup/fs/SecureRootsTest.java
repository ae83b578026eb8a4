package com.contoso.sitebackup.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecureRootsTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.createDirectories(root.resolve("site/docs"));
        Files.writeString(root.resolve("site/docs/a.txt"), "inside");
        Files.writeString(outside.resolve("secret"), "outside");
    }

    private static List<String> names(SecureDirectory directory) throws IOException {
        return directory.names().stream().map(Path::toString).sorted().collect(Collectors.toList());
    }

    @Test
    void open_directoryUnderARoot_pinnedThere() throws IOException {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        try (SecureDirectory docs = roots.open("rootDirectory", root.resolve("site/docs").toString())) {
            assertEquals(List.of("a.txt"), names(docs));
            assertEquals(root.resolve("site/docs"), docs.path());
            assertFalse(docs.writable());
        }
        try (SecureDirectory itself = roots.open("rootDirectory", root.toString())) {
            assertEquals(List.of("site"), names(itself));
        }
    }

    @Test
    void open_rootConfiguredThroughALink_reachedByEitherPath() throws IOException {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), root);
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(alias));
        try (SecureDirectory byAlias = roots.open("rootDirectory", alias.resolve("site").toString());
             SecureDirectory byReal = roots.open("rootDirectory", root.resolve("site").toString())) {
            assertEquals(names(byAlias), names(byReal));
        }
    }

    /**
     * Outside every root (existing or not), missing inside, a link or a file on the way: one message for all,
     * naming neither the roots nor what exists outside.
     */
    @Test
    void open_everyRefusal_sameMessageWithoutTheRoots() throws IOException {
        Files.createSymbolicLink(root.resolve("site/out"), outside);
        Files.createSymbolicLink(root.resolve("site/in"), root.resolve("site/docs"));
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        List<String> requested = List.of(outside.toString(), outside.resolve("missing").toString(), "/etc",
                "/etc/shadowX", root.resolve("missing").toString(), root.resolve("site/out").toString(),
                root.resolve("site/in").toString(), root.resolve("site/docs/a.txt").toString(),
                root.resolve("site/out/secret").toString(), root + "x");
        List<String> messages = new ArrayList<>();
        for (String directory : requested) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> roots.open("rootDirectory", directory), directory);
            messages.add(e.getMessage().replace(directory, "<dir>"));
            assertFalse(e.getMessage().replace(directory, "").contains(root.toString()), e.getMessage());
        }
        assertEquals(1, messages.stream().distinct().count(), String.join("\n", messages));
        assertEquals("rootDirectory '<dir>' is not a directory this app may read (it must be a folder under one of"
                + " the configured read roots, reached without symbolic links)", messages.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/dir", "/a/../b", "/a/./b"})
    void open_notAnAbsolutePathOfNames_throwsSayingSo(String directory) {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> roots.open("rootDirectory", directory));
        assertTrue(e.getMessage().contains("must be an absolute path"), e.getMessage());
    }

    @Test
    void open_blankOrNull_throwsNamingTheArgument() {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        assertEquals("rootDirectory is required and must not be blank",
                assertThrows(IllegalArgumentException.class, () -> roots.open("rootDirectory", " ")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> roots.open("rootDirectory", null));
    }

    @Test
    void open_controlCharacterInRequest_escapedInTheMessage() {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.open("rootDirectory", root + "/x\nforged"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void open_nulCharacter_refusedWithTheNulEscaped() {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.open("rootDirectory", root + "/a\u0000b"));
        assertEquals("rootDirectory '" + root + "/a\\u0000b' is not a directory this app may read (it must be a folder"
                + " under one of the configured read roots, reached without symbolic links)", e.getMessage());
    }

    @Test
    void checkWritable_missingTargetUnderAWriteRoot_acceptedAndNothingCreated() {
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        roots.checkWritable("targetDirectory", root.resolve("site/new/deeper").toString());
        roots.checkWritable("targetDirectory", root.resolve("site/docs").toString());
        assertFalse(Files.exists(root.resolve("site/new")));
    }

    @Test
    void checkWritable_fileOrLinkOnTheWayOrOutside_refusedLikeOpen() throws IOException {
        Files.createSymbolicLink(root.resolve("site/out"), outside);
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        for (Path target : List.of(root.resolve("site/docs/a.txt"), root.resolve("site/docs/a.txt/new"),
                root.resolve("site/out"), root.resolve("site/out/new"), outside.resolve("new"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> roots.checkWritable("targetDirectory", target.toString()), target.toString());
            assertEquals("targetDirectory '" + target + "' is not a directory this app may write (it must be a folder"
                    + " under one of the configured write roots, reached without symbolic links)", e.getMessage());
        }
        assertEquals(List.of("secret"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void checkWritable_readRoots_illegalState() {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        assertThrows(IllegalStateException.class, () -> roots.checkWritable("targetDirectory", root.toString()));
    }

    @Test
    void forWriting_twoCodeDirectories_neitherEverWritten() throws IOException {
        Path scriptRoot = Files.createDirectories(root.resolve("wwwroot"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root),
                List.of(scriptRoot, classes, tmp.resolve("not-on-this-machine")));
        for (Path code : List.of(scriptRoot, classes)) {
            assertThrows(IllegalArgumentException.class, () -> roots.openOrCreate("targetDirectory", code.toString()));
            assertThrows(IllegalArgumentException.class,
                    () -> roots.checkWritable("targetDirectory", code.resolve("new").toString()));
            assertThrows(IllegalArgumentException.class,
                    () -> SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(code), List.of(scriptRoot, classes)));
        }
        roots.openOrCreate("targetDirectory", root.resolve("restore").toString()).close();
    }

    @Test
    void open_rootReplacedByALinkAfterStartup_refused() throws IOException {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        roots.open("rootDirectory", root.toString()).close();
        Files.move(root, tmp.resolve("root-moved"));
        Files.createSymbolicLink(root, outside);
        assertThrows(IllegalArgumentException.class, () -> roots.open("rootDirectory", root.toString()));
        // Even a real directory recreated in its place is another directory: refused until a restart.
        Files.delete(root);
        Files.createDirectory(root);
        assertThrows(IllegalArgumentException.class, () -> roots.open("rootDirectory", root.toString()));
    }

    @Test
    void open_rootMissingAtStartup_allowedOnceItExists() throws IOException {
        Path later = tmp.resolve("later");
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(later));
        assertThrows(IllegalArgumentException.class, () -> roots.open("rootDirectory", later.toString()));
        Files.createDirectory(later);
        try (SecureDirectory opened = roots.open("rootDirectory", later.toString())) {
            assertEquals(List.of(), opened.names());
        }
    }

    @Test
    void open_noRoots_allowsNothing() {
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> roots.openOrCreate("targetDirectory", root.toString()));
    }

    @Test
    void open_nestedRoots_theDeepestRootIsWalkedFrom() throws IOException {
        // Both roots cover the directory; the walk starts from the inner one (fewer steps, same result).
        Path inner = root.resolve("site");
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root, inner));
        try (SecureDirectory docs = roots.open("rootDirectory", inner.resolve("docs").toString())) {
            assertEquals(List.of("a.txt"), names(docs));
        }
    }

    @Test
    void openOrCreate_missingFoldersUnderAWriteRoot_createdOneByOne() throws IOException {
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        try (SecureDirectory target = roots.openOrCreate("targetDirectory", root.resolve("restore/x/y").toString())) {
            assertTrue(target.writable());
            assertEquals(List.of(), target.names());
        }
        assertTrue(Files.isDirectory(root.resolve("restore/x/y")));
    }

    @Test
    void openOrCreate_linkOnTheWay_refusedAndNothingCreatedOutside() throws IOException {
        Files.createSymbolicLink(root.resolve("restore"), outside);
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        assertThrows(IllegalArgumentException.class,
                () -> roots.openOrCreate("targetDirectory", root.resolve("restore/x").toString()));
        assertEquals(List.of("secret"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void openOrCreate_danglingLinkAsTarget_refusedAndNothingCreatedWhereItPoints() {
        Path dangling = outside.resolve("created-later");
        assertThrows(IllegalArgumentException.class, () -> {
            Files.createSymbolicLink(root.resolve("target"), dangling);
            SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of())
                    .openOrCreate("targetDirectory", root.resolve("target").toString());
        });
        assertFalse(Files.exists(dangling));
    }

    @Test
    void openOrCreate_readRoots_illegalState() {
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        assertThrows(IllegalStateException.class, () -> roots.openOrCreate("targetDirectory", root.toString()));
    }

    @Test
    void forWriting_rootIsTheCodeDirectoryOrInsideIt_throwsNamingTheSetting() throws IOException {
        Path code = root.resolve("site");
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(outside, code), List.of(code)));
        assertEquals("BACKUP_WRITE_ROOTS entry 2 is the app's code directory (AzureWebJobsScriptRoot) or inside it:"
                + " never writable", same.getMessage());
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), code.resolve("docs"));
        assertThrows(IllegalArgumentException.class,
                () -> SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(alias), List.of(code)));
    }

    @Test
    void openOrCreate_writeRootAboveTheCodeDirectory_codeDirectoryNeverEntered() throws IOException {
        Path code = root.resolve("site");
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of(code));
        try (SecureDirectory beside = roots.openOrCreate("targetDirectory", root.resolve("restore").toString())) {
            assertTrue(beside.writable());
        }
        assertThrows(IllegalArgumentException.class, () -> roots.openOrCreate("targetDirectory", code.toString()));
        assertThrows(IllegalArgumentException.class,
                () -> roots.openOrCreate("targetDirectory", code.resolve("docs/new").toString()));
        assertFalse(Files.exists(code.resolve("docs/new")));
        // Read roots may read it: backing up the app's own folder is the common case.
        try (SecureDirectory read = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root))
                .open("rootDirectory", code.toString())) {
            assertEquals(List.of("docs"), names(read));
        }
    }

    @Test
    void openOrCreate_writeRootMissingAtStartupThenALinkIntoTheCodeDirectory_refused() throws IOException {
        Path code = root.resolve("site");
        Path later = tmp.resolve("later");
        SecureRoots roots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(later), List.of(code));
        Files.createSymbolicLink(later, code.resolve("docs"));
        assertThrows(IllegalArgumentException.class, () -> roots.openOrCreate("targetDirectory", later.toString()));
        assertThrows(IllegalArgumentException.class,
                () -> roots.openOrCreate("targetDirectory", later.resolve("x").toString()));
        assertFalse(Files.exists(code.resolve("docs/x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative", "/a/../b"})
    void forReading_rootNotAnAbsolutePathOfNames_throwsNamingTheSetting(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(Path.of(bad))));
        assertEquals("BACKUP_READ_ROOTS entry 1 must be an absolute path without '.' or '..' names", e.getMessage());
    }
}
