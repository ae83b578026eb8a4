package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * The input of {@code RestoreBlobToFile}: one blob, and the file it becomes (its encoded path relative to the
 * target, see {@link PathCodec}, which is also the blob's name after its prefix). A restore of a backup snapshot
 * adds the snapshot manifest's {@code entry}: a file's blob snapshot ({@code version}), MD5 and attributes, or a
 * symbolic link and its target; without one the blob's latest content is restored with the attributes its metadata
 * recorded.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RestoreFileRequest {
    private final String container;
    private final String blobName;
    private final String targetDirectory;
    private final String path;
    private final boolean overwrite;
    private final FileEntry entry;

    /** The restore of a blob's latest content (no snapshot). */
    public RestoreFileRequest(String container, String blobName, String targetDirectory, String path,
                              boolean overwrite) {
        this(container, blobName, targetDirectory, path, overwrite, null);
    }

    @JsonCreator
    public RestoreFileRequest(@JsonProperty("container") String container,
                              @JsonProperty("blobName") String blobName,
                              @JsonProperty("targetDirectory") String targetDirectory,
                              @JsonProperty("path") String path,
                              @JsonProperty("overwrite") boolean overwrite,
                              @JsonProperty("entry") FileEntry entry) {
        this.container = Objects.requireNonNull(container, "container");
        this.blobName = Objects.requireNonNull(blobName, "blobName");
        this.targetDirectory = Objects.requireNonNull(targetDirectory, "targetDirectory");
        this.path = Objects.requireNonNull(path, "path");
        this.overwrite = overwrite;
        this.entry = entry;
    }

    /**
     * The request that restores {@code file} (an encoded path relative to the prefix) into {@code job}'s directory:
     * as its snapshot recorded it when it comes from a snapshot manifest (it names a blob snapshot, or is not a
     * regular file), else from the blob's latest content.
     */
    public static RestoreFileRequest of(SliceRequest job, FileEntry file) {
        boolean fromSnapshot = file.getVersion() != null || file.getEntryType() != EntryType.FILE;
        return new RestoreFileRequest(job.getContainer(), BlobNames.blobName(job.getBlobPrefix(), file.getPath()),
                job.getDirectory(), file.getPath(), job.isOverwrite(), fromSnapshot ? file : null);
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

    /** The snapshot manifest's entry to restore as recorded; null to restore the blob's latest content. */
    public FileEntry getEntry() {
        return entry;
    }

    /**
     * Checks what the restorer must not take on trust, since anyone holding the system key can send any input
     * through Durable's own HTTP API (and a binder may leave fields null): the container holds backups, the path is
     * an encoded relative path (so it cannot lead out of the target), and the blob is that path under a valid
     * prefix, and a snapshot's entry is this path's, a regular file that names its blob snapshot or a link with a
     * target (a folder is made by {@code FinishDirectories}, never here). The target is checked when it is opened.
     *
     * @return the file's path relative to the target, holding its names' bytes
     * @throws IllegalArgumentException naming the field
     */
    public Path validate(String manifestContainer) {
        BlobNames.checkContainer("container", container, manifestContainer);
        Path relative = PathCodec.decodePath(path);
        if (blobName == null || !(blobName.equals(path) || blobName.endsWith("/" + path))) {
            throw new IllegalArgumentException("blobName '" + Printable.quote(blobName) + "' is not the path '"
                    + Printable.quote(path) + "' under a prefix");
        }
        if (!blobName.equals(path)) {
            BlobNames.checkPrefix("blobName's prefix", blobName.substring(0, blobName.length() - path.length() - 1));
        }
        if (entry != null) {
            checkEntry();
        }
        return relative;
    }

    /** The MD5 the snapshot recorded for the content (null when it recorded none); call after {@link #validate}. */
    byte[] expectedMd5() {
        return entry == null || entry.getContentMd5() == null ? null : Base64.getDecoder().decode(entry.getContentMd5());
    }

    private static boolean isMd5(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private void checkEntry() {
        if (!path.equals(entry.getPath())) {
            throw new IllegalArgumentException("entry '" + Printable.quote(entry.getPath()) + "' is not the path '"
                    + Printable.quote(path) + "'");
        }
        switch (entry.getEntryType()) {
            case FILE -> {
                if (entry.getVersion() == null || entry.getVersion().isBlank()) {
                    throw new IllegalArgumentException("entry '" + Printable.quote(path)
                            + "' names no blob snapshot (version) to restore from");
                }
                if (entry.getContentMd5() != null && !isMd5(entry.getContentMd5())) {
                    throw new IllegalArgumentException("entry '" + Printable.quote(path) + "' has contentMd5 '"
                            + Printable.quote(entry.getContentMd5()) + "', not an MD5 in base64");
                }
            }
            case SYMLINK -> {
                if (entry.getTarget() == null || entry.getTarget().isEmpty()) {
                    throw new IllegalArgumentException("entry '" + Printable.quote(path) + "' is a link without a target");
                }
            }
            default -> throw new IllegalArgumentException("entry '" + Printable.quote(path) + "' is a "
                    + entry.getEntryType() + "; folders are made once the files are in place, not here");
        }
    }
}
