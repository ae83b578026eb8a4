package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.NameOrder;

import com.contoso.sitebackup.blob.Containers;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one snapshot manifest as it is walked: each {@link #add} appends a JSON line to a gzip stream that is
 * staged as a block of the manifest blob every {@code blockSize} bytes, so memory holds one block whatever the
 * tree's size. {@link #commit} stages the header line (format and {@link SnapshotInfo}, with the counts of what
 * was added) as a gzip member of its own and commits the block list, header first, with the summary as blob
 * metadata: the manifest appears whole in one step, or not at all. A manifest that fits in one block is written by
 * one Put Blob instead (header member, then the entries' member), just as whole. The container is made by the
 * first write that finds it missing ({@link Containers}), not by a request of every writer. {@link #close} without a commit commits
 * nothing, so no manifest appears (the staged blocks are discarded by the service).
 *
 * <p>Block ids carry a random nonce per writer: two writers of the same id (an activity run twice) never mix
 * their blocks, and the last commit replaces the manifest whole. A commit that loses such a race (the other
 * commit discarded its blocks) fails, and the other writer's manifest stands.
 *
 * <p>Entries other than folders (files, links, pipes, devices) must come in {@link NameOrder} of their paths, each
 * path once, as {@code TreeWalker} meets them, which is the order of the backup's blob listing: retention merges the
 * two in one pass. Directories may come anywhere (a walk names a folder before or after what it holds).
 */
public final class SnapshotWriter implements AutoCloseable {
    /** The most blocks a blob may have committed (the service's limit), the header's included. */
    private static final int MAX_BLOCKS = 50_000;

    private final BlobContainerClient container;
    private final BlockBlobClient blob;
    private final String name;
    private final SnapshotInfo info;
    private final String nonce = UUID.randomUUID().toString();
    private final List<String> blockIds = new ArrayList<>();
    private final BlockStream blocks;
    private final GZIPOutputStream gzip;
    private String lastContentPath;
    private long files;
    private long directories;
    private long links;
    private long bytes;
    private long missing;
    private long specials;
    private boolean ended;

    SnapshotWriter(BlobContainerClient container, BlockBlobClient blob, String name, SnapshotInfo info, int blockSize) {
        this.container = Objects.requireNonNull(container, "container");
        this.blob = Objects.requireNonNull(blob, "blob");
        this.name = Objects.requireNonNull(name, "name");
        this.info = Objects.requireNonNull(info, "info");
        this.blocks = new BlockStream(blockSize);
        try {
            this.gzip = new GZIPOutputStream(blocks, 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends {@code entry}. IllegalArgumentException naming the path when a file's or link's path does not come
     * after the previous one's in {@link NameOrder}; IllegalStateException after {@link #commit} or {@link #close}.
     */
    public void add(FileEntry entry) {
        Objects.requireNonNull(entry, "entry");
        requireOpen();
        EntryType type = entry.getEntryType();
        if (type != EntryType.DIRECTORY) {
            if (lastContentPath != null && NameOrder.compare(lastContentPath, entry.getPath()) >= 0) {
                throw new IllegalArgumentException("entry '" + entry.getPath() + "' comes after '" + lastContentPath
                        + "': files and links must be added once each, in name order");
            }
            lastContentPath = entry.getPath();
        }
        try {
            gzip.write(SnapshotStore.JSON.writeValueAsBytes(entry));
            gzip.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write manifest " + name, e);
        }
        switch (type) {
            case FILE -> {
                files++;
                // A later name of a file with several holds no content of its own: its bytes count once.
                bytes += entry.getHardLink() == null ? entry.getSize() : 0;
            }
            case DIRECTORY -> directories++;
            case SYMLINK -> links++;
            case FIFO, CHARACTER_DEVICE, BLOCK_DEVICE -> specials++;
        }
        if (entry.getMissing() != null) {
            missing++;
        }
    }

    /**
     * Commits the manifest, replacing any earlier one of the same id, and returns its summary with the counts of
     * what was added. IllegalStateException after {@link #commit} or {@link #close}.
     */
    public SnapshotInfo commit() {
        requireOpen();
        ended = true;
        SnapshotInfo counted = info.withCounts(files, directories, links, bytes, missing, specials);
        try {
            gzip.close();
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            try (GZIPOutputStream headerGzip = new GZIPOutputStream(header)) {
                headerGzip.write(SnapshotStore.headerLine(counted).getBytes(StandardCharsets.UTF_8));
            }
            BlobHttpHeaders headers = new BlobHttpHeaders().setContentType("application/gzip");
            if (blockIds.isEmpty()) {
                // Everything fits in one block (most manifests): header and entries in one Put Blob, which replaces
                // the blob whole in one step as a commit does, for one request instead of three.
                BinaryData whole = BinaryData.fromListByteBuffer(List.of(ByteBuffer.wrap(header.toByteArray()),
                        ByteBuffer.wrap(blocks.buffer, 0, blocks.length)));
                Containers.creatingIfMissing(container, () -> blob.uploadWithResponse(
                        new BlockBlobSimpleUploadOptions(whole)
                                .setHeaders(headers).setMetadata(SnapshotStore.metadata(counted)), null, null));
                return counted;
            }
            blocks.stageRest();
            String headerId = blockId(0);
            blob.stageBlock(headerId, BinaryData.fromBytes(header.toByteArray()));
            List<String> all = new ArrayList<>();
            all.add(headerId);
            all.addAll(blockIds);
            blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(all)
                    .setHeaders(headers).setMetadata(SnapshotStore.metadata(counted)), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write manifest " + name, e);
        }
        return counted;
    }

    /** Ends the writer; without a {@link #commit}, no manifest appears and an earlier one stays as it was. */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            blocks.discard();
            try {
                gzip.close(); // frees the compressor; what it still writes is dropped
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void requireOpen() {
        if (ended) {
            throw new IllegalStateException("manifest " + name + " is already committed or closed");
        }
    }

    /** A block id of one length for every block of this writer: the nonce and the block's number. */
    private String blockId(int index) {
        return Base64.getEncoder().encodeToString(String.format("%s-%06d", nonce, index)
                .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Stages the compressed stream as blocks of {@code blockSize} bytes, numbered from 1 (0 is the header). Its buffer
     * starts at {@value #FIRST_BUFFER} bytes and doubles as it fills, up to the block size: most manifests are far
     * smaller than a block, and a block-sized array for each would be garbage of 1-4 MiB per writer (on G1, a
     * humongous allocation each).
     */
    private final class BlockStream extends OutputStream {
        private static final int FIRST_BUFFER = 64 * 1024;
        private final int blockSize;
        private byte[] buffer;
        private int length;
        private boolean discarding;

        BlockStream(int blockSize) {
            if (blockSize < 1) {
                throw new IllegalArgumentException("blockSize must be positive: " + blockSize);
            }
            this.blockSize = blockSize;
            this.buffer = new byte[Math.min(FIRST_BUFFER, blockSize)];
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int count) {
            while (count > 0 && !discarding) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(blockSize, buffer.length * 2));
                }
                int n = Math.min(count, buffer.length - length);
                System.arraycopy(data, offset, buffer, length, n);
                length += n;
                offset += n;
                count -= n;
                if (length == blockSize) {
                    stage();
                }
            }
        }

        void discard() {
            discarding = true;
        }

        void stageRest() {
            if (length > 0) {
                stage();
            }
        }

        private void stage() {
            if (blockIds.size() + 1 >= MAX_BLOCKS) {
                throw new IllegalStateException("manifest " + name + " would need more than " + MAX_BLOCKS
                        + " blocks");
            }
            String id = blockId(blockIds.size() + 1);
            BinaryData block = BinaryData.fromByteBuffer(ByteBuffer.wrap(buffer, 0, length));
            Containers.creatingIfMissing(container, () -> blob.stageBlock(id, block));
            blockIds.add(id);
            length = 0;
        }
    }
}
