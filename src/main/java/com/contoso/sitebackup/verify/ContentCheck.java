package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.files.FileEntry;

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
}
