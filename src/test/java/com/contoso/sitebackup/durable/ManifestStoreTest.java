package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;
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
    private final ProblemLog noProblems = new ProblemLog(new ProblemReport(Azurite.shared().client(), CONTAINER),
            null, "listing", 0);

    private JobPlan write(List<FileEntry> files) {
        ManifestWriter writer = store.writer("/site", noProblems);
        files.forEach(writer::add);
        return writer.finish();
    }

    @Test
    void writer_sevenFilesInSlicesOfThree_readsBackThreeSlicesInOrder() {
        List<FileEntry> files = IntStream.range(0, 7)
                .mapToObj(i -> new FileEntry("dir/ü " + i + ".txt", i * 10L, 1_700_000_000_000L + i)).toList();

        JobPlan plan = write(files);

        String id = plan.getManifest();
        assertEquals(3, plan.getSliceCount());
        List<FileEntry> readBack = new ArrayList<>();
        for (int i = 0; i < plan.getSliceCount(); i++) {
            readBack.addAll(store.read(id, i));
        }
        assertEquals(files, readBack);
        assertEquals(3, store.read(id, 0).size());
        assertEquals(1, store.read(id, 2).size());
        BlobContainerClient container = Azurite.shared().client().getBlobContainerClient(CONTAINER);
        List<String> blobs = container.listBlobs().stream().map(BlobItem::getName)
                .filter(name -> name.contains(id)).toList();
        assertEquals(List.of("plans/" + id + "/slice-000000.json", "plans/" + id + "/slice-000001.json",
                "plans/" + id + "/slice-000002.json"), blobs);
    }

    @Test
    void writer_twice_usesTwoManifests() {
        List<FileEntry> files = IntStream.range(0, 4).mapToObj(i -> new FileEntry("f" + i, 1, 1)).toList();

        assertNotEquals(write(files).getManifest(), write(files).getManifest());
    }

    @Test
    void read_missingSlice_throws() {
        JobPlan plan = write(IntStream.range(0, 4).mapToObj(i -> new FileEntry("f" + i, 1, 1)).toList());

        assertThrows(RuntimeException.class, () -> store.read(plan.getManifest(), 2));
    }

    @Test
    void constructor_zeroSliceSize_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ManifestStore(Azurite.shared().client(), CONTAINER, 0));
        assertTrue(e.getMessage().contains("sliceSize"));
    }
}
