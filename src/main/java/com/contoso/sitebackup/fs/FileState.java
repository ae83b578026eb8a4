package com.contoso.sitebackup.fs;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What identifies one version of a file: its size, its last-modified time (full precision) and its file key
 * (device and inode on Linux). Two states that differ mean the file changed, or the name now names another
 * file, between the two looks.
 *
 * @param size bytes
 * @param lastModified the modification time as the file system keeps it
 * @param fileKey the platform's identity of the file ({@link BasicFileAttributes#fileKey()}), compared by equals
 */
public record FileState(long size, FileTime lastModified, Object fileKey) {

    /** Validates the parts. */
    public FileState {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(fileKey, "fileKey");
    }

    /** The state in {@code attributes}. */
    public static FileState of(BasicFileAttributes attributes) {
        return new FileState(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
    }

    /** The last-modified time in epoch milliseconds, as recorded in blob metadata. */
    public long lastModifiedMillis() {
        return lastModified.toMillis();
    }
}
