package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryAttributes;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileState;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Copies one file to its blob, and replaces the blob only with one consistent version of the file.
 *
 * <p>The root is opened through the read roots at the moment of the copy (refused unless it is a folder under one,
 * reached without links), and the file below it is opened once without following a link at any step
 * ({@link SecureDirectory#openFileBelow}); everything sent is read from that one handle, never from the name again.
 *
 * <p>A file of up to {@link #MAX_SINGLE_UPLOAD} bytes is read into memory, checked to be unchanged since it was
 * opened ({@link OpenedFile#unchanged()}), and sent in one Put Blob with the MD5 of those bytes, which the service
 * verifies. A larger one up to the size of the staging budget ({@link BlockStaging#budget()}) is sent in one Put Blob
 * read from the handle as the request goes ({@link FileBody}), and its last bytes are sent only if the file is still
 * unchanged once they were read; else the request is cut short and the service stores nothing. It holds one piece of
 * the file in memory, not the file, so every such file of every batch is sent at once (the SDK's own upload of a file
 * streams it too). No MD5 is computed for it: the service computes the MD5 of a Put Blob's content and stores it as
 * Content-MD5 (Azure and Azurite alike). Hashing was most of this copier's CPU on large files (the worker JVM runs C1
 * only, where the JDK's MD5 runs at ~320 MB/s and OpenSSL's, {@link com.contoso.sitebackup.blob.NativeMd5}, at
 * ~590) and made it slower than the SDK's own upload. A file larger than the budget is
 * read in blocks of {@link BlockStaging#blockSize()} bytes, each staged as it is read while the MD5 of the whole is
 * computed; the blocks of every such file the process copies share one budget of bytes in flight
 * ({@link BlockStaging}: memory stays bounded whatever the sizes and the number of files); the block list is
 * committed, with that MD5 as Content-MD5 and the size sent as metadata, only if the file is still unchanged after
 * its last byte was read. A file that changed meanwhile leaves the previous blob untouched (staged blocks that are
 * never committed are discarded by the service), whichever way it was sent, and the copy throws, so the fan-out tries
 * it again in its next round and finally reports it.
 *
 * <p><b>Copy on write.</b> The blob is tagged with the run that uploads it ({@link StoredBlob#RUN}) and the backup it
 * belongs to ({@link StoredBlob#BACKUP}); a snapshot of a run names its content by that run. A new file costs one
 * request: a Put Blob that creates the blob only if there still is none. A blob that holds an earlier run's content
 * which nothing else keeps ({@link CopyEntry#base} is its ETag) gets a blob snapshot first, only if it is still that
 * version (If-Match), then is replaced. When the blob is not what the listing saw (it appeared, or changed), one
 * Get Properties decides: content of this run (a redelivered copy) or not this app's is replaced as it is, any other
 * run's content is snapshotted first. A copy that may have started before (delivered again after a worker was lost,
 * or a retry round) first looks for a blob snapshot of the version that an earlier start took before it was lost
 * (one listing of the name). So a redelivered or retried copy never takes a second blob snapshot, and no content a
 * snapshot names is ever overwritten. Each delivery stages blocks under ids of its own, so two deliveries
 * never mix their blocks.
 */
public final class BlobCopier {
    /** The largest file sent in one Put Blob, read whole into memory first; larger ones go in blocks. */
    static final long MAX_SINGLE_UPLOAD = 4L * 1024 * 1024;

    private final BlobServiceClient service;
    private final SecureRoots readRoots;
    private final String manifestContainer;
    private final BlockStaging staging;

    /** Sends the content with the given conditions on the blob (null: none). */
    @FunctionalInterface
    private interface Upload {
        void send(BlobRequestConditions conditions) throws IOException;
    }

    /** The copier of this app: its backup account, read roots and manifest container (never written here). */
    public static BlobCopier from(AppServices services) {
        return new BlobCopier(services.blobService(), services.readRoots(), services.settings().manifestContainer());
    }

    public BlobCopier(BlobServiceClient service, SecureRoots readRoots, String manifestContainer) {
        this(service, readRoots, manifestContainer, BlockStaging.PROCESS);
    }

    /** With the staging (block size, budget of bytes in flight, pool) {@code staging}: the process's, or a test's. */
    public BlobCopier(BlobServiceClient service, SecureRoots readRoots, String manifestContainer,
                      BlockStaging staging) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
        this.staging = Objects.requireNonNull(staging, "staging");
    }

    /**
     * Uploads the file (or the link's target, for a link) of {@code entry} with its MD5 as Content-MD5 and its POSIX
     * attributes as AzCopy's metadata ({@link PosixMetadata}), tagged with the run and the backup ({@code job}).
     *
     * @return the bytes copied, or a problem when the request is refused (a root outside the read roots, a name
     *     that is not an encoded path, a reserved container), or the file vanished, is no longer a regular file or
     *     is reached through a link
     * @throws IllegalArgumentException when the job or the entry is refused (not retried)
     * @throws IllegalStateException when the file changed while it was read (the blob is left as it was)
     * @throws UncheckedIOException when the file cannot be read
     */
    public FileOutcome copy(BackupJob job, CopyEntry entry) {
        return copy(job, entry, false);
    }

    /**
     * As {@link #copy(BackupJob, CopyEntry)}; {@code again} when this copy may have been started before (its input
     * was delivered again after a worker was lost, or it is a retry round): an earlier start may have kept the blob's
     * version in a blob snapshot and stopped before it replaced the blob, so before a blob snapshot is taken one
     * listing of the name looks for that one ({@link #keptAlready}).
     */
    public FileOutcome copy(BackupJob job, CopyEntry entry, boolean again) {
        return copy(job, entry, () -> again);
    }

    /**
     * As {@link #copy(BackupJob, CopyEntry, boolean)}, with {@code again} asked only when the copy is about to take a
     * blob snapshot (a copy that creates a blob, or replaces one nothing keeps, never asks): the batch's start marker
     * ({@link com.contoso.sitebackup.durable.ManifestStore#firstStart}) is then written only by a batch that keeps a
     * version, before its first blob snapshot.
     */
    public FileOutcome copy(BackupJob job, CopyEntry entry, BooleanSupplier again) {
        Objects.requireNonNull(again, "again");
        Path relative;
        String blobName;
        SecureDirectory root;
        try {
            BlobNames.checkContainer("container", job.container(), manifestContainer);
            BlobNames.checkPrefix("blobPrefix", job.blobPrefix());
            if (job.run() != null && !SnapshotIds.isId(job.run())) {
                throw new IllegalArgumentException("run '" + Printable.quote(job.run()) + "' is not a snapshot id");
            }
            relative = PathCodec.decodePath(entry.path());
            // A path too long for a blob name goes to the name derived from it (the plan says so; checked there).
            blobName = BlobNames.blobName(job.blobPrefix(), entry.blob() != null ? entry.blob() : entry.path());
            if (!PathCodec.isStorable(blobName)) {
                throw new IllegalArgumentException("blob name longer than " + PathCodec.MAX_BLOB_NAME_LENGTH
                        + " characters or of more than " + PathCodec.MAX_SEGMENTS + " segments");
            }
            root = readRoots.open("rootDirectory", job.directory());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(entry.path(), "refused: " + e.getMessage());
        }
        try (root) {
            Path parent = relative.getParent();
            SecureDirectory folder = parent == null ? root : root.openDirectories(parent);
            try {
                BlockBlobClient blob = service.getBlobContainerClient(job.container())
                        .getBlobClient(blobName).getBlockBlobClient();
                Map<String, String> tags = tags(job);
                boolean link = folder.entryAttributes(relative.getFileName()).isSymbolicLink();
                if (link != (entry.type() == EntryType.SYMLINK)) {
                    // The snapshot records the entry as listed: content of another kind would not match it.
                    return FileOutcome.notDone(entry.path(), link ? "became a symbolic link since it was listed"
                            : "is no longer the symbolic link it was when listed");
                }
                Delivery delivery = new Delivery(tags.get(StoredBlob.RUN), again);
                long size = link ? copyLink(entry, folder, relative.getFileName(), blob, tags, delivery)
                        : copyFile(entry, folder, relative.getFileName(), blob, tags, delivery);
                return FileOutcome.done(entry.path(), size);
            } finally {
                if (folder != root) {
                    folder.close();
                }
            }
        } catch (NoSuchFileException e) {
            return FileOutcome.notDone(entry.path(), "vanished since it was listed");
        } catch (FileSystemException e) {
            // A link on the way, a folder or a special file where the listing saw a file, or no permission: not retried.
            return FileOutcome.notDone(entry.path(), "not copied: " + (e.getReason() == null
                    ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + entry.path() + "'", e);
        }
    }

    /** The run and backup tags of every blob {@code job} uploads. */
    private static Map<String, String> tags(BackupJob job) {
        Map<String, String> tags = new HashMap<>();
        if (job.run() != null) {
            tags.put(StoredBlob.RUN, job.run());
        }
        tags.put(StoredBlob.BACKUP, BlobNames.backupId(job.container(), job.blobPrefix()));
        return tags;
    }

    /**
     * Sends {@code upload} so that no content a snapshot names is overwritten (see the class comment): creates the
     * blob if the listing saw none, or keeps the version it saw in a blob snapshot first, then replaces it.
     */
    private static void write(BlockBlobClient blob, CopyEntry entry, Delivery delivery, Upload upload)
            throws IOException {
        String run = delivery.run();
        String base = entry.base();
        if (base == null) {
            try {
                upload.send(new BlobRequestConditions().setIfNoneMatch("*"));
                return;
            } catch (BlobStorageException e) {
                if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
                    throw e;
                }
                base = current(blob, run);
            }
        }
        if (!base.equals(CopyEntry.REPLACE) && !(delivery.again() && keptAlready(blob, base))) {
            try {
                blob.createSnapshotWithResponse(null, new BlobRequestConditions().setIfMatch(base), null, Context.NONE);
            } catch (BlobStorageException e) {
                if (e.getStatusCode() != 412) {
                    throw e;
                }
                // Not the version the listing saw: decide again from what it holds now.
                String now = current(blob, run);
                if (!now.equals(CopyEntry.REPLACE) && !(delivery.again() && keptAlready(blob, now))) {
                    blob.createSnapshotWithResponse(null, new BlobRequestConditions().setIfMatch(now), null,
                            Context.NONE);
                }
            }
        }
        upload.send(null);
    }

    /**
     * The run a copy uploads for, and whether it may have been started before ({@link #copy(BackupJob, CopyEntry,
     * BooleanSupplier)}), asked only before a blob snapshot.
     */
    private record Delivery(String run, BooleanSupplier startedBefore) {
        boolean again() {
            return startedBefore.getAsBoolean();
        }
    }

    /**
     * Whether the blob still holds the version {@code etag} and a blob snapshot of that version exists already (same
     * last-modified time, Content-MD5 and run tag): one an earlier start of this copy took before it was lost. One
     * listing of the name.
     */
    private static boolean keptAlready(BlockBlobClient blob, String etag) {
        StoredBlob stored = PrefixListing.stored(blob.getContainerClient(), blob.getBlobName());
        if (stored == null || stored.base() == null || !etag.equals(stored.base().getProperties().getETag())) {
            return false;
        }
        BlobItem base = stored.base();
        for (BlobItem snapshot : stored.snapshots()) {
            if (Objects.equals(snapshot.getProperties().getLastModified(), base.getProperties().getLastModified())
                    && Arrays.equals(snapshot.getProperties().getContentMd5(), base.getProperties().getContentMd5())
                    && Objects.equals(StoredBlob.runOf(snapshot), StoredBlob.runOf(base))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the blob holds now, as a {@link CopyEntry#base}: {@link CopyEntry#REPLACE} when it is gone, holds this
     * run's content (a redelivered copy) or content that is not this app's; else its ETag, to keep it first.
     */
    private static String current(BlockBlobClient blob, String run) {
        BlobProperties properties;
        try {
            properties = blob.getProperties();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return CopyEntry.REPLACE;
            }
            throw e;
        }
        String uploadedBy = properties.getMetadata() == null ? null : properties.getMetadata().get(StoredBlob.RUN);
        return uploadedBy == null || uploadedBy.equals(run) ? CopyEntry.REPLACE : properties.getETag();
    }

    /** Sends a regular file read from one open handle; returns its size. */
    private long copyFile(CopyEntry entry, SecureDirectory folder, Path name, BlockBlobClient blob,
                          Map<String, String> tags, Delivery delivery) throws IOException {
        try (OpenedFile file = folder.openFile(name)) {
            FileState before = file.before();
            EntryAttributes attributes = folder.entryAttributes(name);
            if (!attributes.state().equals(before)) {
                throw changed(entry);
            }
            Map<String, String> metadata = metadata(attributes.toEntry(entry.path(), null), tags);
            if (before.size() <= MAX_SINGLE_UPLOAD) {
                putWhole(entry, file, blob, metadata, delivery);
            } else if (before.size() <= staging.budget()) {
                putStreamed(entry, file, blob, metadata, delivery);
            } else {
                stageAndCommit(entry, file, blob, metadata, delivery, staging);
            }
            return before.size();
        }
    }

    /**
     * Sends a symbolic link as AzCopy does: the blob's content is the link's target, its metadata says
     * {@code is_symlink}; the link is read, never followed. Returns the target's length.
     */
    private static long copyLink(CopyEntry entry, SecureDirectory folder, Path name, BlockBlobClient blob,
                                 Map<String, String> tags, Delivery delivery) throws IOException {
        EntryAttributes before = folder.entryAttributes(name);
        Path target = folder.readSymbolicLink(name);
        if (!folder.entryAttributes(name).equals(before)) {
            throw changed(entry);
        }
        byte[] content = PathCodec.linkTargetBytes(target);
        put(blob, entry, content, metadata(before.toEntry(entry.path(), target), tags), delivery);
        return content.length;
    }

    /** AzCopy's POSIX metadata for {@code entry}, with the run and backup tags. */
    private static Map<String, String> metadata(FileEntry entry, Map<String, String> tags) {
        Map<String, String> metadata = new HashMap<>(PosixMetadata.of(entry));
        metadata.putAll(tags);
        return metadata;
    }

    /** One Put Blob of the whole file, read first and sent only if it did not change while read. */
    private static void putWhole(CopyEntry entry, OpenedFile file, BlockBlobClient blob,
                                 Map<String, String> metadata, Delivery delivery) throws IOException {
        byte[] content = read(entry, file, 0, (int) file.before().size());
        if (!file.unchanged()) {
            throw changed(entry);
        }
        put(blob, entry, content, metadata, delivery);
    }

    /**
     * One Put Blob of a file larger than {@link #MAX_SINGLE_UPLOAD}, read from the open file as the request sends it
     * ({@link FileBody}): the last bytes go only if the file is still unchanged once they were read, else the request
     * is cut short and the service stores nothing. No MD5 is computed here: the service computes the MD5 of a Put
     * Blob's content and stores it as Content-MD5.
     */
    private static void putStreamed(CopyEntry entry, OpenedFile file, BlockBlobClient blob,
                                    Map<String, String> metadata, Delivery delivery) throws IOException {
        long size = file.before().size();
        write(blob, entry, delivery, conditions -> {
            FileBody body = new FileBody(file);
            try {
                blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromStream(body, size))
                        .setMetadata(metadata)
                        .setRequestConditions(conditions), null, Context.NONE);
            } catch (RuntimeException e) {
                if (body.changed()) {
                    throw changed(entry);
                }
                if (body.failure() != null) {
                    throw body.failure();
                }
                throw e;
            }
        });
    }

    /** {@code content} in one Put Blob with its MD5 (checked by the service), without overwriting a snapshot's content. */
    private static void put(BlockBlobClient blob, CopyEntry entry, byte[] content, Map<String, String> metadata,
                            Delivery delivery) throws IOException {
        byte[] md5 = Digests.newMd5().digest(content);
        write(blob, entry, delivery, conditions -> blob.uploadWithResponse(
                new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                        .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                        .setContentMd5(md5)
                        .setMetadata(metadata)
                        .setRequestConditions(conditions), null, Context.NONE));
    }

    /**
     * Blocks staged as they are read, committed with the MD5 of all of them only if the file did not change. Each
     * block's bytes are taken from {@code staging}'s budget before it is read and given back when its Put Block has
     * ended, so the blocks of every large file being copied share one bound; a failure stops the reading, lets the
     * blocks already sent end (a block not yet started is skipped) and commits nothing.
     */
    private static void stageAndCommit(CopyEntry entry, OpenedFile file, BlockBlobClient blob,
                                       Map<String, String> metadata, Delivery delivery, BlockStaging staging)
            throws IOException {
        long size = file.before().size();
        int blockSize = staging.blockSize();
        String blockPrefix = UUID.randomUUID().toString();
        MessageDigest whole = Digests.newMd5();
        List<String> ids = new ArrayList<>();
        Deque<Future<?>> inFlight = new ArrayDeque<>();
        AtomicBoolean stopped = new AtomicBoolean();
        boolean sent = false;
        try {
            for (long position = 0; position < size; position += blockSize) {
                int length = (int) Math.min(blockSize, size - position);
                byte[] block = staging.acquire(file, length);
                try {
                    readFully(entry, file, position, ByteBuffer.wrap(block, 0, length));
                } catch (IOException | RuntimeException e) {
                    staging.release(file, length, block);
                    throw e;
                }
                whole.update(block, 0, length);
                String id = blockId(blockPrefix, ids.size());
                ids.add(id);
                Future<?> staged;
                try {
                    staged = staging.pool().submit(() -> {
                        try {
                            if (!stopped.get()) {
                                blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id,
                                        BinaryData.fromByteBuffer(ByteBuffer.wrap(block, 0, length))), null,
                                        Context.NONE);
                            }
                        } finally {
                            staging.release(file, length, block);
                        }
                    });
                } catch (RuntimeException e) {
                    staging.release(file, length, block);   // not taken by the pool: the task will never give it back
                    throw e;
                }
                inFlight.add(staged);
                while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                    await(inFlight.poll());
                }
            }
            while (!inFlight.isEmpty()) {
                await(inFlight.poll());
            }
            sent = true;
        } finally {
            if (!sent) {
                // Every task gives its bytes back itself: wait for the ones running, skip the rest.
                stopped.set(true);
                for (Future<?> staged : inFlight) {
                    try {
                        staged.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    } catch (ExecutionException ignored) {
                        // The copy fails already; this block's failure adds nothing.
                    }
                }
            }
        }
        if (!file.unchanged()) {
            throw changed(entry);
        }
        byte[] md5 = whole.digest();
        write(blob, entry, delivery, conditions -> blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                .setMetadata(metadata)
                .setRequestConditions(conditions), null, Context.NONE));
    }

    /** Exactly {@code length} bytes from {@code position} of the open file; fewer means it shrank while read. */
    private static byte[] read(CopyEntry entry, OpenedFile file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(entry, file, position, buffer);
        return buffer.array();
    }

    /** Fills {@code buffer} (at position 0) from {@code position} of the open file; a short read means it shrank. */
    private static void readFully(CopyEntry entry, OpenedFile file, long position, ByteBuffer buffer)
            throws IOException {
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw changed(entry);
            }
        }
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

    private static IllegalStateException changed(CopyEntry entry) {
        return new IllegalStateException("file '" + entry.path() + "' changed while it was being copied; the"
                + " blob was left as it was");
    }
}
