package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One slice of a large backup: the input of the {@code BackupSlice} sub-orchestration (with the request and
 * root) and of {@code ReadManifestSlice} (which reads the slice's files from the manifest).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SliceRequest {
    private final BackupRequest request;
    private final String rootDirectory;
    private final String manifest;
    private final int index;

    @JsonCreator
    public SliceRequest(@JsonProperty("request") BackupRequest request,
                        @JsonProperty("rootDirectory") String rootDirectory,
                        @JsonProperty("manifest") String manifest,
                        @JsonProperty("index") int index) {
        this.request = request;
        this.rootDirectory = rootDirectory;
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        this.index = index;
    }

    public BackupRequest getRequest() {
        return request;
    }

    public String getRootDirectory() {
        return rootDirectory;
    }

    public String getManifest() {
        return manifest;
    }

    public int getIndex() {
        return index;
    }
}
