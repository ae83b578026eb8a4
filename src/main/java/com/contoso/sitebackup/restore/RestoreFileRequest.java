package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.FileEntry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** The input of {@code RestoreBlobToFile}: one blob, and the file (relative to the target) it becomes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class RestoreFileRequest {
    private final String container;
    private final String blobName;
    private final String targetDirectory;
    private final String path;
    private final boolean overwrite;

    @JsonCreator
    public RestoreFileRequest(@JsonProperty("container") String container,
                              @JsonProperty("blobName") String blobName,
                              @JsonProperty("targetDirectory") String targetDirectory,
                              @JsonProperty("path") String path,
                              @JsonProperty("overwrite") boolean overwrite) {
        this.container = Objects.requireNonNull(container, "container");
        this.blobName = Objects.requireNonNull(blobName, "blobName");
        this.targetDirectory = Objects.requireNonNull(targetDirectory, "targetDirectory");
        this.path = Objects.requireNonNull(path, "path");
        this.overwrite = overwrite;
    }

    /** The request that restores {@code file} (a path relative to the prefix) into {@code job}'s directory. */
    public static RestoreFileRequest of(SliceRequest job, FileEntry file) {
        return new RestoreFileRequest(job.getContainer(), BlobNames.blobName(job.getBlobPrefix(), file.getPath()),
                job.getDirectory(), file.getPath(), job.isOverwrite());
    }

    public String getContainer() {
        return container;
    }

    public String getBlobName() {
        return blobName;
    }

    public String getTargetDirectory() {
        return targetDirectory;
    }

    public String getPath() {
        return path;
    }

    public boolean isOverwrite() {
        return overwrite;
    }
}
