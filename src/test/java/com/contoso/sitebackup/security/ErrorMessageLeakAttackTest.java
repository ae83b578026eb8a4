package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.SecureRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 6 (the part in the file-system layer): refusals told {@code /etc/shadow} ("not under an allowed
 * root") from {@code /etc/shadowX} ("does not exist") and listed the roots; names with NUL or line breaks went
 * on to fail later. Here every refusal reads the same and names no root, and a NUL or an unescaped control
 * character never reaches a blob name.
 */
class ErrorMessageLeakAttackTest {
    @TempDir
    Path tmp;

    @Test
    void open_existingAndMissingFilesOutsideAndInside_identicalMessagesWithoutRoots() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.writeString(root.resolve("file.txt"), "a file");
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        for (SecureRoots roots : List.of(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root)),
                SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of()))) {
            String shadow = message(roots, "/etc/shadow");
            for (String probe : List.of("/etc/shadowX", "/etc", "/root/.ssh", "/proc/self/environ", "/",
                    root + "/file.txt", root + "/file.txt/sub", root + "/etc", root + "/etc/cron.d",
                    root.getParent().toString())) {
                assertEquals(shadow, message(roots, probe).replace(probe, "/etc/shadow"), probe);
            }
            if (!roots.writable()) {
                // A missing folder inside a read root reads like any other refusal (a restore would create it).
                String missing = root + "/missing";
                assertEquals(shadow, message(roots, missing).replace(missing, "/etc/shadow"));
            }
            assertFalse(shadow.contains(root.toString()), shadow);
            System.out.println(shadow);
        }
    }

    private static String message(SecureRoots roots, String directory) {
        return assertThrows(IllegalArgumentException.class, () -> {
            if (roots.writable()) {
                roots.openOrCreate("targetDirectory", directory).close();
            } else {
                roots.open("targetDirectory", directory).close();
            }
        }).getMessage();
    }

    @Test
    void encode_nulOrLineBreakInAName_neverInABlobName() {
        assertThrows(IllegalArgumentException.class, () -> PathCodec.encode("a\u0000b"));
        assertThrows(IllegalArgumentException.class, () -> PathCodec.decode("a%00b"));
        assertEquals("x%0D%0Ay", PathCodec.encode("x\r\ny"));
        assertThrows(IllegalArgumentException.class, () -> PathCodec.decode("x\r\ny"));
    }
}
