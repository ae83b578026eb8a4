package com.contoso.sitebackup.durable;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Manifests for tests in other packages: a plan's entries read back, and manifests written as given, as a forged or
 * stale manifest would be.
 */
public final class TestManifests {
    private TestManifests() {
    }

    /** Every entry of {@code plan}'s batches, in order, as {@code type}. */
    public static <E> List<E> entries(ManifestStore store, JobPlan plan, Class<E> type) {
        List<E> entries = new ArrayList<>();
        for (int batch = 0; batch < plan.batchCount(); batch++) {
            entries.addAll(store.readBatch(plan.manifest(), batch, type));
        }
        return entries;
    }

    /** Writes {@code card} and {@code entries} as batch 0 of a new manifest in {@code store}; returns its id. */
    public static String writeOneBatch(ManifestStore store, Object card, List<?> entries) {
        ManifestWriter writer = store.writer(card, "/", new ProblemLog(new ProblemReport(storeService(store), store
                .containerName()), null, "test", 0));
        store.writeBatchLater(writer.manifest(), 0, entries).join();
        return writer.manifest();
    }

    private static com.azure.storage.blob.BlobServiceClient storeService(ManifestStore store) {
        return store.service();
    }

    /** A manifest id no store has written. */
    public static String unknownManifest() {
        return UUID.randomUUID().toString();
    }
}
