package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The input of {@code CheckFileContent}: one file (relative to its root) and the Content-MD5 (base64) its
 * blob had in the verify's listing. The check reads the file and nothing else.
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

    /** The check of {@code file}, which must carry its blob's Content-MD5, under {@code rootDirectory}. */
    public static ContentCheck of(String rootDirectory, FileEntry file) {
        if (file.getContentMd5() == null) {
            throw new IllegalArgumentException("file '" + file.getPath() + "' carries no Content-MD5 to check against");
        }
        return new ContentCheck(rootDirectory, file.getPath(), file.getContentMd5());
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
}
