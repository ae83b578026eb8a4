package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Restores one blob to a file under a target directory, never outside it, never over an existing file unless
 * asked, and never half-written.
 *
 * <p>The target is opened through the write roots at the moment of the restore (created if missing, refused unless
 * it lies under one, reached without links, and outside the app's code), and the folders below it are opened or
 * created one at a time through the folder above, never following a link ({@link SecureDirectory}). The content is
 * downloaded into a new temporary file in the pinned folder (mode 0600, {@link TemporaryFile}), its MD5 checked
 * against the blob's Content-MD5, its mtime set to the one recorded at backup time and its permissions to the ones
 * recorded ({@code rw-r--r--} when none are), and only then given the file's name, relative to the pinned folder:
 * an atomic rename when overwriting, otherwise a claim on the name that fails if it exists (see
 * {@link TemporaryFile#moveTo}).
 *
 * <p>A file of a backup snapshot ({@link RestoreFileRequest#getEntry}) is downloaded from the blob snapshot its entry
 * names, checked against the MD5 the snapshot recorded, and given the recorded mode, mtime (to the nanosecond) and,
 * when the app runs as root, owner and group. A link of a snapshot is made as a link ({@link LinkRestorer}).
 *
 * <p>A retry or duplicate delivery that finds the file already restored with the same content reports it restored.
 * A blob without a Content-MD5 is restored but reported as unverified ({@link FileOutcome#doneWithWarning}), never
 * as a plain success.
 */
public final class BlobRestorer {
    static final String NOT_OVERWRITTEN = "exists and differs; not overwritten (set overwrite)";
    static final String CORRUPTED = "corrupted: the content does not match its Content-MD5";
    static final String CORRUPTED_SNAPSHOT = "corrupted: the content does not match the MD5 the snapshot recorded";
    /** The warning of a file restored from a blob that has no Content-MD5. */
    public static final String UNVERIFIED = "restored unverified: the blob has no Content-MD5 to check the content against";

    private final BlobServiceClient service;
    private final SecureRoots writeRoots;
    private final String manifestContainer;

    /** The restorer of this app: its backup account, write roots and manifest container (never restored from). */
    public static BlobRestorer from(AppServices services) {
        return new BlobRestorer(services.blobService(), services.writeRoots(), services.settings().manifestContainer());
    }

    public BlobRestorer(BlobServiceClient service, SecureRoots writeRoots, String manifestContainer) {
        this.service = Objects.requireNonNull(service, "service");
        this.writeRoots = Objects.requireNonNull(writeRoots, "writeRoots");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
    }

    /**
     * Restores the blob.
     *
     * @return the bytes restored (with a warning when the blob has no Content-MD5), or a problem: a request refused
     *     (a target outside the write roots, a name that is not an encoded path, a reserved container), a link or a
     *     file on the way, an existing file without permission to overwrite, content that does not match its
     *     Content-MD5, a blob that vanished
     * @throws IllegalStateException when another delivery of this restore is renaming its file into place at this
     *     moment (retried by the orchestrator, which then finds it restored)
     * @throws UncheckedIOException when the file system fails (retried by the orchestrator)
     */
    public FileOutcome restore(RestoreFileRequest request) {
        Path relative;
        SecureDirectory target;
        try {
            relative = request.validate(manifestContainer);
            target = writeRoots.openOrCreate("targetDirectory", request.getTargetDirectory());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(request.getPath(), "refused: " + e.getMessage());
        }
        try (target) {
            FileEntry entry = request.getEntry();
            BlobClient blob = entry == null
                    ? service.getBlobContainerClient(request.getContainer()).getBlobClient(request.getBlobName())
                    : service.getBlobContainerClient(request.getContainer()).getBlobClient(request.getBlobName(),
                            entry.getVersion());
            BlobProperties properties = null;
            if (entry == null || entry.getEntryType() == EntryType.FILE) {
                try {
                    properties = blob.getProperties();
                } catch (BlobStorageException e) {
                    if (e.getStatusCode() == 404) {
                        return FileOutcome.notDone(request.getPath(), entry == null ? "the blob vanished since it was listed"
                                : "the blob snapshot " + entry.getVersion() + " that holds it is gone; not restored");
                    }
                    throw e;
                }
            }
            Path parent = relative.getParent();
            SecureDirectory folder;
            try {
                folder = parent == null ? target : target.openOrCreateDirectories(parent);
            } catch (NoSuchFileException e) {
                // A folder on the way removed while it was being entered: worth another try.
                throw e;
            } catch (FileSystemException e) {
                return FileOutcome.notDone(request.getPath(), "refused: '" + e.getFile() + "' on the way: "
                        + e.getReason() + "; not replaced");
            }
            try {
                return properties == null ? LinkRestorer.restore(folder, relative.getFileName(), entry, request.isOverwrite())
                        : restoreInto(folder, relative.getFileName(), blob, properties, request);
            } finally {
                if (folder != target) {
                    folder.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore '" + request.getPath() + "'", e);
        }
    }

    private static FileOutcome restoreInto(SecureDirectory folder, Path name, BlobClient blob,
                                           BlobProperties properties, RestoreFileRequest request) throws IOException {
        String path = request.getPath();
        FileEntry entry = request.getEntry();
        long size = properties.getBlobSize();
        byte[] expectedMd5 = request.expectedMd5() != null ? request.expectedMd5() : properties.getContentMd5();
        BasicFileAttributes existing = attributesOrNull(folder, name);
        if (existing != null) {
            if (existing.isDirectory()) {
                return FileOutcome.notDone(path, "a folder of that name exists; not replaced");
            }
            if (expectedMd5 != null && sameContent(folder, name, size, expectedMd5)) {
                return FileOutcome.done(path, size);
            }
            // Without a Content-MD5 the existing file can only be compared with the content once downloaded.
            if (!request.isOverwrite() && expectedMd5 != null && !TemporaryFile.isPlaceholder(folder, name)) {
                return FileOutcome.notDone(path, NOT_OVERWRITTEN);
            }
        }
        try (TemporaryFile temporary = folder.createTemporaryFile()) {
            byte[] md5 = download(blob, properties, temporary);
            if (expectedMd5 != null && !Arrays.equals(expectedMd5, md5)) {
                return FileOutcome.notDone(path, request.expectedMd5() != null ? CORRUPTED_SNAPSHOT : CORRUPTED);
            }
            temporary.force();
            if (entry == null) {
                temporary.setLastModified(FileTime.fromMillis(recordedMtime(properties)));
                temporary.setPermissions(Digests.recordedMode(properties.getMetadata()));
            } else {
                if (entry.getMode() == null) {
                    temporary.setPermissions(Digests.recordedMode(properties.getMetadata()));
                }
                temporary.setAttributes(entry);
            }
            try {
                temporary.moveTo(name, request.isOverwrite());
            } catch (FileAlreadyExistsException e) {
                // Created a moment ago: by another delivery of this restore (the same content), or by someone else.
                if (sameContent(folder, name, size, md5)) {
                    return restored(path, size, expectedMd5);
                }
                if (TemporaryFile.isPlaceholder(folder, name)) {
                    throw new IllegalStateException("'" + path + "' is being restored by another delivery at this"
                            + " moment; tried again later");
                }
                return FileOutcome.notDone(path, NOT_OVERWRITTEN);
            }
        }
        return restored(path, size, expectedMd5);
    }

    private static FileOutcome restored(String path, long size, byte[] expectedMd5) {
        return expectedMd5 == null ? FileOutcome.doneWithWarning(path, size, UNVERIFIED) : FileOutcome.done(path, size);
    }

    /** Whether {@code name} is a regular file (not a link) of {@code size} bytes whose MD5 is {@code md5}. */
    private static boolean sameContent(SecureDirectory folder, Path name, long size, byte[] md5) {
        try (OpenedFile file = folder.openFile(name)) {
            return file.before().size() == size && Arrays.equals(md5, Digests.md5(file));
        } catch (IOException e) {
            // Not a regular file, gone, or not readable (a claim may be written by its owner only): not the same.
            return false;
        }
    }

    private static BasicFileAttributes attributesOrNull(SecureDirectory folder, Path name) throws IOException {
        try {
            return folder.attributes(name);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Downloads the blob version {@code properties} describes (by its ETag) into the temporary file, through its
     * handle (left open: the file is checked against it until it is moved); returns the MD5 of what was written.
     */
    private static byte[] download(BlobClient blob, BlobProperties properties, TemporaryFile file) {
        MessageDigest md5 = Digests.newMd5();
        DigestOutputStream out = new DigestOutputStream(Channels.newOutputStream(file.channel()), md5);
        blob.downloadStreamWithResponse(out, null, new DownloadRetryOptions().setMaxRetryRequests(3),
                new BlobRequestConditions().setIfMatch(properties.getETag()), false, null, null);
        return md5.digest();
    }

    private static long recordedMtime(BlobProperties properties) {
        return Digests.recordedMtime(properties.getMetadata(), properties.getLastModified().toInstant().toEpochMilli());
    }
}
