package com.contoso.sitebackup.files;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One regular file found under a backup root (or one blob of a backup): its path relative to the root as
 * {@link BlobNameCodec} encodes it (the blob's name after its prefix; names joined by forward slashes, every
 * character that could be lost or forge a line escaped), its size in bytes and its last-modified time in epoch
 * milliseconds (a number, so Gson and Jackson agree on it).
 * A file to be verified by content also carries its blob's Content-MD5 from the listing (base64, a string
 * for the same reason), so the check needs no request to storage; otherwise that is null and left out of
 * the JSON.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FileEntry {
    private final String path;
    private final long size;
    private final long lastModified;
    private final String contentMd5;

    /** An entry without a Content-MD5. */
    public FileEntry(String path, long size, long lastModified) {
        this(path, size, lastModified, null);
    }

    @JsonCreator
    public FileEntry(@JsonProperty("path") String path,
                     @JsonProperty("size") long size,
                     @JsonProperty("lastModified") long lastModified,
                     @JsonProperty("contentMd5") String contentMd5) {
        this.path = Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        this.size = size;
        this.lastModified = lastModified;
        this.contentMd5 = contentMd5;
    }

    /** The encoded relative path ({@link BlobNameCodec#decodePath} gives the path to open). */
    public String getPath() {
        return path;
    }

    public long getSize() {
        return size;
    }

    public long getLastModified() {
        return lastModified;
    }

    /** The blob's Content-MD5 in base64, for a content check; null when the entry carries none. */
    public String getContentMd5() {
        return contentMd5;
    }

    /** This entry with {@code md5} (base64) as the Content-MD5 to check its content against. */
    public FileEntry withContentMd5(String md5) {
        return new FileEntry(path, size, lastModified, md5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEntry f && f.path.equals(path) && f.size == size && f.lastModified == lastModified
                && Objects.equals(f.contentMd5, contentMd5);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, size, lastModified, contentMd5);
    }

    @Override
    public String toString() {
        return path + " (" + size + " bytes)";
    }
}
