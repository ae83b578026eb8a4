package com.contoso.sitebackup.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how much live heap a piece of work holds at its worst: the heap in use after a full collection, before
 * the work and then every {@code interval} ms while it runs (a sampler thread forces the collections), the largest
 * sample minus the first. Garbage never counts, only what the work keeps reachable; a peak that comes and goes
 * between two samples can be missed, so the interval is short beside the work being measured.
 */
public final class HeapProbe {
    private static final List<MemoryPoolMXBean> HEAP = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();

    private final long interval;
    private final AtomicLong peak = new AtomicLong();
    private long baseline;
    private long samples;
    private long startedNanos;
    private long elapsedNanos;
    private Thread sampler;
    private volatile boolean running;

    /** A probe that samples every {@code intervalMillis} ms. */
    public HeapProbe(long intervalMillis) {
        this.interval = intervalMillis;
    }

    /**
     * Live heap after a full collection, in bytes: what each heap pool held when the collection ended, not the heap in
     * use a moment later, which also counts what other threads allocated since (a sampler's reading of the heap in
     * use once came out 42 MB above OrderedMergeTest's bound of 16 MB, beside a test thread allocating 1 GB).
     */
    public static long liveHeap() {
        System.gc();
        long live = 0;
        for (MemoryPoolMXBean pool : HEAP) {
            MemoryUsage afterCollection = pool.getCollectionUsage();
            live += afterCollection != null ? afterCollection.getUsed() : pool.getUsage().getUsed();
        }
        return live;
    }

    /** Takes the baseline and starts sampling. */
    public synchronized void start() {
        baseline = liveHeap();
        peak.set(baseline);
        startedNanos = System.nanoTime();
        running = true;
        sampler = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                if (running) {
                    peak.accumulateAndGet(liveHeap(), Math::max);
                    samples++;
                }
            }
        }, "heap-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Stops sampling (the work is done). */
    public synchronized void stop() {
        elapsedNanos = System.nanoTime() - startedNanos;
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The largest live heap seen while the work ran, minus the live heap before it, in bytes. */
    public long growth() {
        return peak.get() - baseline;
    }

    /** How long the work ran, in seconds (the forced collections included). */
    public double seconds() {
        return elapsedNanos / 1e9;
    }

    /** How many samples were taken while the work ran. */
    public long samples() {
        return samples;
    }
}
