package com.contoso.sitebackup.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestsTest {
    @TempDir
    Path tmp;

    @Test
    void md5_openedFileReadHalfWay_digestOfTheWholeFileFromItsHandle() throws Exception {
        byte[] content = new byte[200_003];
        new Random(4).nextBytes(content);
        Path root = tmp.toRealPath();
        Files.write(root.resolve("x.bin"), content);
        try (SecureDirectory directory = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root))
                .open("rootDirectory", root.toString());
             OpenedFile file = directory.openFile(Path.of("x.bin"))) {
            file.channel().position(1_000);
            Files.delete(root.resolve("x.bin"));
            assertArrayEquals(MessageDigest.getInstance("MD5").digest(content), Digests.md5(file));
        }
    }

    @Test
    void recordedMode_nineFlags_thosePermissions() {
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"),
                Digests.recordedMode(Map.of(Digests.SOURCE_MODE, "rwxr-x---")));
        assertEquals("rw-------", Digests.mode(PosixFilePermissions.fromString("rw-------")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rwsr-xr-x", "0755", "rw-r--r-- ", "rwxrwxrwxr"})
    void recordedMode_missingOrNotNineFlags_rwRR(String recorded) {
        assertEquals(Digests.DEFAULT_MODE, Digests.recordedMode(Map.of(Digests.SOURCE_MODE, recorded)));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Digests.recordedMode(null));
        assertEquals(Digests.DEFAULT_MODE, Digests.recordedMode(Map.of()));
    }

    @Test
    void recordedMtime_missingOrNotANumber_fallback() {
        assertEquals(12, Digests.recordedMtime(Map.of(Digests.SOURCE_MTIME, "12"), 7));
        assertEquals(7, Digests.recordedMtime(Map.of(Digests.SOURCE_MTIME, "x"), 7));
        assertEquals(7, Digests.recordedMtime(null, 7));
    }
}
