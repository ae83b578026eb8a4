package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.HeapProbe;

import com.azure.storage.blob.BlobServiceClient;
import java.nio.file.Path;

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
        DurableHarness harness = BackupApp.harness(blobs, allowedRoot, Settings.DEFAULT_SLICE_SIZE, DurableHarness.Faults.none())
                .activity(new CountingCopy())
                .activity(new MeasuredListing(BackupApp.services(blobs, allowedRoot, Settings.DEFAULT_SLICE_SIZE), probe));
        long started = System.nanoTime();
        HarnessResult result = harness.run(BackupSiteContent.NAME, BackupApp.request(tree, container));
        return new ScaleRun(files, (System.nanoTime() - started) / 1e9, result, probe.growth(), probe.seconds());
    }

    /** History events fed to episodes, per file. */
    public double eventsReplayedPerFile() {
        return (double) result.metrics().eventsReplayed() / files;
    }
}
