package com.contoso.sitebackup.storage;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopyResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Copies one file to its blob in a single pass: the file is read once, in blocks, and each block is both
 * hashed and uploaded, so the Content-MD5 set at the end is the MD5 of exactly the bytes sent. A file up to
 * one block goes up in one request; a larger one is staged block by block ({@value #MAX_CONCURRENCY} blocks
 * of {@link #BLOCK_SIZE} bytes in flight at most, so memory stays bounded whatever the file's size) and
 * committed with its headers and metadata.
 *
 * <p>The upload overwrites the blob unconditionally. That makes the copy idempotent: Durable Functions
 * delivers an activity at least once, and a retry or a duplicate delivery rewrites the same bytes to the
 * same name. Block ids are unique per upload, so two deliveries racing on one blob never mix their blocks.
 * (The backup account keeps blob versions and soft delete, so an overwrite never destroys the last good
 * copy.)
 */
public final class BlobCopier {
    /** Metadata key for the source file's size in bytes. */
    public static final String SOURCE_SIZE = "sourcesize";
    /** Metadata key for the source file's last-modified time, epoch milliseconds. */
    public static final String SOURCE_MTIME = "sourcemtime";

    static final int BLOCK_SIZE = 4 * 1024 * 1024;
    static final int MAX_CONCURRENCY = 4;

    private static final ExecutorService STAGING = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "blob-block-stager");
        thread.setDaemon(true);
        return thread;
    });

    private final BlobServiceClient service;

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
    public CopyResult copy(CopyRequest request) {
        Path root = Path.of(request.getRootDirectory());
        Path file = root.resolve(request.getPath()).normalize();
        if (!file.startsWith(root)) {
            return CopyResult.notCopied(request.getPath(), "path leads outside the root");
        }
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!before.isRegularFile() || !file.toRealPath().startsWith(root.toRealPath())) {
                return CopyResult.notCopied(request.getPath(), "no longer a regular file inside the root");
            }
        } catch (NoSuchFileException e) {
            return CopyResult.notCopied(request.getPath(), "vanished since it was listed");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attributes of '" + request.getPath() + "'", e);
        }

        BlockBlobClient blob = service.getBlobContainerClient(request.getContainer())
                .getBlobClient(request.getBlobName()).getBlockBlobClient();
        Map<String, String> metadata = Map.of(
                SOURCE_SIZE, Long.toString(before.size()),
                SOURCE_MTIME, Long.toString(before.lastModifiedTime().toMillis()));
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            if (before.size() <= BLOCK_SIZE) {
                uploadWhole(blob, in, before.size(), metadata, request.getPath());
            } else {
                uploadInBlocks(blob, in, before.size(), metadata, request.getPath());
            }
        } catch (NoSuchFileException e) {
            return CopyResult.notCopied(request.getPath(), "vanished since it was listed");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + request.getPath() + "'", e);
        }

        BasicFileAttributes after = attributesOrNull(file);
        if (after == null || after.size() != before.size()
                || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            throw new IllegalStateException("file '" + request.getPath() + "' changed while it was being copied");
        }
        return CopyResult.copied(request.getPath(), before.size());
    }

    private static void uploadWhole(BlockBlobClient blob, InputStream in, long size, Map<String, String> metadata,
                                    String path) throws IOException {
        byte[] content = in.readNBytes((int) size + 1);
        if (content.length != size) {
            throw changed(path);
        }
        blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                .setHeaders(new BlobHttpHeaders().setContentMd5(digest().digest(content)))
                .setMetadata(metadata), null, null);
    }

    private static void uploadInBlocks(BlockBlobClient blob, InputStream in, long size, Map<String, String> metadata,
                                       String path) throws IOException {
        MessageDigest md5 = digest();
        String upload = UUID.randomUUID().toString();
        List<String> blockIds = new ArrayList<>();
        List<CompletableFuture<Void>> staged = new ArrayList<>();
        Semaphore inFlight = new Semaphore(MAX_CONCURRENCY);
        long read = 0;
        try {
            for (byte[] block = in.readNBytes(BLOCK_SIZE); block.length > 0; block = in.readNBytes(BLOCK_SIZE)) {
                read += block.length;
                md5.update(block);
                String id = Base64.getEncoder().encodeToString(
                        String.format("%s-%08d", upload, blockIds.size()).getBytes(StandardCharsets.US_ASCII));
                blockIds.add(id);
                inFlight.acquireUninterruptibly();
                byte[] content = block;
                staged.add(CompletableFuture.runAsync(() -> blob.stageBlock(id, BinaryData.fromBytes(content)), STAGING)
                        .whenComplete((ok, error) -> inFlight.release()));
                failFast(staged);
            }
            CompletableFuture.allOf(staged.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        if (read != size) {
            throw changed(path);
        }
        blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds)
                .setHeaders(new BlobHttpHeaders().setContentMd5(md5.digest()))
                .setMetadata(metadata), null, null);
    }

    /** Rethrows the first failed block upload, so a broken upload stops reading the file. */
    private static void failFast(List<CompletableFuture<Void>> staged) {
        for (CompletableFuture<Void> block : staged) {
            if (block.isCompletedExceptionally()) {
                block.join();
            }
        }
    }

    /** The MD5 of a file's content, read in a stream. */
    public static byte[] md5(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = digest();
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + file + "'", e);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    private static IllegalStateException changed(String path) {
        return new IllegalStateException("file '" + path + "' changed while it was being copied");
    }

    private static BasicFileAttributes attributesOrNull(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }
}
