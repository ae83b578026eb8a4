package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryAttributes;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileState;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.snapshot.SnapshotIds;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies one file to its blob, and replaces the blob only with one consistent version of the file.
 *
 * <p>The root is opened through the read roots at the moment of the copy (refused unless it is a folder under one,
 * reached without links), and the file below it is opened once without following a link at any step
 * ({@link SecureDirectory#openFileBelow}); everything sent is read from that one handle, never from the name again.
 *
 * <p>A file of up to {@link #MAX_SINGLE_UPLOAD} bytes is read into memory, checked to be unchanged since it was
 * opened ({@link OpenedFile#unchanged()}), and sent in one Put Blob with the MD5 of those bytes, which the service
 * verifies. A larger one is read in blocks of {@link #BLOCK_SIZE} bytes, each staged as it is read (at most
 * {@value #MAX_CONCURRENCY} in flight, so memory stays bounded whatever the size) while the MD5 of the whole is
 * computed; the block list is committed, with that MD5 as Content-MD5 and the size sent as metadata, only if the
 * file is still unchanged after its last byte was read. A file that changed meanwhile leaves the previous blob
 * untouched (staged blocks that are never committed are discarded by the service) and the copy throws, so the
 * fan-out tries it again in its next round and finally reports it.
 *
 * <p>A commit overwrites the blob, which makes the copy idempotent: Durable Functions delivers an activity at least
 * once, and a retry or a duplicate delivery commits the same bytes under the same name (each delivery stages
 * blocks under ids of its own, so two deliveries never mix their blocks).
 */
public final class BlobCopier {
    static final long BLOCK_SIZE = 4L * 1024 * 1024;
    static final long MAX_SINGLE_UPLOAD = BLOCK_SIZE;
    static final int MAX_CONCURRENCY = 4;

    /** Stages blocks in the background; threads are made as needed and end when idle, never block the JVM's exit. */
    private static final ExecutorService STAGING = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "blob-copier-stage");
        thread.setDaemon(true);
        return thread;
    });

    private final BlobServiceClient service;
    private final SecureRoots readRoots;
    private final String manifestContainer;

    /** The copier of this app: its backup account, read roots and manifest container (never written here). */
    public static BlobCopier from(AppServices services) {
        return new BlobCopier(services.blobService(), services.readRoots(), services.settings().manifestContainer());
    }

    public BlobCopier(BlobServiceClient service, SecureRoots readRoots, String manifestContainer) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
    }

    /**
     * Uploads the file (or the link's target, for a link) with its MD5 as Content-MD5 and its POSIX attributes as
     * AzCopy's metadata ({@link PosixMetadata}); in a backup run, tags it with the run and snapshots it.
     *
     * @return the bytes copied, or a problem when the request is refused (a root outside the read roots, a name
     *     that is not an encoded path, a reserved container), or the file vanished, is no longer a regular file or
     *     is reached through a link
     * @throws IllegalStateException when the file changed while it was read (the blob is left as it was)
     * @throws UncheckedIOException when the file cannot be read
     */
    public FileOutcome copy(CopyRequest request) {
        Path relative;
        SecureDirectory root;
        try {
            relative = request.validate(manifestContainer);
            root = readRoots.open("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(request.getPath(), "refused: " + e.getMessage());
        }
        try (root) {
            Path parent = relative.getParent();
            SecureDirectory folder = parent == null ? root : root.openDirectories(parent);
            try {
                BlockBlobClient blob = service.getBlobContainerClient(request.getContainer())
                        .getBlobClient(request.getBlobName()).getBlockBlobClient();
                long size = folder.entryAttributes(relative.getFileName()).isSymbolicLink()
                        ? copyLink(request, folder, relative.getFileName(), blob)
                        : copyFile(request, folder, relative.getFileName(), blob);
                if (request.getRun() != null) {
                    // The read-only copy the run's snapshot points at: later uploads of this name cannot change it.
                    blob.createSnapshot();
                }
                return FileOutcome.done(request.getPath(), size);
            } finally {
                if (folder != root) {
                    folder.close();
                }
            }
        } catch (NoSuchFileException e) {
            return FileOutcome.notDone(request.getPath(), "vanished since it was listed");
        } catch (FileSystemException e) {
            // A link on the way, a folder or a special file where the listing saw a file, or no permission: not retried.
            return FileOutcome.notDone(request.getPath(), "not copied: " + (e.getReason() == null
                    ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + request.getPath() + "'", e);
        }
    }

    /** Sends a regular file read from one open handle; returns its size. */
    private static long copyFile(CopyRequest request, SecureDirectory folder, Path name, BlockBlobClient blob)
            throws IOException {
        try (OpenedFile file = folder.openFile(name)) {
            FileState before = file.before();
            EntryAttributes attributes = folder.entryAttributes(name);
            if (!attributes.state().equals(before)) {
                throw changed(request);
            }
            Map<String, String> metadata = metadata(attributes.toEntry(request.getPath(), null), request.getRun());
            if (before.size() <= MAX_SINGLE_UPLOAD) {
                putWhole(request, file, blob, metadata);
            } else {
                stageAndCommit(request, file, blob, metadata);
            }
            return before.size();
        }
    }

    /**
     * Sends a symbolic link as AzCopy does: the blob's content is the link's target, its metadata says
     * {@code is_symlink}; the link is read, never followed. Returns the target's length.
     */
    private static long copyLink(CopyRequest request, SecureDirectory folder, Path name, BlockBlobClient blob)
            throws IOException {
        EntryAttributes before = folder.entryAttributes(name);
        Path target = folder.readSymbolicLink(name);
        if (!folder.entryAttributes(name).equals(before)) {
            throw changed(request);
        }
        byte[] content = PathCodec.linkTargetBytes(target);
        byte[] md5 = Digests.newMd5().digest(content);
        blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                .setContentMd5(md5)
                .setMetadata(metadata(before.toEntry(request.getPath(), target), request.getRun())), null, Context.NONE);
        return content.length;
    }

    /** AzCopy's POSIX metadata for {@code entry}, and the run that uploads it when there is one. */
    private static Map<String, String> metadata(FileEntry entry, String run) {
        Map<String, String> metadata = new HashMap<>(PosixMetadata.of(entry));
        if (run != null) {
            metadata.put(SnapshotIds.RUN_METADATA, run);
        }
        return metadata;
    }

    /** One Put Blob of the whole file, read first and sent only if it did not change while read. */
    private static void putWhole(CopyRequest request, OpenedFile file, BlockBlobClient blob,
                                 Map<String, String> metadata) throws IOException {
        byte[] content = read(request, file, 0, (int) file.before().size());
        if (!file.unchanged()) {
            throw changed(request);
        }
        byte[] md5 = Digests.newMd5().digest(content);
        blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                .setContentMd5(md5)
                .setMetadata(metadata), null, Context.NONE);
    }

    /** Blocks staged as they are read, committed with the MD5 of all of them only if the file did not change. */
    private static void stageAndCommit(CopyRequest request, OpenedFile file, BlockBlobClient blob,
                                       Map<String, String> metadata) throws IOException {
        long size = file.before().size();
        String delivery = UUID.randomUUID().toString();
        MessageDigest whole = Digests.newMd5();
        List<String> ids = new ArrayList<>();
        Deque<Future<?>> inFlight = new ArrayDeque<>();
        try {
            for (long position = 0; position < size; position += BLOCK_SIZE) {
                byte[] block = read(request, file, position, (int) Math.min(BLOCK_SIZE, size - position));
                whole.update(block);
                String id = blockId(delivery, ids.size());
                ids.add(id);
                if (inFlight.size() == MAX_CONCURRENCY) {
                    await(inFlight.poll());
                }
                inFlight.add(STAGING.submit(() -> blob.stageBlockWithResponse(
                        new BlockBlobStageBlockOptions(id, BinaryData.fromBytes(block)), null, Context.NONE)));
            }
            while (!inFlight.isEmpty()) {
                await(inFlight.poll());
            }
        } finally {
            inFlight.forEach(staging -> staging.cancel(true));
        }
        if (!file.unchanged()) {
            throw changed(request);
        }
        blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                .setHeaders(new BlobHttpHeaders().setContentMd5(whole.digest()))
                .setMetadata(metadata), null, Context.NONE);
    }

    /** Exactly {@code length} bytes from {@code position} of the open file; fewer means it shrank while read. */
    private static byte[] read(CopyRequest request, OpenedFile file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw changed(request);
            }
        }
        return buffer.array();
    }

    /** A block id unique to this delivery and index; every id of a blob has the same length, as the service wants. */
    private static String blockId(String delivery, int index) {
        String id = delivery + String.format("-%06d", index);
        return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
    }

    private static void await(Future<?> staging) throws IOException {
        try {
            staging.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while staging blocks", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("staging a block failed", e.getCause());
        }
    }

    private static IllegalStateException changed(CopyRequest request) {
        return new IllegalStateException("file '" + request.getPath() + "' changed while it was being copied; the"
                + " blob was left as it was");
    }
}
