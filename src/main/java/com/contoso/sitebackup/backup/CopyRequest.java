package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.FileEntry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** The input of {@code CopyFileToBlob}: one file (relative to its root) and the blob it goes to. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class CopyRequest {
    private final String rootDirectory;
    private final String path;
    private final String container;
    private final String blobName;

    @JsonCreator
    public CopyRequest(@JsonProperty("rootDirectory") String rootDirectory,
                       @JsonProperty("path") String path,
                       @JsonProperty("container") String container,
                       @JsonProperty("blobName") String blobName) {
        this.rootDirectory = Objects.requireNonNull(rootDirectory, "rootDirectory");
        this.path = Objects.requireNonNull(path, "path");
        this.container = Objects.requireNonNull(container, "container");
        this.blobName = Objects.requireNonNull(blobName, "blobName");
    }

    /** The request that copies {@code file} of {@code job}'s directory to its blob. */
    public static CopyRequest of(SliceRequest job, FileEntry file) {
        return new CopyRequest(job.getDirectory(), file.getPath(), job.getContainer(),
                BlobNames.blobName(job.getBlobPrefix(), file.getPath()));
    }

    public String getRootDirectory() {
        return rootDirectory;
    }

    public String getPath() {
        return path;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobName() {
        return blobName;
    }
}
