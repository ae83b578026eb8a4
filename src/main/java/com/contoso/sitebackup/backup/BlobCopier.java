package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.files.Digests;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * Copies one file to its blob, streamed from the file so memory stays bounded whatever its size: a file up
 * to {@link #MAX_SINGLE_UPLOAD} bytes goes up in one request, a larger one in blocks of {@link #BLOCK_SIZE}
 * bytes, {@value #MAX_CONCURRENCY} at a time. Either way the blob's Content-MD5 is the file's MD5: the
 * service computes it for a single request, and for a block upload it is computed in a first read of the
 * file and set at commit. The size and mtime are checked before and after, so a file that changes in
 * between is copied again on retry.
 *
 * <p>The upload overwrites the blob unconditionally. That makes the copy idempotent: Durable Functions
 * delivers an activity at least once, and a retry or a duplicate delivery rewrites the same bytes to the
 * same name. (The backup account keeps blob versions and soft delete, so an overwrite never destroys the
 * last good copy.)
 */
public final class BlobCopier {
    static final long BLOCK_SIZE = 4L * 1024 * 1024;
    static final long MAX_SINGLE_UPLOAD = 32L * 1024 * 1024;
    static final int MAX_CONCURRENCY = 4;

    private final BlobServiceClient service;

    /** The copier of this app: its backup account. */
    public static BlobCopier from(AppServices services) {
        return new BlobCopier(services.blobService());
    }

    public BlobCopier(BlobServiceClient service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * Uploads the file with its MD5 as Content-MD5 and its size and mtime as metadata.
     *
     * @return the bytes copied, or a problem when the file vanished, is no longer a regular file, or leads
     *     outside its root
     * @throws IllegalStateException when the file changed during the upload (a retry copies it again)
     * @throws UncheckedIOException when the file cannot be read
     */
    public FileOutcome copy(CopyRequest request) {
        Path root = Path.of(request.getRootDirectory());
        Path file = root.resolve(request.getPath()).normalize();
        if (!file.startsWith(root)) {
            return FileOutcome.notDone(request.getPath(), "path leads outside the root");
        }
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!before.isRegularFile() || !file.toRealPath().startsWith(root.toRealPath())) {
                return FileOutcome.notDone(request.getPath(), "no longer a regular file inside the root");
            }
        } catch (NoSuchFileException e) {
            return FileOutcome.notDone(request.getPath(), "vanished since it was listed");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attributes of '" + request.getPath() + "'", e);
        }

        // A file sent in one request needs no MD5 of ours: Put Blob stores the MD5 of exactly the bytes it
        // received as Content-MD5. A block upload's commit stores none, so for those it is computed first.
        BlobHttpHeaders headers = before.size() <= MAX_SINGLE_UPLOAD
                ? new BlobHttpHeaders() : new BlobHttpHeaders().setContentMd5(Digests.md5(file));
        BlobClient blob = service.getBlobContainerClient(request.getContainer()).getBlobClient(request.getBlobName());
        BlobUploadFromFileOptions options = new BlobUploadFromFileOptions(file.toString())
                .setHeaders(headers)
                .setMetadata(Map.of(
                        Digests.SOURCE_SIZE, Long.toString(before.size()),
                        Digests.SOURCE_MTIME, Long.toString(before.lastModifiedTime().toMillis())))
                .setParallelTransferOptions(new ParallelTransferOptions()
                        .setBlockSizeLong(BLOCK_SIZE)
                        .setMaxSingleUploadSizeLong(MAX_SINGLE_UPLOAD)
                        .setMaxConcurrency(MAX_CONCURRENCY));
        blob.uploadFromFileWithResponse(options, null, null);

        BasicFileAttributes after = attributesOrNull(file);
        if (after == null || after.size() != before.size()
                || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            throw new IllegalStateException("file '" + request.getPath() + "' changed while it was being copied");
        }
        return FileOutcome.done(request.getPath(), before.size());
    }

    private static BasicFileAttributes attributesOrNull(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }
}
