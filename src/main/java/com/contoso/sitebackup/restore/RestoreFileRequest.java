package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.files.BlobNameCodec;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.Printable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The input of {@code RestoreBlobToFile}: one blob, and the file it becomes (its encoded path relative to the
 * target, see {@link BlobNameCodec}, which is also the blob's name after its prefix).
 */
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

    /** The request that restores {@code file} (an encoded path relative to the prefix) into {@code job}'s directory. */
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

    /**
     * Checks what the restorer must not take on trust, since anyone holding the system key can send any input
     * through Durable's own HTTP API (and a binder may leave fields null): the container holds backups, the path is
     * an encoded relative path (so it cannot lead out of the target), and the blob is that path under a valid
     * prefix. The target is checked when it is opened.
     *
     * @return the file's path relative to the target, holding its names' bytes
     * @throws IllegalArgumentException naming the field
     */
    public Path validate(String manifestContainer) {
        BlobNames.checkContainer("container", container, manifestContainer);
        Path relative = BlobNameCodec.decodePath(path);
        if (blobName == null || !(blobName.equals(path) || blobName.endsWith("/" + path))) {
            throw new IllegalArgumentException("blobName '" + Printable.quote(blobName) + "' is not the path '"
                    + Printable.quote(path) + "' under a prefix");
        }
        if (!blobName.equals(path)) {
            BlobNames.checkPrefix("blobName's prefix", blobName.substring(0, blobName.length() - path.length() - 1));
        }
        return relative;
    }
}
