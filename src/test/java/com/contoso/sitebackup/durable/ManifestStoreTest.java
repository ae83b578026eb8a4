package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@AzuriteTest
class ManifestStoreTest {
    private static final String CONTAINER = "manifests-" + System.nanoTime();

    private final ManifestStore store = new ManifestStore(Azurite.shared().client(), CONTAINER, 3);

    @Test
    void write_sevenFilesInSlicesOfThree_readsBackThreeSlicesInOrder() {
        List<FileEntry> files = IntStream.range(0, 7)
                .mapToObj(i -> new FileEntry("dir/ü " + i + ".txt", i * 10L, 1_700_000_000_000L + i)).toList();

        String id = store.write(files);

        List<FileEntry> readBack = new ArrayList<>();
        for (int i = 0; i < store.slicesFor(files.size()); i++) {
            readBack.addAll(store.read(id, i));
        }
        assertEquals(files, readBack);
        assertEquals(3, store.read(id, 0).size());
        assertEquals(1, store.read(id, 2).size());
        BlobContainerClient container = Azurite.shared().client().getBlobContainerClient(CONTAINER);
        List<String> blobs = container.listBlobs().stream().map(BlobItem::getName)
                .filter(name -> name.startsWith(id + "/")).toList();
        assertEquals(List.of(id + "/slice-000000.json", id + "/slice-000001.json", id + "/slice-000002.json"), blobs);
    }

    @Test
    void write_twice_usesTwoManifests() {
        List<FileEntry> files = List.of(new FileEntry("a", 1, 1));

        assertNotEquals(store.write(files), store.write(files));
    }

    @Test
    void read_missingSlice_throws() {
        String id = store.write(List.of(new FileEntry("a", 1, 1)));

        assertThrows(RuntimeException.class, () -> store.read(id, 1));
    }

    @Test
    void slicesFor_counts_roundUp() {
        assertEquals(0, store.slicesFor(0));
        assertEquals(1, store.slicesFor(3));
        assertEquals(2, store.slicesFor(4));
        assertTrue(Settings.DEFAULT_SLICE_SIZE >= 100);
    }

    @Test
    void constructor_zeroSliceSize_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ManifestStore(Azurite.shared().client(), CONTAINER, 0));
        assertTrue(e.getMessage().contains("sliceSize"));
    }
}
