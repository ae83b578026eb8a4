package com.contoso.sitebackup.retention;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A backup's history built by hand, as the backup will write it: each run uploads the files it changed to their
 * base blobs with its run tag, snapshots them, and writes its manifest with every file of the tree pointing at the
 * blob snapshot that holds its content then.
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
    /** Every blob snapshot written: name + "@" + snapshot id, and its content. */
    final Map<String, String> written = new TreeMap<>();

    TestHistory(BlobServiceClient service, String container, String prefix, String manifestContainer) {
        this.container = service.getBlobContainerClient(container);
        this.container.createIfNotExists();
        this.prefix = prefix;
        this.store = new SnapshotStore(service, manifestContainer);
    }

    /** Uploads {@code content} as {@code path}'s base blob tagged by {@code run} and snapshots it; the snapshot id. */
    String upload(String path, String content, String run) {
        BlobClient blob = container.getBlobClient(prefix + "/" + path);
        Map<String, String> metadata = run == null ? Map.of() : Map.of(SnapshotIds.RUN_METADATA, run);
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString(content)).setMetadata(metadata),
                null, null);
        String snapshot = blob.createSnapshot().getSnapshotId();
        written.put(blob.getBlobName() + "@" + snapshot, content);
        return snapshot;
    }

    /** The manifest of run {@code run}: {@code entries} are path, content, snapshot triples in name order. */
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

    /** Every base blob and blob snapshot under the prefix: name, or name + "@" + snapshot id. */
    TreeSet<String> contents() {
        TreeSet<String> names = new TreeSet<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true));
        for (BlobItem item : container.listBlobs(options, null)) {
            names.add(item.getSnapshot() == null ? item.getName() : item.getName() + "@" + item.getSnapshot());
        }
        return names;
    }

    /** The content of blob snapshot {@code name@snapshot}, downloaded. */
    String download(String nameAtSnapshot) {
        int at = nameAtSnapshot.lastIndexOf('@');
        return container.getBlobClient(nameAtSnapshot.substring(0, at), nameAtSnapshot.substring(at + 1))
                .downloadContent().toString();
    }

    /** The blob snapshots the manifest of {@code run} references, as name + "@" + snapshot id. */
    List<String> referenced(String run) {
        List<String> names = new ArrayList<>();
        try (var reader = store.open(container.getBlobContainerName(), prefix, run)) {
            reader.forEachRemaining(e -> names.add(prefix + "/" + e.getPath() + "@" + e.getVersion()));
        }
        return names;
    }
}
