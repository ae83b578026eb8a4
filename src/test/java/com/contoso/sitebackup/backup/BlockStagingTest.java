package com.contoso.sitebackup.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BlockStagingTest {
    private static final int MIB = 1024 * 1024;

    /**
     * Whole files and blocks share the budget's bytes and its budget / block size buffers, from many threads: every
     * acquire ends, the bytes in flight never pass the budget and every buffer and byte comes back. A whole file's
     * bytes are taken at once: a file that took them part by part could hold some while waiting for the rest, held by
     * others doing the same (all wait forever, and the time limit fails the test).
     */
    @Test
    @Timeout(60)
    void acquireWholeAndBlocks_manyThreads_neverDeadlockAndStayInTheBudget() throws Exception {
        BlockStaging staging = new BlockStaging(MIB, 4 * MIB, Executors.newCachedThreadPool());
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < 12; t++) {
                int kind = t % 3;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        Object file = new Object();
                        if (kind == 2) {
                            byte[] block = staging.acquire(file, MIB / 2);
                            assertEquals(MIB, block.length);
                            staging.release(file, MIB / 2, block);
                        } else {
                            long size = kind == 0 ? 5 * MIB / 2 : 3 * MIB / 2;
                            List<byte[]> buffers = staging.acquireWhole(file, size);
                            assertEquals(kind == 0 ? 3 : 2, buffers.size());
                            Thread.yield();
                            staging.releaseWhole(file, size, buffers);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get(50, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(staging.maxBytesInFlight() <= 4L * MIB, "bytes in flight " + staging.maxBytesInFlight());
        assertTrue(staging.maxFilesInFlight() >= 2, "never two at once: " + staging.maxFilesInFlight());
        assertEquals(0, staging.blocksInFlight());
        assertEquals(0, staging.filesInFlight());
    }

    @Test
    void constructor_budgetNotAMultipleOfTheBlockSize_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> new BlockStaging(MIB, 9 * MIB / 2, Executors.newCachedThreadPool()));
    }

    @Test
    void acquireWhole_largerThanTheBudgetOrEmpty_refused() {
        BlockStaging staging = new BlockStaging(MIB, 4 * MIB, Executors.newCachedThreadPool());
        assertThrows(IllegalArgumentException.class, () -> staging.acquireWhole(new Object(), 4L * MIB + 1));
        assertThrows(IllegalArgumentException.class, () -> staging.acquireWhole(new Object(), 0));
        assertEquals(0, staging.blocksInFlight());
    }
}
