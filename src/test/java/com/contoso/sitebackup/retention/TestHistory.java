package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.snapshot.SnapshotWriter;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A backup's history built by hand, as the copy-on-write backup writes it ({@code backup.BlobCopier}): a run uploads
 * a new or changed file to its base blob tagged with the run ({@link StoredBlob#RUN}) and the backup's identity
 * ({@link StoredBlob#BACKUP}), after taking a blob snapshot of the base if it held an earlier run's content that no
 * blob snapshot keeps yet; its manifest names each file's content by the run that uploaded it.
 */
final class TestHistory {
    /** Three runs on three days, and a fourth (still running, no manifest). */
    static final String R1 = "20261101T020000.000Z";
    static final String R2 = "20261102T020000.000Z";
    static final String R3 = "20261103T020000.000Z";
    static final String R4 = "20261104T020000.000Z";

    final BlobContainerClient container;
    final String prefix;
    final SnapshotStore store;
    /** What each version holds: blob name + "@" + version (a run id, or a blob snapshot's time) -> content. */
    final Map<String, String> written = new HashMap<>();

    TestHistory(BlobServiceClient service, String container, String prefix, String manifestContainer) {
        this.container = service.getBlobContainerClient(container);
        this.container.createIfNotExists();
        this.prefix = prefix;
        this.store = new SnapshotStore(service, manifestContainer);
    }

    /** The identity of this history's backup. */
    String identity() {
        return BlobNames.backupId(container.getBlobContainerName(), prefix);
    }

    /** {@link #upload(String, String, String, String)} as this backup: tagged with its identity. */
    String upload(String path, String content, String run) {
        return upload(path, content, run, identity());
    }

    /**
     * Uploads {@code content} as {@code path}'s base blob, tagged with {@code run} and {@code backup} (either null:
     * no such tag), keeping the content the base held in a blob snapshot first when an earlier run uploaded it and
     * no blob snapshot keeps it yet. Returns {@code run}, the version a manifest names it by.
     */
    String upload(String path, String content, String run, String backup) {
        BlobClient blob = container.getBlobClient(prefix + "/" + path);
        StoredBlob stored = PrefixListing.stored(container, blob.getBlobName());
        if (stored != null && stored.base() != null) {
            String earlier = StoredBlob.runOf(stored.base());
            if (earlier != null && !earlier.equals(run) && stored.newestSnapshotWith(StoredBlob.RUN, earlier) == null) {
                blob.createSnapshot();
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (run != null) {
            metadata.put(StoredBlob.RUN, run);
        }
        if (backup != null) {
            metadata.put(StoredBlob.BACKUP, backup);
        }
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString(content)).setMetadata(metadata),
                null, null);
        written.put(blob.getBlobName() + "@" + run, content);
        return run;
    }

    /** Takes a blob snapshot of {@code path}'s base as it is now; returns the snapshot's time (a format-1 version). */
    String snapshotTime(String path, String content) {
        String snapshot = container.getBlobClient(prefix + "/" + path).createSnapshot().getSnapshotId();
        written.put(prefix + "/" + path + "@" + snapshot, content);
        return snapshot;
    }

    /** The manifest of run {@code run}: {@code entries} are path, content, version triples in name order. */
    void manifest(String run, String... entries) {
        SnapshotInfo info = new SnapshotInfo(run, container.getBlobContainerName(), prefix, "/site", "backup-x",
                SnapshotIds.instantOf(run).toString(), null, 0, 0, 0, 0, 0);
        try (SnapshotWriter writer = store.create(info)) {
            for (int i = 0; i < entries.length; i += 3) {
                byte[] bytes = entries[i + 1].getBytes(StandardCharsets.UTF_8);
                writer.add(new FileEntry(entries[i], bytes.length, 1).withVersion(entries[i + 2], null));
            }
            writer.commit();
        }
    }

    /**
     * Every base blob and blob snapshot under the prefix, each named by what it holds: name + "@" + its run tag
     * (or "@untagged"), and "#base" for the base blob, "#snapshot" for a blob snapshot.
     */
    TreeSet<String> contents() {
        TreeSet<String> names = new TreeSet<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true).setRetrieveMetadata(true));
        for (BlobItem item : container.listBlobs(options, null)) {
            String run = StoredBlob.runOf(item);
            names.add(item.getName() + "@" + (run == null ? "untagged" : run)
                    + (item.getSnapshot() == null ? "#base" : "#snapshot"));
        }
        return names;
    }

    /** The content of the version of {@code path} that holds {@code version} ({@link StoredBlob#holding}), or null. */
    String read(String path, String version) {
        String name = prefix + "/" + path;
        StoredBlob stored = PrefixListing.stored(container, name);
        BlobItem holder = stored == null ? null : stored.holding(version);
        if (holder == null) {
            return null;
        }
        return container.getBlobClient(name, holder.getSnapshot()).downloadContent().toString();
    }

    /** Each file of snapshot {@code run} and its version, in the manifest's order. */
    Map<String, String> entries(String run) {
        Map<String, String> entries = new TreeMap<>();
        try (var reader = store.open(container.getBlobContainerName(), prefix, run)) {
            reader.forEachRemaining(e -> entries.put(e.getPath(), e.getVersion()));
        }
        return entries;
    }
}
