package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * The input of {@code CheckFileContent}: one file (its encoded path relative to its root, see
 * {@link PathCodec}) and the Content-MD5 (base64) its blob had in the verify's listing. The check reads the
 * file and nothing else.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class ContentCheck {
    private final String rootDirectory;
    private final String path;
    private final String contentMd5;

    @JsonCreator
    public ContentCheck(@JsonProperty("rootDirectory") String rootDirectory,
                        @JsonProperty("path") String path,
                        @JsonProperty("contentMd5") String contentMd5) {
        this.rootDirectory = Objects.requireNonNull(rootDirectory, "rootDirectory");
        this.path = Objects.requireNonNull(path, "path");
        this.contentMd5 = Objects.requireNonNull(contentMd5, "contentMd5");
    }

    /** The check of {@code file} of {@code job}'s directory; the file must carry its blob's Content-MD5. */
    public static ContentCheck of(SliceRequest job, FileEntry file) {
        if (file.getContentMd5() == null) {
            throw new IllegalArgumentException("file '" + file.getPath() + "' carries no Content-MD5 to check against");
        }
        return new ContentCheck(job.getDirectory(), file.getPath(), file.getContentMd5());
    }

    public String getRootDirectory() {
        return rootDirectory;
    }

    public String getPath() {
        return path;
    }

    /** The blob's Content-MD5, base64. */
    public String getContentMd5() {
        return contentMd5;
    }

    /**
     * Checks what the check must not take on trust, since anyone holding the system key can send any input through
     * Durable's own HTTP API (and a binder may leave fields null): the path is an encoded relative path and the
     * MD5 is 16 bytes in base64. The root is checked when it is opened.
     *
     * @return the file's path relative to the root, holding its names' bytes
     * @throws IllegalArgumentException naming the field
     */
    public Path validate() {
        Path relative = PathCodec.decodePath(path);
        if (expectedMd5().length != 16) {
            throw new IllegalArgumentException("contentMd5 '" + Printable.quote(contentMd5)
                    + "' is not an MD5 in base64");
        }
        return relative;
    }

    /** The MD5 the content must have; IllegalArgumentException when {@code contentMd5} is not base64. */
    byte[] expectedMd5() {
        if (contentMd5 == null) {
            throw new IllegalArgumentException("contentMd5 is required");
        }
        return Base64.getDecoder().decode(contentMd5);
    }
}
