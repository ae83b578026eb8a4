package com.contoso.sitebackup.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The body a file is sent with in one request: its bytes, read again on a retry, and never its end if it changed. */
@Timeout(30)
class FileBodyTest {
    @TempDir
    Path root;

    private final int size = FileBody.PIECE * 2 + 12_345;

    private byte[] write(String name) throws IOException {
        byte[] content = new byte[size];
        new SplittableRandom(7).nextBytes(content);
        Files.write(root.resolve(name), content);
        return content;
    }

    private SecureDirectory directory() {
        return SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root)).open("rootDirectory", root.toString());
    }

    /** Everything the body hands out, read in chunks of {@code chunk} bytes as the HTTP client does. */
    private static byte[] drain(InputStream body, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[chunk];
        for (int read; (read = body.read(buffer, 0, chunk)) >= 0; ) {
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    @Test
    void read_unchangedFile_everyByteThenAgainAfterReset() throws IOException {
        byte[] content = write("f.bin");
        try (SecureDirectory directory = directory(); OpenedFile file = directory.openFile(Path.of("f.bin"))) {
            FileBody body = new FileBody(file);
            assertTrue(body.markSupported());
            body.mark(size);
            assertArrayEquals(content, drain(body, 8192));
            assertEquals(-1, body.read());
            body.reset();   // a retry sends it again, read again from the handle
            assertArrayEquals(content, drain(body, 100_000));
            assertFalse(body.changed());
            assertNull(body.failure());
        }
    }

    /** A file written to after it was opened: every piece but the last goes, the last one is never handed out. */
    @Test
    void read_fileChangedSinceOpened_lastPieceNeverHandedOut() throws IOException {
        write("f.bin");
        try (SecureDirectory directory = directory(); OpenedFile file = directory.openFile(Path.of("f.bin"))) {
            FileBody body = new FileBody(file);
            byte[] buffer = new byte[FileBody.PIECE];
            long handedOut = 0;
            handedOut += body.read(buffer, 0, buffer.length);
            try (var out = Files.newOutputStream(root.resolve("f.bin"), StandardOpenOption.WRITE)) {
                out.write(1);   // in place, same size: only its change time and modification time tell
            }
            handedOut += body.read(buffer, 0, buffer.length);
            IllegalStateException cut = assertThrows(IllegalStateException.class,
                    () -> body.read(buffer, 0, buffer.length));
            assertEquals("the file changed while it was sent", cut.getMessage());
            assertTrue(body.changed());
            assertEquals(2L * FileBody.PIECE, handedOut, "bytes handed out before the last piece");
            assertTrue(handedOut < size);
        }
    }

    /** A file cut short after it was opened: the body ends with the change, never short of its length silently. */
    @Test
    void read_fileTruncatedSinceOpened_changedNotShort() throws IOException {
        write("f.bin");
        try (SecureDirectory directory = directory(); OpenedFile file = directory.openFile(Path.of("f.bin"))) {
            FileBody body = new FileBody(file);
            try (var channel = java.nio.channels.FileChannel.open(root.resolve("f.bin"), StandardOpenOption.WRITE)) {
                channel.truncate(FileBody.PIECE + 10);
            }
            assertThrows(IllegalStateException.class, () -> drain(body, 8192));
            assertTrue(body.changed());
        }
    }
}
