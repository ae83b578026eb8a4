package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to restore and where: the blobs under {@code blobPrefix} in {@code container}, into
 * {@code targetDirectory} (which must lie under the allowed roots), overwriting existing files only when
 * {@code overwrite} is true. The input of {@code RestoreSiteContent} and of {@code ListBackup}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class RestoreRequest {
    private final String container;
    private final String blobPrefix;
    private final String targetDirectory;
    private final boolean overwrite;

    @JsonCreator
    public RestoreRequest(@JsonProperty("container") String container,
                          @JsonProperty("blobPrefix") String blobPrefix,
                          @JsonProperty("targetDirectory") String targetDirectory,
                          @JsonProperty("overwrite") boolean overwrite) {
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.targetDirectory = targetDirectory;
        this.overwrite = overwrite;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobPrefix() {
        return blobPrefix;
    }

    public String getTargetDirectory() {
        return targetDirectory;
    }

    public boolean isOverwrite() {
        return overwrite;
    }

    /** This request with {@code directory} as its target (the starter stores the canonical path). */
    public RestoreRequest withTargetDirectory(String directory) {
        return new RestoreRequest(container, blobPrefix, directory, overwrite);
    }

    /** Checks what can be checked without I/O; throws IllegalArgumentException naming the field. */
    public RestoreRequest validate() {
        if (targetDirectory == null || targetDirectory.isBlank()) {
            throw new IllegalArgumentException("targetDirectory is required and must not be blank");
        }
        BlobNames.checkContainer("container", container);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        return this;
    }
}
