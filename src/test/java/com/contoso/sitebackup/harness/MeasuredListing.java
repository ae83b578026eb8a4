package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.GetFileList;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.testing.HeapProbe;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;

/**
 * The real {@link GetFileList} with a {@link HeapProbe} around each run, to measure what the listing activity
 * holds in memory while it walks, merges and writes the plan. Registered in place of the real one.
 */
public final class MeasuredListing {
    private final GetFileList listing;
    private final HeapProbe probe;

    public MeasuredListing(AppServices services, HeapProbe probe) {
        this.listing = new GetFileList(services);
        this.probe = probe;
    }

    @FunctionName(GetFileList.NAME)
    public String run(@DurableActivityTrigger(name = "input") String request) {
        probe.start();
        try {
            return listing.run(request);
        } finally {
            probe.stop();
        }
    }
}
