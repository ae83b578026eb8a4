package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.CountingRequests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry of backups on Azurite: nesting refused both ways, backups from before it found by their snapshots. */
@AzuriteTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackupRegistryTest {
    private final BlobServiceClient service = Azurite.shared().client();
    /** A manifest container of its own: the registry's folder holds this test's backups only. */
    private final String manifests = "reg-" + UUID.randomUUID().toString().substring(0, 8);
    private final BackupRegistry registry = new BackupRegistry(service, manifests);
    private final String container = "backups";

    private BackupRegistry.Conflict conflict(Runnable call) {
        return assertThrows(BackupRegistry.Conflict.class, call::run);
    }

    /** The entries of the registry's folder for {@code container}: blob name and metadata. */
    private Map<String, Map<String, String>> entries(String container) {
        Map<String, Map<String, String>> entries = new java.util.TreeMap<>();
        BlobContainerClient blobs = service.getBlobContainerClient(manifests);
        if (!blobs.exists()) {
            return entries;
        }
        for (BlobItem item : blobs.listBlobs(new ListBlobsOptions().setPrefix(BackupRegistry.FOLDER + container + "/")
                .setDetails(new BlobListDetails().setRetrieveMetadata(true)), null)) {
            entries.put(item.getName(), item.getMetadata());
        }
        return entries;
    }

    @Test
    void register_thenANestedPrefix_refusedNamingTheOther_bothWays() {
        registry.register("blobPrefix", container, "sites");

        BackupRegistry.Conflict inside = conflict(() -> registry.check("blobPrefix", container, "sites/main"));
        assertEquals("sites", inside.other());
        assertEquals("blobPrefix 'sites/main' is inside the prefix 'sites' of another backup in container 'backups'"
                + " (backups in one container must not nest: their blobs would share names, and the retention of one"
                + " would take the other's blobs for its own); choose a prefix outside 'sites', or another container",
                inside.getMessage());

        BackupRegistry anotherProcess = new BackupRegistry(service, manifests);
        conflict(() -> anotherProcess.register("blobPrefix", container, "sites/main/deeper"));

        BackupRegistry fresh = new BackupRegistry(service, manifests + "-b");
        fresh.register("blobPrefix", container, "sites/main");
        BackupRegistry.Conflict above = conflict(() -> fresh.register("blobPrefix", container, "sites"));
        assertEquals("sites/main", above.other());
        assertTrue(above.getMessage().startsWith("blobPrefix 'sites' is above the prefix 'sites/main' of another"
                + " backup in container 'backups'"), above.getMessage());
    }

    @Test
    void register_samePrefixAgain_siblingsOrAnotherContainer_accepted() {
        registry.register("blobPrefix", container, "site");
        assertDoesNotThrow(() -> registry.register("blobPrefix", container, "site"));
        assertDoesNotThrow(() -> registry.register("blobPrefix", container, "site2"));
        assertDoesNotThrow(() -> registry.register("blobPrefix", container, "other/site"));
        assertDoesNotThrow(() -> registry.register("blobPrefix", "elsewhere", "site/main"));
        assertEquals(3, entries(container).size());
        assertEquals(1, entries("elsewhere").size());
    }

    /**
     * A backup's first registration: the two listings of a check, its entry created, and the entries listed again
     * (the snapshot folders are not: any backup that runs now registers before it writes a snapshot).
     */
    @Test
    void register_first_createsTheEntryAndListsTheEntriesOnceMore() {
        registry.register("blobPrefix", container, "other"); // the manifest container and another backup
        CountingRequests counting = new CountingRequests();
        new BackupRegistry(counting.client(), manifests).register("blobPrefix", container, "site");

        List<String> requests = counting.all();
        assertEquals(4, requests.size(), requests.toString());
        assertTrue(requests.get(2).startsWith("PUT "), requests.toString());
        assertTrue(requests.get(3).startsWith("GET ") && requests.get(3).contains("prefix=" + BackupRegistry.FOLDER),
                requests.toString());
        assertEquals(2, entries(container).size());
    }

    /** Every run registers its backup: after the first, that is the two listings of a check, nothing written. */
    @Test
    void register_again_listsOnly() {
        CountingRequests counting = new CountingRequests();
        BackupRegistry counted = new BackupRegistry(counting.client(), manifests);
        counted.register("blobPrefix", container, "site"); // the first run: creates the entry

        counting.reset();
        counted.register("blobPrefix", container, "site");
        assertEquals(2, counting.all().size(), counting.all().toString());
        assertTrue(counting.all().stream().allMatch(r -> r.startsWith("GET ") && r.contains("comp=list")),
                counting.all().toString());
        assertEquals(1, entries(container).size());

        counting.reset();
        conflict(() -> counted.register("blobPrefix", container, "site/main"));
        assertEquals(java.util.Set.of(BackupRegistry.FOLDER + container + "/" + SnapshotStore.prefixHash("site")),
                entries(container).keySet(), "the nested backup's entry was withdrawn");
    }

    @Test
    void register_anEntryHoldsThePrefixAndTheIdentity_encodedForAnyText() {
        String prefix = "café/100% sûr/日本";
        registry.register("blobPrefix", container, prefix);

        Map<String, String> metadata = entries(container).values().iterator().next();
        assertEquals(BlobNames.backupId(container, prefix), metadata.get("backup_id"));
        assertEquals(prefix, SnapshotStore.decode(metadata.get("backup_prefix")));
        assertEquals(prefix, conflict(() -> registry.check("blobPrefix", container, prefix + "/x")).other());
    }

    @Test
    void register_conflict_withdrawsTheEntryItCreated() {
        registry.register("blobPrefix", container, "a");

        conflict(() -> registry.register("blobPrefix", container, "a/b"));

        assertEquals(1, entries(container).size(), "only a's entry: " + entries(container));
        assertDoesNotThrow(() -> registry.check("blobPrefix", container, "c"));
    }

    @Test
    void check_writesNothingForItsOwnPrefix() {
        registry.check("blobPrefix", container, "site");
        assertEquals(Map.of(), entries(container));
    }

    /** Existing deployments: a backup known only by its snapshot manifests is found, and registered then. */
    @Test
    void check_aBackupFromBeforeTheRegistry_foundByItsSnapshots_registeredLazily() {
        SnapshotStore store = new SnapshotStore(service, manifests);
        store.create(TestSnapshots.info("20261101T020000.000Z", container, "sites/main")).commit();

        BackupRegistry.Conflict above = conflict(() -> registry.check("blobPrefix", container, "sites"));

        assertEquals("sites/main", above.other());
        assertEquals(List.of(BackupRegistry.FOLDER + container + "/" + SnapshotStore.prefixHash("sites/main")),
                new ArrayList<>(entries(container).keySet()));
        assertDoesNotThrow(() -> registry.register("blobPrefix", container, "sites/main"), "itself");
    }

    /** A backup at a container's root, made before empty prefixes were refused: every prefix is inside it. */
    @Test
    void check_aBackupAtTheContainersRootFromBefore_everyPrefixRefused() {
        SnapshotStore store = new SnapshotStore(service, manifests);
        store.create(TestSnapshots.info("20261101T020000.000Z", container, "")).commit();

        BackupRegistry.Conflict conflict = conflict(() -> registry.check("blobPrefix", container, "site"));

        assertEquals("", conflict.other());
        assertTrue(conflict.getMessage().startsWith("blobPrefix 'site' is refused: container 'backups' holds a backup"
                + " under the empty prefix"), conflict.getMessage());
        assertDoesNotThrow(() -> registry.check("blobPrefix", "another", "site"));
    }

    /** Two nesting backups registering at the same moment: never both go ahead. */
    @Test
    void register_twoNestingBackupsAtOnce_neverBothAccepted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int bothAccepted = 0;
            int accepted = 0;
            for (int round = 0; round < 15; round++) {
                String roundContainer = "race-" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (String prefix : List.of("x", "x/y")) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            new BackupRegistry(service, manifests).register("blobPrefix", roundContainer, prefix);
                            return true;
                        } catch (BackupRegistry.Conflict e) {
                            return false;
                        }
                    }));
                }
                int ok = 0;
                for (Future<Boolean> result : results) {
                    ok += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                bothAccepted += ok == 2 ? 1 : 0;
                accepted += ok;
                assertTrue(entries(roundContainer).size() <= 1, "round " + round + ": " + entries(roundContainer));
            }
            assertEquals(0, bothAccepted, "rounds in which both nesting backups were accepted");
            System.out.println("registry race: 15 rounds, " + accepted + " registrations accepted, none nesting");
        } finally {
            pool.shutdownNow();
        }
    }
}
