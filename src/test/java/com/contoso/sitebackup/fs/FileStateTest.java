package com.contoso.sitebackup.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateTest {
    @TempDir
    Path tmp;

    @Test
    void of_attributes_sizeTimeAndKey() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "abc");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1234567));
        FileState state = FileState.of(Files.readAttributes(file, BasicFileAttributes.class));
        assertEquals(3, state.size());
        assertEquals(1234567, state.lastModifiedMillis());
        assertEquals(Files.readAttributes(file, BasicFileAttributes.class).fileKey(), state.fileKey());
    }

    @Test
    void equals_sameSizeAndTimeOtherFile_notEqual() throws IOException {
        Path a = Files.writeString(tmp.resolve("a"), "abc");
        Path b = Files.writeString(tmp.resolve("b"), "xyz");
        Files.setLastModifiedTime(a, FileTime.fromMillis(1000));
        Files.setLastModifiedTime(b, FileTime.fromMillis(1000));
        assertNotEquals(FileState.of(Files.readAttributes(a, BasicFileAttributes.class)),
                FileState.of(Files.readAttributes(b, BasicFileAttributes.class)));
    }

    @Test
    void constructor_negativeSizeOrMissingParts_throws() {
        assertThrows(IllegalArgumentException.class, () -> new FileState(-1, FileTime.fromMillis(0), "k"));
        assertThrows(NullPointerException.class, () -> new FileState(0, null, "k"));
        assertThrows(NullPointerException.class, () -> new FileState(0, FileTime.fromMillis(0), null));
    }
}
