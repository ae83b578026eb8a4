package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AzuriteTest
class StoredBlobTest {
    private final BlobContainerClient container = Azurite.shared().client()
            .getBlobContainerClient("stored-blob-" + System.nanoTime());

    @BeforeEach
    void setUp() {
        container.create();
    }

    private String uploadAndSnapshot(String name, String content, String run) {
        BlobClient blob = container.getBlobClient(name);
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString(content))
                .setMetadata(Map.of("run", run)), null, null);
        return blob.createSnapshot().getSnapshotId();
    }

    @Test
    void group_listingWithSnapshots_oneGroupPerNameWithSnapshotsOldestFirstAndTheirMetadata() {
        String a1 = uploadAndSnapshot("p/a.txt", "one", "r1");
        String a2 = uploadAndSnapshot("p/a.txt", "two", "r2");
        String b1 = uploadAndSnapshot("p/b.txt", "bee", "r1");
        container.getBlobClient("p/c.txt").upload(BinaryData.fromString("no snapshot"));

        List<StoredBlob> groups = new ArrayList<>();
        PrefixListing.withSnapshots(container, "p").forEachRemaining(groups::add);

        assertEquals(List.of("p/a.txt", "p/b.txt", "p/c.txt"), groups.stream().map(StoredBlob::name).toList());
        StoredBlob a = groups.get(0);
        assertEquals(List.of(a1, a2), a.snapshots().stream().map(s -> s.getSnapshot()).toList());
        assertEquals("r2", a.base().getMetadata().get("run"));
        assertEquals(a1, a.newestSnapshotWith("run", "r1").getSnapshot());
        assertEquals(a2, a.newestSnapshotWith("run", "r2").getSnapshot());
        assertNull(a.newestSnapshotWith("run", "r3"));
        assertEquals(b1, groups.get(1).newestSnapshotWith("run", "r1").getSnapshot());
        assertEquals(List.of(), groups.get(2).snapshots());
        assertEquals("one", container.getBlobClient("p/a.txt", a1).downloadContent().toString());
    }

    @Test
    void group_emptyListing_noGroups() {
        Iterator<StoredBlob> groups = PrefixListing.withSnapshots(container, "nothing");
        assertFalse(groups.hasNext());
        assertFalse(PrefixListing.withSnapshots(null, "p").hasNext());
    }
}
