package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 4: a restore with overwrite replaced the app's own jar, because the default allowed root
 * started with the folder the app is deployed to. The code directory ({@code AzureWebJobsScriptRoot}) is never
 * writable: a write root equal to it or inside it is refused at startup, and a write root above it never
 * enters it.
 */
class CodeDirectoryAttackTest {
    @TempDir
    Path tmp;

    private Path home;
    private Path wwwroot;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home/site")).toRealPath();
        wwwroot = Files.createDirectories(home.resolve("wwwroot"));
        Files.createDirectories(wwwroot.resolve("lib"));
        Files.writeString(wwwroot.resolve("site-backup.jar"), "the app");
    }

    @Test
    void forWriting_theOldDefaultRootList_refusedAtStartup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(wwwroot, home.resolve("data")), List.of(wwwroot)));
        assertEquals("BACKUP_WRITE_ROOTS entry 1 is the app's code directory (AzureWebJobsScriptRoot) or inside it:"
                + " never writable", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(wwwroot.resolve("lib")), List.of(wwwroot)));
    }

    @Test
    void openOrCreate_writeRootAboveTheCodeDirectory_restoreIntoItRefusedAndTheJarUntouched() throws IOException {
        SecureRoots writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(home), List.of(wwwroot));
        for (String target : List.of(wwwroot.toString(), wwwroot.resolve("lib").toString(),
                wwwroot.resolve("new/folder").toString())) {
            assertThrows(IllegalArgumentException.class, () -> writeRoots.openOrCreate("targetDirectory", target));
        }
        // A restore into the write root itself whose files lie under wwwroot/: refused at the folder.
        try (SecureDirectory top = writeRoots.openOrCreate("targetDirectory", home.toString())) {
            FileSystemException e = assertThrows(FileSystemException.class,
                    () -> top.openOrCreateDirectories(Path.of("wwwroot/lib")));
            assertEquals("the app's code directory is never written", e.getReason());
        }
        assertEquals("the app", Files.readString(wwwroot.resolve("site-backup.jar")));
        assertFalse(Files.exists(wwwroot.resolve("new")));
        System.out.println("code directory: 3 restore targets inside it refused, 1 path through it refused, jar intact");
    }

    @Test
    void openOrCreate_linkToTheCodeDirectoryInsideAWriteRoot_refused() throws IOException {
        Path data = Files.createDirectories(home.resolve("data"));
        Files.createSymbolicLink(data.resolve("app"), wwwroot);
        SecureRoots writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(data), List.of(wwwroot));
        assertThrows(IllegalArgumentException.class,
                () -> writeRoots.openOrCreate("targetDirectory", data.resolve("app").toString()));
        assertThrows(IllegalArgumentException.class,
                () -> writeRoots.openOrCreate("targetDirectory", data.resolve("app/lib").toString()));
        assertEquals(List.of("lib", "site-backup.jar"),
                Files.list(wwwroot).map(p -> p.getFileName().toString()).sorted().toList());
    }
}
