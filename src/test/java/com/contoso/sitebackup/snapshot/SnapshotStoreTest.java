package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The snapshot manifests on Azurite: written, listed from metadata, selected, read back, replaced and deleted. */
@AzuriteTest
class SnapshotStoreTest {
    private static final String ID1 = "20261124T010000.000Z";
    private static final String ID2 = "20261125T010000.000Z";
    private static final String ID3 = "20261126T010000.000Z";

    private final BlobServiceClient service = Azurite.shared().client();
    private final String manifests = "manifests-" + UUID.randomUUID().toString().substring(0, 8);
    private final SnapshotStore store = new SnapshotStore(service, manifests);

    private SnapshotInfo write(String id, String container, String prefix, List<FileEntry> entries) {
        try (SnapshotWriter writer = store.create(TestSnapshots.info(id, container, prefix))) {
            entries.forEach(writer::add);
            return writer.commit();
        }
    }

    private List<FileEntry> read(String container, String prefix, String id) {
        List<FileEntry> entries = new ArrayList<>();
        try (SnapshotReader reader = store.open(container, prefix, id)) {
            reader.forEachRemaining(entries::add);
        }
        return entries;
    }

    @Test
    void create_entriesCommitted_countsInTheSummaryAndEntriesReadBackInOrder() {
        SnapshotInfo committed = write(ID1, "backups", "home/site", TestSnapshots.entries());

        assertEquals(TestSnapshots.info(ID1, "backups", "home/site").withCounts(4, 1, 1, 12 + 3 + 9 + 4, 1), committed,
                "4 files (one missing), 1 folder, 1 link; bytes are the files' sizes");
        assertEquals(TestSnapshots.entries(), read("backups", "home/site", ID1));
        try (SnapshotReader reader = store.open("backups", "home/site", ID1)) {
            assertEquals(committed, reader.info(), "the header holds the final counts");
        }
        assertEquals(List.of(committed), store.list("backups", "home/site"));
    }

    @Test
    void list_threeSnapshotsWrittenOutOfOrder_oldestFirst_onlyThisBackups() {
        write(ID2, "backups", "a", List.of());
        write(ID1, "backups", "a", List.of());
        write(ID3, "backups", "a", List.of());
        write(ID1, "backups", "a/b", List.of());
        write(ID1, "backups", "", List.of());
        write(ID1, "others", "a", List.of());

        assertEquals(List.of(ID1, ID2, ID3), ids(store.list("backups", "a")));
        assertEquals(List.of(ID1), ids(store.list("backups", "a/b")));
        assertEquals(List.of(ID1), ids(store.list("backups", "")), "the container's root is a backup of its own");
        assertEquals(List.of(), ids(store.list("backups", "c")));
    }

