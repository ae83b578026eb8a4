package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One regular file found under a backup root: its path relative to the root (forward slashes), its size
 * in bytes and its last-modified time in epoch milliseconds (a number, so Gson and Jackson agree on it).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class FileEntry {
    private final String path;
    private final long size;
    private final long lastModified;

    @JsonCreator
    public FileEntry(@JsonProperty("path") String path,
                     @JsonProperty("size") long size,
                     @JsonProperty("lastModified") long lastModified) {
        this.path = Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        this.size = size;
        this.lastModified = lastModified;
    }

    public String getPath() {
        return path;
    }

    public long getSize() {
        return size;
    }

    public long getLastModified() {
        return lastModified;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEntry f && f.path.equals(path) && f.size == size && f.lastModified == lastModified;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, size, lastModified);
    }

    @Override
    public String toString() {
        return path + " (" + size + " bytes)";
    }
}
