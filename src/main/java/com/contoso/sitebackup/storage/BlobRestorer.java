package com.contoso.sitebackup.storage;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.contoso.sitebackup.backup.BlobNames;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.RestoreFileRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * Restores one blob to a file under a target directory, never outside it, never over an existing file
 * unless asked, and never half-written: the content is downloaded to a temporary file in the same folder,
 * its MD5 checked against the blob's Content-MD5, its mtime set to the one recorded at backup time, and only
 * then given the file's name in one step (a hard link that fails if the name exists, or an atomic rename
 * when overwriting). A retry or duplicate delivery that finds the file already restored with the same
 * content reports it restored.
 */
public final class BlobRestorer {
    private final BlobServiceClient service;

    public BlobRestorer(BlobServiceClient service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * Restores the blob.
     *
     * @return the bytes restored, or a problem: a name leading outside the target, an existing file without
     *     permission to overwrite, content that does not match its Content-MD5, a blob that vanished
     * @throws UncheckedIOException when the file system fails (retried by the orchestrator)
     */
    public CopyResult restore(RestoreFileRequest request) {
        Path target = Path.of(request.getTargetDirectory());
        Path file = target.resolve(request.getPath()).normalize();
        if (!BlobNames.isSafeRelativePath(request.getPath()) || !file.startsWith(target)) {
            return CopyResult.notCopied(request.getPath(), "refused: the name leads outside the target directory");
        }
        try {
            Files.createDirectories(file.getParent());
            if (!file.getParent().toRealPath().startsWith(target.toRealPath())) {
                return CopyResult.notCopied(request.getPath(), "refused: a folder on the way links outside the target");
            }
            BlobClient blob = service.getBlobContainerClient(request.getContainer()).getBlobClient(request.getBlobName());
            BlobProperties properties;
            try {
                properties = blob.getProperties();
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 404) {
                    return CopyResult.notCopied(request.getPath(), "the blob vanished since it was listed");
                }
                throw e;
            }
            byte[] expectedMd5 = properties.getContentMd5();
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == properties.getBlobSize()
                        && expectedMd5 != null && Arrays.equals(expectedMd5, BlobCopier.md5(file))) {
                    return CopyResult.copied(request.getPath(), properties.getBlobSize());
                }
                if (!request.isOverwrite()) {
                    return CopyResult.notCopied(request.getPath(), "exists and differs; not overwritten (set overwrite)");
                }
            }
            Path temporary = file.resolveSibling("." + file.getFileName() + ".restoring-" + UUID.randomUUID());
            try {
                byte[] md5 = download(blob, properties, temporary);
                if (expectedMd5 != null && !Arrays.equals(expectedMd5, md5)) {
                    return CopyResult.notCopied(request.getPath(), "corrupted: the content does not match its Content-MD5");
                }
                Files.setLastModifiedTime(temporary, FileTime.fromMillis(recordedMtime(properties)));
                if (request.isOverwrite()) {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    try {
                        Files.createLink(file, temporary);
                    } catch (FileAlreadyExistsException e) {
                        return CopyResult.notCopied(request.getPath(), "exists and differs; not overwritten (set overwrite)");
                    }
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            return CopyResult.copied(request.getPath(), properties.getBlobSize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore '" + request.getPath() + "'", e);
        }
    }

    /** Downloads the blob version {@code properties} describes (by its ETag) into {@code file}; returns its MD5. */
    private static byte[] download(BlobClient blob, BlobProperties properties, Path file) throws IOException {
        MessageDigest md5 = BlobCopier.newMd5();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), md5)) {
            blob.downloadStreamWithResponse(out, null, new DownloadRetryOptions().setMaxRetryRequests(3),
                    new BlobRequestConditions().setIfMatch(properties.getETag()), false, null, null);
        }
        return md5.digest();
    }

    private static long recordedMtime(BlobProperties properties) {
        return BlobCopier.recordedMtime(properties.getMetadata(), properties.getLastModified().toInstant().toEpochMilli());
    }
}
