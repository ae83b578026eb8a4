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
     * Blocks of every length share the budget's bytes and its budget / block size buffers, from many threads, each
     * holding a few blocks at once as a copy does (a block in flight while the next is read): every acquire ends, the
     * bytes in flight never pass the budget, no more buffers are made than fit it, and every buffer and byte comes back.
     */
    @Test
    @Timeout(60)
    void acquireBlocks_manyThreads_neverDeadlockAndStayInTheBudget() throws Exception {
        BlockStaging staging = new BlockStaging(MIB, 4 * MIB, Executors.newCachedThreadPool());
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        java.util.Set<byte[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try {
            for (int t = 0; t < 12; t++) {
                int length = t % 3 == 0 ? 1 : t % 3 == 1 ? MIB / 2 : MIB;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        Object file = new Object();
                        byte[] first = staging.acquire(file, length);
                        assertEquals(MIB, first.length);
                        synchronized (seen) {
                            seen.add(first);
                        }
                        staging.release(file, length, first);
                        byte[] second = staging.acquire(file, length);
                        Thread.yield();
                        staging.release(file, length, second);
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
        assertTrue(seen.size() <= 4, "buffers made: " + seen.size());
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
    void acquire_largerThanABlockOrEmpty_refused() {
        BlockStaging staging = new BlockStaging(MIB, 4 * MIB, Executors.newCachedThreadPool());
        assertThrows(IllegalArgumentException.class, () -> staging.acquire(new Object(), MIB + 1));
        assertThrows(IllegalArgumentException.class, () -> staging.acquire(new Object(), 0));
        assertEquals(0, staging.blocksInFlight());
    }
}
