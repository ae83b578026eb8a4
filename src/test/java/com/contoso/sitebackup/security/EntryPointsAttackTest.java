package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.contoso.sitebackup.files.BlobNameCodec;
import com.contoso.sitebackup.files.SecureDirectory;
import com.contoso.sitebackup.files.SecureRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 1: activities and slice orchestrators trusted their input, reachable with the system key
 * through the extension's own webhook. The inputs of those attacks, fed to the primitives every file access
 * goes through, are refused whatever the caller: a root of {@code /} or {@code /etc}, a planted manifest name
 * with {@code ..}, an outside {@code etc/cron.d} as a restore target. (The activities themselves are driven
 * with these inputs once they use the primitives.)
 */
class EntryPointsAttackTest {
    @TempDir
    Path tmp;

    private Path root;
    private SecureRoots readRoots;
    private SecureRoots writeRoots;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("site"));
        readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
    }

    @Test
    void open_sliceOrCopyWithARootOutside_refused() {
        for (String directory : List.of("/", "/etc", "/home", tmp.toString())) {
            assertThrows(IllegalArgumentException.class, () -> readRoots.open("rootDirectory", directory), directory);
        }
    }

    @Test
    void decodePath_plantedManifestNameLeadingUp_refusedBeforeAnyFileIsTouched() throws IOException {
        try (SecureDirectory site = readRoots.open("rootDirectory", root.resolve("site").toString())) {
            for (String planted : List.of("../../etc/passwd", "..", "a/../../b", "/etc/passwd")) {
                assertThrows(IllegalArgumentException.class, () -> BlobNameCodec.decodePath(planted), planted);
                assertThrows(IllegalArgumentException.class, () -> site.openDirectories(Path.of(planted).getParent() == null
                        ? Path.of(planted) : Path.of(planted).getParent()), planted);
            }
        }
    }

    @Test
    void openOrCreate_restoreSliceIntoAnOutsideCronFolder_refusedAndNothingCreated() throws IOException {
        Path cron = Files.createDirectories(tmp.resolve("etc/cron.d"));
        assertThrows(IllegalArgumentException.class, () -> writeRoots.openOrCreate("targetDirectory", cron.toString()));
        assertThrows(IllegalArgumentException.class,
                () -> writeRoots.openOrCreate("targetDirectory", cron.resolve("new").toString()));
        assertEquals(List.of(), Files.list(cron).toList());
    }
}
