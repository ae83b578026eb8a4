package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobDownloadResponse;
import com.azure.storage.blob.models.BlobItem;
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
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Restores one entry of a snapshot to a file under a target directory, never outside it, never over an existing
 * file unless asked, and never half-written.
 *
 * <p>The target is opened through the write roots at the moment of the restore (created if missing, refused unless
 * it lies under one, reached without links, and outside the app's code), and the folders below it are opened or
 * created one at a time through the folder above, never following a link ({@link SecureDirectory}). The content is
 * downloaded into a new temporary file in the pinned folder (mode 0600, {@link TemporaryFile}), its MD5 checked
 * against the one the snapshot recorded, given the recorded mode, mtime (to the nanosecond) and, when the app runs
 * as root, owner and group, and only then given the file's name, relative to the pinned folder: an atomic rename
 * when overwriting, otherwise a claim on the name that fails if it exists (see {@link TemporaryFile#moveTo}). A link
 * is made as a link ({@link LinkRestorer}).
 *
 * <p><b>One request per file.</b> The entry names its content by the run that uploaded it
 * ({@link StoredBlob#holding}): the content is downloaded from the blob itself, and the run tag in the same
 * response's headers says whether the blob still holds that run's content; only when a later run has replaced it
 * (copy on write kept the old content in a blob snapshot) does one listing of the name find the blob snapshot to
 * download instead. Manifests written before copy on write name a blob snapshot, downloaded directly.
 *
 * <p>A retry or duplicate delivery that finds the file already restored with the same content reports it restored.
 * An entry without an MD5 is restored but reported as unverified ({@link FileOutcome#doneWithWarning}); an entry whose
 * content is older than its snapshot (the run could not copy it) is restored with its note as a warning.
 */
public final class BlobRestorer {
    static final String NOT_OVERWRITTEN = "exists and differs; not overwritten (set overwrite)";
    static final String CORRUPTED_SNAPSHOT = "corrupted: the content does not match the MD5 the snapshot recorded";
    /** The warning of a file restored without an MD5 to check it against. */
    public static final String UNVERIFIED = "restored unverified: the snapshot records no MD5 to check the content against";

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
     * Restores {@code entry} of the snapshot {@code job} restores.
     *
     * @return the bytes restored (with a warning when unverified or older than its snapshot), or a problem: a request
     *     refused (a target outside the write roots, a name that is not an encoded path, a reserved container), a
     *     link or a file on the way, an existing file without permission to overwrite, content that does not match
     *     its MD5, a version that is gone
     * @throws IllegalStateException when another delivery of this restore is renaming its file into place at this
     *     moment, or the content changed while it was downloaded (retried by the fan-out)
     * @throws UncheckedIOException when the file system fails (retried by the fan-out)
     */
    public FileOutcome restore(RestoreJob job, FileEntry entry) {
        Path relative;
        SecureDirectory target;
        try {
            BlobNames.checkContainer("container", job.container(), manifestContainer);
            BlobNames.checkPrefix("blobPrefix", job.blobPrefix());
            relative = PathCodec.decodePath(entry.getPath());
            if (entry.getEntryType() == EntryType.DIRECTORY) {
                throw new IllegalArgumentException("a folder is made by FinishDirectories, not restored as a file");
            }
            target = writeRoots.openOrCreate("targetDirectory", job.targetDirectory());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(entry.getPath(), "refused: " + e.getMessage());
        }
        try (target) {
            Path parent = relative.getParent();
            SecureDirectory folder;
            try {
                folder = parent == null ? target : target.openOrCreateDirectories(parent);
            } catch (NoSuchFileException e) {
                // A folder on the way removed while it was being entered: worth another try.
                throw e;
            } catch (FileSystemException e) {
                return FileOutcome.notDone(entry.getPath(), "refused: '" + e.getFile() + "' on the way: "
                        + e.getReason() + "; not replaced");
            }
            try {
                FileOutcome outcome = entry.getEntryType() == EntryType.SYMLINK
                        ? LinkRestorer.restore(folder, relative.getFileName(), entry, job.overwrite())
                        : restoreFile(folder, relative.getFileName(), job, entry);
                if (outcome.isDone() && entry.getNote() != null) {
                    return FileOutcome.doneWithWarning(entry.getPath(), outcome.getBytes(),
                            "restored an older version: " + entry.getNote());
                }
                return outcome;
            } finally {
                if (folder != target) {
                    folder.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore '" + entry.getPath() + "'", e);
        }
    }

    private FileOutcome restoreFile(SecureDirectory folder, Path name, RestoreJob job, FileEntry entry)
            throws IOException {
        String path = entry.getPath();
        byte[] expectedMd5 = entry.getContentMd5() == null ? null : Base64.getDecoder().decode(entry.getContentMd5());
        BasicFileAttributes existing = attributesOrNull(folder, name);
        if (existing != null) {
            if (existing.isDirectory()) {
                return FileOutcome.notDone(path, "a folder of that name exists; not replaced");
            }
            if (expectedMd5 != null && sameContent(folder, name, entry.getSize(), expectedMd5)) {
                return FileOutcome.done(path, entry.getSize());
            }
            if (!job.overwrite() && !TemporaryFile.isPlaceholder(folder, name)) {
                return FileOutcome.notDone(path, NOT_OVERWRITTEN);
            }
        }
        try (TemporaryFile temporary = folder.createTemporaryFile()) {
            byte[] md5 = download(job, entry, temporary);
            if (md5 == null) {
                return FileOutcome.notDone(path, "no stored version of run " + entry.getVersion() + " is left (deleted"
                        + " by retention or by hand); not restored");
            }
            if (expectedMd5 != null && !Arrays.equals(expectedMd5, md5)) {
                return FileOutcome.notDone(path, CORRUPTED_SNAPSHOT);
            }
            temporary.force();
            if (entry.getMode() == null) {
                temporary.setPermissions(Digests.DEFAULT_MODE);
            }
            temporary.setAttributes(entry);
            try {
                temporary.moveTo(name, job.overwrite());
            } catch (FileAlreadyExistsException e) {
                // Created a moment ago: by another delivery of this restore (the same content), or by someone else.
                if (sameContent(folder, name, entry.getSize(), md5)) {
                    return restored(path, entry.getSize(), expectedMd5);
                }
                if (TemporaryFile.isPlaceholder(folder, name)) {
                    throw new IllegalStateException("'" + path + "' is being restored by another delivery at this"
                            + " moment; tried again later");
                }
                return FileOutcome.notDone(path, NOT_OVERWRITTEN);
            }
        }
        return restored(path, entry.getSize(), expectedMd5);
    }

    /**
     * Downloads the content {@code entry} names into the temporary file, through its handle; returns the MD5 of what
     * was written, or null when no version of the blob holds that content any more.
     */
    private byte[] download(RestoreJob job, FileEntry entry, TemporaryFile file) throws IOException {
        BlobContainerClient container = service.getBlobContainerClient(job.container());
        String name = BlobNames.blobName(job.blobPrefix(), entry.getPath());
        String version = entry.getVersion();
        if (StoredBlob.isRunId(version)) {
            try {
                MessageDigest md5 = Digests.newMd5();
                BlobDownloadResponse response = container.getBlobClient(name).downloadStreamWithResponse(
                        new DigestOutputStream(Channels.newOutputStream(file.channel()), md5), null, RETRIES, null,
                        false, null, Context.NONE);
                Map<String, String> metadata = response.getDeserializedHeaders().getMetadata();
                if (metadata != null && version.equals(metadata.get(StoredBlob.RUN))) {
                    return md5.digest();
                }
            } catch (BlobStorageException e) {
                if (e.getStatusCode() != 404) {
                    throw e;
                }
            }
            // A later run replaced the blob: copy on write kept this run's content in a blob snapshot.
            file.channel().truncate(0).position(0);
            StoredBlob stored = PrefixListing.stored(container, name);
            BlobItem holder = stored == null ? null : stored.holding(version);
            if (holder == null || holder.getSnapshot() == null) {
                return null;
            }
            version = holder.getSnapshot();
        }
        try {
            MessageDigest md5 = Digests.newMd5();
            container.getBlobClient(name, version).downloadStreamWithResponse(
                    new DigestOutputStream(Channels.newOutputStream(file.channel()), md5), null, RETRIES, null, false,
                    null, Context.NONE);
            return md5.digest();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static final DownloadRetryOptions RETRIES = new DownloadRetryOptions().setMaxRetryRequests(3);

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
}
