package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** One slice of a large restore: the input of the {@code RestoreSlice} sub-orchestration. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class RestoreSliceRequest {
    private final RestoreRequest request;
    private final String targetDirectory;
    private final String manifest;
    private final int index;

    @JsonCreator
    public RestoreSliceRequest(@JsonProperty("request") RestoreRequest request,
                               @JsonProperty("targetDirectory") String targetDirectory,
                               @JsonProperty("manifest") String manifest,
                               @JsonProperty("index") int index) {
        this.request = request;
        this.targetDirectory = targetDirectory;
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.index = index;
    }

    public RestoreRequest getRequest() {
        return request;
    }

    public String getTargetDirectory() {
        return targetDirectory;
    }

    public String getManifest() {
        return manifest;
    }

    public int getIndex() {
        return index;
    }
}
