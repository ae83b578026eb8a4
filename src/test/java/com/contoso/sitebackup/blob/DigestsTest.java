package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;

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
    void recordedMode_azCopyPermissions_theNinePermissionBitsOnly() {
        // AzCopy's st_mode in decimal: 0100750 (a regular file, rwxr-x---), and 0104755 (set-user-id dropped).
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"),
                Digests.recordedMode(Map.of(PosixMetadata.PERMISSIONS, Integer.toString(0100750))));
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"),
                Digests.recordedMode(Map.of(PosixMetadata.PERMISSIONS, Integer.toString(0104755))));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Digests.permissions(0600));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rwsr-xr-x", "-1", "0x1ff", "99999999999"})
    void recordedMode_missingOrNotANumber_rwRR(String recorded) {
        assertEquals(Digests.DEFAULT_MODE, Digests.recordedMode(Map.of(PosixMetadata.PERMISSIONS, recorded)));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Digests.recordedMode(null));
        assertEquals(Digests.DEFAULT_MODE, Digests.recordedMode(Map.of()));
    }

    @Test
    void recordedMtime_missingOrNotANumber_fallback() {
        assertEquals(12, Digests.recordedMtime(Map.of(PosixMetadata.MODTIME, "12999999"), 7));
        assertEquals(7, Digests.recordedMtime(Map.of(PosixMetadata.MODTIME, "x"), 7));
        assertEquals(7, Digests.recordedMtime(null, 7));
    }
}
