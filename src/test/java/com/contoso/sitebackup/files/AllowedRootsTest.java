package com.contoso.sitebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedRootsTest {
    @TempDir
    Path tmp;

    private Path allowed;
    private Path outside;
    private AllowedRoots roots;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        roots = AllowedRoots.forReading(List.of(allowed));
    }

    @Test
    void forReading_noRoots_allowNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllowedRoots.forReading(List.of()).resolveDirectory("rootDirectory", allowed.toString()));
        assertTrue(e.getMessage().contains("BACKUP_READ_ROOTS"), e.getMessage());
    }

    @Test
    void forWriting_targetInsideTheAppsCode_refusedEvenUnderAWriteRoot() throws IOException {
        Path code = Files.createDirectories(allowed.resolve("wwwroot"));
        AllowedRoots writable = AllowedRoots.forWriting(List.of(allowed), List.of(code));
        assertThrows(IllegalArgumentException.class, () -> writable.resolveTarget("targetDirectory", code.resolve("lib").toString()));
        assertThrows(IllegalArgumentException.class, () -> writable.resolveTarget("targetDirectory", allowed.toString()),
                "a folder holding the code would let a restore write into it");
        assertEquals(allowed.resolve("other"), writable.resolveTarget("targetDirectory", allowed.resolve("other").toString()));
    }

    @Test
    void resolveDirectory_theRootItself_isAllowed() {
        assertEquals(allowed, roots.resolveDirectory("rootDirectory", allowed.toString()));
    }

    @Test
    void resolveDirectory_nestedDirectoryWithDotDots_returnsCanonicalPath() throws IOException {
        Path site = Files.createDirectories(allowed.resolve("site/wwwroot"));
        Files.createDirectories(allowed.resolve("other"));
        Path result = roots.resolveDirectory("rootDirectory", allowed + "/other/../site/./wwwroot/");
        assertEquals(site.toRealPath(), result);
    }

    @Test
    void resolveDirectory_missingDirectory_throwsDoesNotExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", allowed + "/nope"));
        assertEquals("rootDirectory '" + allowed + "/nope' does not exist", e.getMessage());
    }

    @Test
    void resolveDirectory_regularFile_throwsNotADirectory() throws IOException {
        Path file = Files.writeString(allowed.resolve("file.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", file.toString()));
        assertTrue(e.getMessage().endsWith("is not a directory"), e.getMessage());
    }

    @Test
    void resolveDirectory_directoryOutsideRoots_throwsNotUnderAllowedRoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", outside.toString()));
        assertTrue(e.getMessage().contains("is not under an allowed root"), e.getMessage());
        assertTrue(e.getMessage().contains("BACKUP_READ_ROOTS"), e.getMessage());
    }

    @Test
    void resolveDirectory_dotDotEscapingTheRoot_throwsNotUnderAllowedRoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", allowed + "/../outside"));
        assertTrue(e.getMessage().contains("is not under an allowed root"), e.getMessage());
    }

    @Test
    void resolveDirectory_siblingWhoseNameExtendsTheRoot_throwsNotUnderAllowedRoot() throws IOException {
        Path sibling = Files.createDirectories(tmp.resolve("allowed2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", sibling.toString()));
        assertTrue(e.getMessage().contains("is not under an allowed root"), e.getMessage());
    }

    @Test
    void resolveDirectory_symlinkInsideRootPointingOutside_throwsNotUnderAllowedRoot() throws IOException {
        Path link = Files.createSymbolicLink(allowed.resolve("escape"), outside);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", link.toString()));
        assertTrue(e.getMessage().contains("is not under an allowed root"), e.getMessage());
    }

    @Test
    void resolveDirectory_symlinkInsideRootPointingInside_returnsTarget() throws IOException {
        Path target = Files.createDirectories(allowed.resolve("real"));
        Path link = Files.createSymbolicLink(allowed.resolve("alias"), target);
        assertEquals(target, roots.resolveDirectory("rootDirectory", link.toString()));
    }

    @Test
    void resolveDirectory_rootConfiguredThroughSymlink_allowsItsRealContents() throws IOException {
        Path linkToAllowed = Files.createSymbolicLink(tmp.resolve("link-to-allowed"), allowed);
        Path site = Files.createDirectories(allowed.resolve("site"));
        AllowedRoots viaLink = AllowedRoots.forReading(List.of(linkToAllowed));
        assertEquals(site, viaLink.resolveDirectory("rootDirectory", linkToAllowed + "/site"));
    }

    @Test
    void resolveDirectory_relativePath_throwsMustBeAbsolute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", "site/wwwroot"));
        assertEquals("rootDirectory 'site/wwwroot' must be an absolute path", e.getMessage());
    }

    @Test
    void resolveDirectory_blankOrNull_throwsRequired() {
        assertEquals("rootDirectory is required and must not be blank", assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", "  ")).getMessage());
        assertEquals("rootDirectory is required and must not be blank", assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", null)).getMessage());
    }

    @Test
    void resolveDirectory_nulCharacter_throwsNotAValidPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveDirectory("rootDirectory", allowed + "/a\u0000b"));
        assertTrue(e.getMessage().contains("is not a valid path"), e.getMessage());
    }

    @Test
    void resolveDirectory_configuredRootMissing_allowsNothing() {
        AllowedRoots missing = AllowedRoots.forReading(List.of(tmp.resolve("missing")));
        assertThrows(IllegalArgumentException.class, () -> missing.resolveDirectory("rootDirectory", allowed.toString()));
    }

    @Test
    void resolveTarget_missingDirectoryUnderRoot_returnsPathUnderRealRoot() {
        assertEquals(allowed.resolve("new/dir"), roots.resolveTarget("targetDirectory", allowed + "/new/dir"));
    }

    @Test
    void resolveTarget_missingDirectoryOutsideRoot_throws() {
        assertThrows(IllegalArgumentException.class, () -> roots.resolveTarget("targetDirectory", outside + "/new"));
    }

    @Test
    void resolveTarget_existingFile_throwsNotADirectory() throws IOException {
        Path file = Files.writeString(allowed.resolve("f"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolveTarget("targetDirectory", file.toString()));
        assertTrue(e.getMessage().endsWith("is not a directory"), e.getMessage());
    }
}
