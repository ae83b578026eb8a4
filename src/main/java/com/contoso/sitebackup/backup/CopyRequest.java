package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.snapshot.SnapshotIds;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The input of {@code CopyFileToBlob}: one file (its encoded path relative to its root, see {@link PathCodec})
 * and the blob it goes to.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class CopyRequest {
    private final String rootDirectory;
    private final String path;
    private final String container;
    private final String blobName;
    private final String run;

    /** A copy that is not part of a run with snapshots (no run id). */
    public CopyRequest(String rootDirectory, String path, String container, String blobName) {
        this(rootDirectory, path, container, blobName, null);
    }

    @JsonCreator
    public CopyRequest(@JsonProperty("rootDirectory") String rootDirectory,
                       @JsonProperty("path") String path,
                       @JsonProperty("container") String container,
                       @JsonProperty("blobName") String blobName,
                       @JsonProperty("run") String run) {
        this.rootDirectory = Objects.requireNonNull(rootDirectory, "rootDirectory");
        this.path = Objects.requireNonNull(path, "path");
        this.container = Objects.requireNonNull(container, "container");
        this.blobName = Objects.requireNonNull(blobName, "blobName");
        this.run = run;
    }

    /** The request that copies {@code file} of {@code job}'s directory to its blob. */
    public static CopyRequest of(SliceRequest job, FileEntry file) {
        return new CopyRequest(job.getDirectory(), file.getPath(), job.getContainer(),
                BlobNames.blobName(job.getBlobPrefix(), file.getPath()), job.getRun());
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

    /** The backup run's snapshot id, which the blob and its snapshot are tagged with; null outside a run. */
    public String getRun() {
        return run;
    }

    /**
     * Checks what the copier must not take on trust, since anyone holding the system key can send any input through
     * Durable's own HTTP API (and a binder may leave fields null): the container holds backups, the path is an
     * encoded relative path, and the blob name is that path under a valid prefix. The root is checked when it is
     * opened.
     *
     * @return the file's path relative to the root, holding its names' bytes
     * @throws IllegalArgumentException naming the field
     */
    public Path validate(String manifestContainer) {
        BlobNames.checkContainer("container", container, manifestContainer);
        Path relative = PathCodec.decodePath(path);
        if (blobName == null || !PathCodec.isStorable(blobName)
                || !(blobName.equals(path) || blobName.endsWith("/" + path))) {
            throw new IllegalArgumentException("blobName '" + Printable.quote(blobName) + "' is not the path '"
                    + Printable.quote(path) + "' under a prefix");
        }
        if (!blobName.equals(path)) {
            BlobNames.checkPrefix("blobName's prefix", blobName.substring(0, blobName.length() - path.length() - 1));
        }
        if (run != null && !SnapshotIds.isId(run)) {
            throw new IllegalArgumentException("run '" + Printable.quote(run) + "' is not a snapshot id");
        }
        return relative;
    }
}
