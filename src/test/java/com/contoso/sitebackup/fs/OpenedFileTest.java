package com.contoso.sitebackup.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenedFileTest {
    @TempDir
    Path tmp;

    private Path root;
    private SecureDirectory directory;
    private byte[] content;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        content = new byte[300_000];
        new Random(5).nextBytes(content);
        Files.write(root.resolve("data.bin"), content);
        Files.setLastModifiedTime(root.resolve("data.bin"), FileTime.fromMillis(1_700_000_000_123L));
        directory = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root)).open("rootDirectory", root.toString());
    }

    @AfterEach
    void tearDown() {
        directory.close();
    }

    @Test
    void unchanged_fileReadToTheEndUntouched_trueWithTheSameState() throws IOException {
        try (OpenedFile file = directory.openFile(Path.of("data.bin"))) {
            assertArrayEquals(content, file.inputStream().readAllBytes());
            assertEquals(content.length, file.before().size());
            assertEquals(1_700_000_000_123L, file.before().lastModifiedMillis());
            assertEquals(file.before(), file.after());
            assertTrue(file.unchanged());
        }
    }

    @Test
    void unchanged_appendedWhileRead_false() throws IOException {
        try (OpenedFile file = directory.openFile(Path.of("data.bin"))) {
            file.inputStream().readNBytes(1000);
            Files.write(root.resolve("data.bin"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            assertFalse(file.unchanged());
            assertEquals(content.length + 3, file.size());
        }
    }

    @Test
    void unchanged_nameGivenToAnotherFileWhileRead_falseAndTheReadStaysOnTheOpenedFile() throws IOException {
        Files.write(root.resolve("other.bin"), content);
        Files.setLastModifiedTime(root.resolve("other.bin"), FileTime.fromMillis(1_700_000_000_123L));
        try (OpenedFile file = directory.openFile(Path.of("data.bin"))) {
            Files.move(root.resolve("other.bin"), root.resolve("data.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // Same size and time, another file: the file key tells them apart.
            assertFalse(file.unchanged());
            assertArrayEquals(content, file.inputStream().readAllBytes());
        }
    }

    @Test
    void after_fileDeletedWhileRead_nullAndTheContentStillReadable() throws IOException {
        try (OpenedFile file = directory.openFile(Path.of("data.bin"))) {
            Files.delete(root.resolve("data.bin"));
            assertNull(file.after());
            assertFalse(file.unchanged());
            assertArrayEquals(content, file.inputStream().readAllBytes());
        }
    }

    @Test
    void read_atPositions_readsTheBlockWithoutMovingTheHandle() throws IOException {
        try (OpenedFile file = directory.openFile(Path.of("data.bin"))) {
            ByteBuffer block = ByteBuffer.allocate(1000);
            assertEquals(1000, file.read(block, 200_000));
            byte[] expected = new byte[1000];
            System.arraycopy(content, 200_000, expected, 0, 1000);
            assertArrayEquals(expected, block.array());
            assertEquals(0, file.channel().position());
            assertEquals(-1, file.read(ByteBuffer.allocate(10), content.length));
            assertEquals(Path.of("data.bin"), file.name());
        }
    }
}
