package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.HeapProbe;

import com.azure.storage.blob.BlobServiceClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One backup of a large tree through the harness with copies counted, not uploaded ({@link CountingCopy}), and
 * the listing activity's heap measured ({@link MeasuredListing}): what {@code BackupScaleTest} asserts and the
 * benchmark prints.
 *
 * @param files files in the tree
 * @param seconds wall time of the whole run
 * @param result the harness's result
 * @param listingHeapGrowth the listing activity's live heap growth, bytes
 * @param listingSeconds wall time of the listing activity alone (with the probe's forced collections)
 */
public record ScaleRun(int files, double seconds, HarnessResult result, long listingHeapGrowth, double listingSeconds) {
    /** Backs up {@code tree} ({@code files} files, under {@code allowedRoot}) to {@code container}. */
    public static ScaleRun backup(BlobServiceClient blobs, Path allowedRoot, Path tree, int files, String container) {
        HeapProbe probe = new HeapProbe(250);
        DurableHarness harness = BackupApp.harness(blobs, allowedRoot, Settings.DEFAULT_BATCH_FILES, DurableHarness.Faults.none())
                .activity(new CountingCopy(BackupApp.services(blobs, allowedRoot, Settings.DEFAULT_BATCH_FILES)))
                .activity(new MeasuredListing(BackupApp.services(blobs, allowedRoot, Settings.DEFAULT_BATCH_FILES), probe));
        long started = System.nanoTime();
        HarnessResult result = harness.run(BackupSiteContent.NAME, BackupApp.request(tree, container));
        return new ScaleRun(files, (System.nanoTime() - started) / 1e9, result, probe.growth(), probe.seconds());
    }

    /**
     * The bound on any one instance's history, in events: a group of 32 batches and its few steps (98 in the worst
     * delivery, FanOutTest), or a million-file parent's groups (about 380).
     */
    public static final int MAX_HISTORY_EVENTS = 2_000;
    /** Issue 22's bound: history events replayed per file (the harness batches completions; FanOutTest the worst). */
    public static final double MAX_EVENTS_REPLAYED_PER_FILE = 0.5;
    /** Issue 22's bound: activities per file. */
    public static final double MAX_ACTIVITIES_PER_FILE = 0.01;
    /** Issue 15's bound on any one instance's history, in bytes. */
    public static final long MAX_HISTORY_BYTES = 256 * 1024;
    /** The largest input or output of one function: below the extension's large-message threshold. */
    public static final long MAX_PAYLOAD_BYTES = 64 * 1024;
    /** Issue 15's bound on the listing activity's heap growth. */
    public static final long MAX_LISTING_HEAP_GROWTH = 256L << 20;
    /** How far events replayed per file may move between two sizes of tree, in events per file: flat, not growing. */
    public static final double MAX_REPLAY_DRIFT = 0.1;

    /** History events fed to episodes, per file. */
    public double eventsReplayedPerFile() {
        return (double) result.metrics().eventsReplayed() / files;
    }

    /**
     * The bounds this run breaks, each with its figure; empty when it keeps them all. Asserted by
     * {@code BackupScaleTest} in CI (10,000 and 100,000 files) and by the benchmark's {@code OrchestrationCost} at
     * 1,000,000: no history and no payload grows with the tree, and the listing's heap stays under 256 MiB.
     */
    public List<String> brokenBounds() {
        HarnessMetrics metrics = result.metrics();
        List<String> broken = new ArrayList<>();
        if (!result.runtimeStatus().equals("Completed")) {
            broken.add("the backup ended " + result.runtimeStatus());
        }
        if (metrics.largestHistoryEvents() >= MAX_HISTORY_EVENTS) {
            broken.add("largest history " + metrics.largestHistoryEvents() + " events, bound " + MAX_HISTORY_EVENTS);
        }
        if (metrics.largestHistoryBytes() >= MAX_HISTORY_BYTES) {
            broken.add("largest history " + metrics.largestHistoryBytes() + " bytes, bound " + MAX_HISTORY_BYTES);
        }
        if (metrics.largestPayloadBytes() >= MAX_PAYLOAD_BYTES) {
            broken.add("largest payload " + metrics.largestPayloadBytes() + " bytes, bound " + MAX_PAYLOAD_BYTES);
        }
        if (eventsReplayedPerFile() > MAX_EVENTS_REPLAYED_PER_FILE) {
            broken.add(String.format(Locale.ROOT, "%.3f events replayed per file, bound %.1f", eventsReplayedPerFile(),
                    MAX_EVENTS_REPLAYED_PER_FILE));
        }
        if ((double) metrics.activityExecutions() / files > MAX_ACTIVITIES_PER_FILE) {
            broken.add(metrics.activityExecutions() + " activities for " + files + " files, bound "
                    + MAX_ACTIVITIES_PER_FILE + " per file");
        }
        if (listingHeapGrowth > MAX_LISTING_HEAP_GROWTH) {
            broken.add("listing heap growth " + listingHeapGrowth + " bytes, bound " + MAX_LISTING_HEAP_GROWTH);
        }
        return broken;
    }

    /**
     * Why events replayed per file are not flat from {@code smallerFiles} files ({@code smaller} per file) to
     * {@code largerFiles} ({@code larger} per file), or null when they moved by at most {@link #MAX_REPLAY_DRIFT}.
     */
    public static String replayNotFlat(int smallerFiles, double smaller, int largerFiles, double larger) {
        return Math.abs(larger - smaller) <= MAX_REPLAY_DRIFT ? null : String.format(Locale.ROOT,
                "events replayed per file went from %.3f at %,d files to %.3f at %,d (at most %.1f apart)",
                smaller, smallerFiles, larger, largerFiles, MAX_REPLAY_DRIFT);
    }
}