    @Test
    void list_metadataOnly_contentNotDownloaded() {
        SnapshotInfo committed = write(ID1, "backups", "p", TestSnapshots.entries());
        BlobClient blob = service.getBlobContainerClient(manifests).getBlobClient(SnapshotStore.blobName("backups", "p", ID1));
        Map<String, String> metadata = blob.getProperties().getMetadata();
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString("not gzip at all"))
                .setMetadata(metadata), null, null);

        assertEquals(List.of(committed), store.list("backups", "p"), "read from the metadata alone");
        assertThrows(RuntimeException.class, () -> store.open("backups", "p", ID1), "the content is garbage now");
    }

    @Test
    void list_rootDirectoryTooLongForMetadata_readFromTheHeader() {
        String root = "/" + "é".repeat(3_000);
        SnapshotInfo info = new SnapshotInfo(ID1, "backups", "long", root, "i", null, null, 0, 0, 0, 0, 0);
        SnapshotInfo committed;
        try (SnapshotWriter writer = store.create(info)) {
            writer.add(new FileEntry("x", 1, 1));
            committed = writer.commit();
        }
        Map<String, String> metadata = service.getBlobContainerClient(manifests)
                .getBlobClient(SnapshotStore.blobName("backups", "long", ID1)).getProperties().getMetadata();
        assertEquals("true", metadata.get("snapshot_partial"));
        assertFalse(metadata.containsKey("snapshot_root"));

        assertEquals(List.of(committed), store.list("backups", "long"));
        assertEquals(root, store.list("backups", "long").get(0).getRootDirectory());
    }

    @Test
    void list_noManifestContainerYet_empty() {
        SnapshotStore empty = new SnapshotStore(service, "never-created-" + UUID.randomUUID().toString().substring(0, 8));
        assertEquals(List.of(), empty.list("backups", ""));
    }

    @Test
    void create_sameIdTwice_secondReplacesTheFirstWhole() {
        write(ID1, "backups", "p", TestSnapshots.entries());
        List<FileEntry> second = List.of(new FileEntry("only.txt", 7, 7));
        SnapshotInfo committed = write(ID1, "backups", "p", second);

        assertEquals(second, read("backups", "p", ID1));
        assertEquals(List.of(committed), store.list("backups", "p"));
        assertEquals(1, committed.getFiles());
    }

    @Test
    void close_withoutCommit_nothingAppears_anEarlierManifestStays() {
        try (SnapshotWriter writer = store.create(TestSnapshots.info(ID2, "backups", "p"))) {
            TestSnapshots.entries().forEach(writer::add);
        }
        assertEquals(List.of(), store.list("backups", "p"));

        write(ID2, "backups", "p", List.of(new FileEntry("kept.txt", 1, 1)));
        try (SnapshotWriter writer = store.create(TestSnapshots.info(ID2, "backups", "p"))) {
            TestSnapshots.entries().forEach(writer::add);
        }
        assertEquals(List.of(new FileEntry("kept.txt", 1, 1)), read("backups", "p", ID2));
    }

    @Test
    void select_latestAnIdOrAsOf_theSnapshotNamed() {
        write(ID1, "backups", "p", List.of());
        write(ID2, "backups", "p", List.of());
        write(ID3, "backups", "p", List.of());

        assertEquals(Optional.of(ID3), select("latest", null));
        assertEquals(Optional.of(ID2), select(ID2, null));
        assertEquals(Optional.empty(), select("20261123T010000.000Z", null), "no snapshot of that id");
        assertEquals(Optional.of(ID2), select(null, SnapshotIds.instantOf(ID2)), "at the very instant");
        assertEquals(Optional.of(ID2), select(null, SnapshotIds.instantOf(ID3).minusMillis(1)));
        assertEquals(Optional.of(ID3), select(null, Instant.parse("2030-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), select(null, SnapshotIds.instantOf(ID1).minusMillis(1)), "before the first");
        assertEquals(Optional.empty(), select(null, null), "nothing named");
        assertEquals(Optional.empty(), store.select("backups", "none", "latest", null), "a backup without snapshots");
    }

    @Test
    void select_bothOrAnUnknownWord_throwsNamingTheArgument() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> store.select("backups", "p", ID1, Instant.now()));
        assertTrue(both.getMessage().contains("snapshot '" + ID1 + "' and asOf"), both.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> store.select("backups", "p", "newest", null));
        assertTrue(word.getMessage().contains("snapshot 'newest'"), word.getMessage());
    }

    @Test
    void open_noSuchSnapshot_throwsNamingIt() {
        write(ID1, "backups", "p", List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.open("backups", "p", ID2));
        assertTrue(e.getMessage().contains("snapshot '" + ID2 + "'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.open("backups", "p", "latest"), "not an id");
    }

    @Test
    void delete_oneSnapshot_goneOthersStay_deletingAgainIsNoError() {
        write(ID1, "backups", "p", List.of());
        write(ID2, "backups", "p", List.of());

        store.delete("backups", "p", ID1);
        store.delete("backups", "p", ID1);

        assertEquals(List.of(ID2), ids(store.list("backups", "p")));
    }

    @Test
    void create_notAnIdOrNoPrefix_throwsNamingIt() {
        SnapshotInfo badId = new SnapshotInfo("yesterday", "backups", "p", null, null, null, null, 0, 0, 0, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.create(badId));
        assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
        SnapshotInfo noPrefix = new SnapshotInfo(ID1, "backups", null, null, null, null, null, 0, 0, 0, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> store.create(noPrefix));
    }

    @Test
    void blobName_prefixesThatDifferOnlyInSlashes_differentFolders() {
        assertEquals("snapshots/backups/", SnapshotStore.blobName("backups", "a/b", ID1).substring(0, 18));
        assertTrue(SnapshotStore.blobName("backups", "a/b", ID1).endsWith("/" + ID1 + ".jsonl.gz"));
        assertFalse(SnapshotStore.blobName("backups", "a/b", ID1).equals(SnapshotStore.blobName("backups", "a", ID1)));
        assertFalse(SnapshotStore.blobName("backups", "", ID1).equals(SnapshotStore.blobName("backups", "a", ID1)));
        assertEquals(18 + 32 + 1 + ID1.length() + ".jsonl.gz".length(), SnapshotStore.blobName("backups", "a/b", ID1).length());
    }

    @Test
    void encode_anyText_visibleAsciiThatDecodesBack() {
        for (String text : List.of("", "plain", "100% sure", " lead and trail ", "ü/é\t\n\u0000", "😀 \uE000", "%41")) {
            String encoded = SnapshotStore.encode(text);
            assertTrue(encoded.chars().allMatch(c -> c > ' ' && c < 0x7f), encoded);
            assertEquals(text, SnapshotStore.decode(encoded));
        }
    }

    private Optional<String> select(String snapshot, Instant asOf) {
        return store.select("backups", "p", snapshot, asOf).map(SnapshotInfo::getId);
    }

    private static List<String> ids(List<SnapshotInfo> snapshots) {
        return snapshots.stream().map(SnapshotInfo::getId).toList();
    }
}
