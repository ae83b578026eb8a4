package com.contoso.sitebackup.backup;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * How files larger than the budget are read (in blocks staged as they are read), and one budget for all of them: every
 * {@link BlobCopier} of the process shares {@link #PROCESS}, so the blocks of every such file of a batch, and of every
 * batch the worker runs at once, are in flight together, and at most {@link #budget()} bytes are read and not yet sent
 * at any time whatever the number of files, batches or transfer threads (memory stays bounded). A copy takes a block's
 * bytes from the budget before it reads them and gives them back when its Put Block has ended; a block larger than the
 * budget is never asked for ({@link #blockSize()} is at most the budget), and the semaphore is fair, so a file waits
 * its turn and no copy starves. A file up to the budget's size is not staged: it goes in one Put Blob read from the
 * file as it is sent, which holds a piece of it, not all of it ({@link FileBody}).
 *
 * <p>Block size and budget were chosen by a measured sweep ({@code bench.LargeFileSweep}: 8 files of 32 MiB against
 * Azurite, all files at once, interleaved round by round with the SDK's {@code uploadFromFile}, 5 rounds on a busy
 * 2-core machine). Share of the SDK's throughput (median of the rounds' ratios), this process's and Azurite's CPU
 * seconds: 4 MiB blocks / 128 MiB budget (as before: 4 MiB blocks, 4 per file, 8 files) 0.64, 2.73 s, 1.72 s;
 * 8 / 64: 0.77, 2.11 s, 1.32 s; 16 / 64: 0.83, 1.96 s, 1.28 s; 16 / 128: 0.81, 2.06 s, 1.22 s (the SDK: 1.28 s,
 * 1.21 s). Larger blocks mean fewer requests and less CPU on both sides; a larger budget bought nothing measurable.
 * Files up to the budget were then read whole into it and sent in one Put Blob (16 / 128: 1.03 of the SDK's
 * throughput in the same sweep), but in the backup job the budget let four files of 32 MiB be in flight and made the
 * other batches wait (the sidecar's large scenario at 0.74 of the SDK); sent as they are read, they no longer take
 * the budget at all (bench/run.sh's large scenario, 2026-12-06: 1.01 in process, 0.90 on the sidecar).
 */
public final class BlockStaging {
    /** The size of a staged block (the last one of a file may be shorter). */
    public static final int BLOCK_SIZE = 16 * 1024 * 1024;
    /**
     * The bytes of blocks in flight at once in the process, across every file being sent in blocks; files up to this
     * size go in one Put Blob instead.
     */
    public static final int BUDGET = 128 * 1024 * 1024;

    /** The process's staging: {@link #BLOCK_SIZE}, {@link #BUDGET}, daemon threads made as needed. */
    public static final BlockStaging PROCESS = new BlockStaging(BLOCK_SIZE, BUDGET,
            Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "blob-copier-stage");
                thread.setDaemon(true);
                return thread;
            }));

    private final int blockSize;
    private final int budget;
    private final ExecutorService pool;
    private final Semaphore bytes;
    /** Block buffers given back, to be used again; guards {@link #buffers}, the number made. */
    private final Deque<byte[]> free = new ArrayDeque<>();
    private int buffers;
    /** Blocks in flight per file (the copy's open file); guards the counts below. */
    private final Map<Object, Integer> counts = new HashMap<>();
    private int blocksInFlight;
    private int maxBlocksInFlight;
    private long bytesInFlight;
    private long maxBytesInFlight;
    private int maxFilesInFlight;

    /**
     * @param blockSize bytes of a block, 1 MiB to {@code budget}
     * @param budget bytes of blocks in flight at once, a multiple of the block size, at most 1 GiB
     * @param pool where the Put Block requests run (at least as many threads as blocks fit in the budget)
     */
    public BlockStaging(int blockSize, int budget, ExecutorService pool) {
        if (blockSize < 1024 * 1024 || blockSize > budget || budget > 1024 * 1024 * 1024 || budget % blockSize != 0) {
            throw new IllegalArgumentException("block size " + blockSize + " must be 1 MiB to the budget, and the"
                    + " budget " + budget + " a multiple of it, at most 1 GiB");
        }
        this.blockSize = blockSize;
        this.budget = budget;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.bytes = new Semaphore(budget, true);
    }

    public int blockSize() {
        return blockSize;
    }

    public int budget() {
        return budget;
    }

    ExecutorService pool() {
        return pool;
    }

    /**
     * Takes {@code length} bytes (at most the block size) from the budget for a block of {@code file}, waiting, and
     * answers the buffer to read the block into: one of at most budget / block size buffers, made when first needed
     * and used again after, so the blocks' memory is the budget exactly, whenever a block's bytes become garbage.
     * Waiting for a buffer cannot last: no copy holds a buffer while it waits for another one, and every block in
     * flight gives its buffer back when its Put Block ends.
     */
    byte[] acquire(Object file, int length) throws IOException {
        if (length <= 0 || length > blockSize) {
            throw new IllegalArgumentException("a block of " + length + " bytes must be 1 to " + blockSize);
        }
        try {
            bytes.acquire(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the staging budget", e);
        }
        byte[] buffer;
        try {
            buffer = buffer();
        } catch (InterruptedException e) {
            bytes.release(length);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a staging buffer", e);
        }
        synchronized (counts) {
            counts.merge(file, 1, Integer::sum);
            blocksInFlight++;
            bytesInFlight += length;
            maxBlocksInFlight = Math.max(maxBlocksInFlight, blocksInFlight);
            maxBytesInFlight = Math.max(maxBytesInFlight, bytesInFlight);
            maxFilesInFlight = Math.max(maxFilesInFlight, counts.size());
        }
        return buffer;
    }

    /** Gives back what {@link #acquire} took for one block of {@code file}: its bytes of the budget and its buffer. */
    void release(Object file, int length, byte[] buffer) {
        synchronized (free) {
            free.push(buffer);
            free.notifyAll();
        }
        synchronized (counts) {
            counts.computeIfPresent(file, (f, n) -> n == 1 ? null : n - 1);
            blocksInFlight--;
            bytesInFlight -= length;
        }
        bytes.release(length);
    }

    /** A free buffer, a new one while fewer than budget / block size exist, or the next one given back. */
    private byte[] buffer() throws InterruptedException {
        synchronized (free) {
            while (free.isEmpty() && buffers == budget / blockSize) {
                free.wait();
            }
            if (!free.isEmpty()) {
                return free.pop();
            }
            buffers++;
        }
        return new byte[blockSize];
    }

    /** How many files have blocks read and not yet staged now. */
    public int filesInFlight() {
        synchronized (counts) {
            return counts.size();
        }
    }

    /** The most files that had blocks in flight at once: 1 if large files were copied one after another. */
    public int maxFilesInFlight() {
        synchronized (counts) {
            return maxFilesInFlight;
        }
    }

    /** The most blocks that were read and not yet staged at once, across every copy sharing this staging. */
    public int maxBlocksInFlight() {
        synchronized (counts) {
            return maxBlocksInFlight;
        }
    }

    /** The most bytes of blocks that were read and not yet staged at once (never above {@link #budget()}). */
    public long maxBytesInFlight() {
        synchronized (counts) {
            return maxBytesInFlight;
        }
    }

    /** Blocks taken from the budget and not yet given back (0 when no copy is staging). */
    public int blocksInFlight() {
        synchronized (counts) {
            return blocksInFlight;
        }
    }
}
