package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.backup.GetFileList;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.CountingRequests;
import com.contoso.sitebackup.testing.Trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a backup of a tree that did not change costs in storage requests (issue 22: an unchanged re-run at most half
 * rclone's time): none per file, and a fixed few per job, each counted by kind and container so that one more
 * (a Create Container per writer, a second listing of the backup, a block list for a manifest that fits in one
 * request) fails here. Its snapshot is still exact: the same entries as the first run's, naming the same versions.
 * The first run, whose copies all succeed, reads no problem report either (its seal needs no reason).
 */
@AzuriteTest
class UnchangedRerunRequestsTest {
    private static final int FILES = 120;
    private static final String CONTAINER = "rerun-requests";

    @TempDir
    Path work;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void rerun_nothingChanged_oneListingOfTheBackupAndAFixedFewManifestRequests_sameSnapshot() throws Exception {
        Path tree = work.resolve("site");
        Trees.files(tree, FILES, 1, 2048, 22);
        CountingRequests counted = new CountingRequests();
        BlobServiceClient blobs = counted.client();
        BackupRequest request = BackupApp.request(tree, CONTAINER);
        // Batches of 16: the first run copies in several activities, the re-run has none to run. A harness per run, as
        // a harness's virtual time starts at its creation and the run's id is its start.
        String first = snapshotOf(BackupApp.harness(blobs, work, 16, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, request), FILES);

        assertEquals(List.of(), counted.all().stream().filter(r -> r.startsWith("GET") && r.contains("/reports%2F"))
                .toList(), "the first run copied every file: its seal has no reason to read the problem report");
        counted.reset();
        String second = snapshotOf(BackupApp.harness(blobs, work, 16, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, request), 0);

        Map<String, Integer> kinds = kinds(counted.all());
        assertEquals(Map.of(
                        CONTAINER + ": List Blobs", 1, // the one listing the walk is merged with; no Create Container
                        BackupApp.MANIFEST_CONTAINER + ": Put Blob", 3, // job card, tree, snapshot (the registry entry exists)
                        BackupApp.MANIFEST_CONTAINER + ": List Blobs", 3, // registry, snapshot folders, the seal's check
                        BackupApp.MANIFEST_CONTAINER + ": Download", 1, // the tree, sealed by the listing itself
                        BackupApp.MANIFEST_CONTAINER + ": Delete Blob", 1), // the tree, once sealed
                kinds, "the re-run's requests, by container and kind: " + String.join("\n", counted.all()));
        SnapshotStore snapshots = new SnapshotStore(blobs, BackupApp.MANIFEST_CONTAINER);
        assertNotEquals(first, second, "a snapshot per run");
        assertEquals(entries(snapshots, CONTAINER, request, first), entries(snapshots, CONTAINER, request, second),
                "the re-run's snapshot holds the first run's entries, each naming the version the first run stored");
    }

    /**
     * An unchanged run is sealed by its listing; a listing delivered twice at once (every activity is, here) and once
     * more after the run ended (a delivery the engine lost track of) still leaves one snapshot of the run, holding
     * the first run's entries, and no draft: the delivery that finds the snapshot written removes the draft it wrote.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void rerun_nothingChanged_listingDeliveredAgain_oneSnapshotOfTheRunAndNoDraftLeft() throws Exception {
        String container = CONTAINER + "-again";
        Path tree = work.resolve("site");
        Trees.files(tree, 40, 1, 2048, 23);
        BlobServiceClient blobs = new CountingRequests().client();
        BackupRequest request = BackupApp.request(tree, container);
        String first = snapshotOf(BackupApp.harness(blobs, work, 16, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, request), 40);
        HarnessResult twice = BackupApp.harness(blobs, work, 16, DurableHarness.Faults.none().withDuplicateDelivery())
                .run(BackupSiteContent.NAME, request);
        String second = snapshotOf(twice, 0);
        assertEquals(1, twice.metrics().activitiesScheduled(), "the listing alone: " + twice.metrics().summary());

        SnapshotStore snapshots = new SnapshotStore(blobs, BackupApp.MANIFEST_CONTAINER);
        SnapshotInfo sealed = snapshots.select(container, request.getBlobPrefix(), second, null).orElseThrow();
        String report = json.readTree(twice.customStatus()).path("report").asText();
        JobPlan late = Wire.read(new GetFileList(BackupApp.services(blobs, work, 16)).run(Wire.write(
                request.withReport(report).withRun(second).withInstanceId(sealed.getInstanceId()))), JobPlan.class,
                "the late listing's plan");

        assertEquals(second, late.snapshot(), "the late delivery answers the snapshot already written");
        assertEquals(List.of(first, second), snapshots.list(container, request.getBlobPrefix()).stream()
                .map(SnapshotInfo::getId).toList(), "one snapshot per run");
        assertEquals(entries(snapshots, container, request, first), entries(snapshots, container, request, second));
        String draft = "plans/" + report.substring("reports/".length(), report.length() - ".jsonl".length());
        assertEquals(List.of(), blobs.getBlobContainerClient(BackupApp.MANIFEST_CONTAINER)
                .listBlobs(new ListBlobsOptions().setPrefix(draft), null).stream().map(BlobItem::getName).toList(),
                "no draft of the run left");
    }

    /** The snapshot a completed run names, after checking it copied {@code copied} files. */
    private String snapshotOf(HarnessResult result, int copied) throws Exception {
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        JsonNode status = json.readTree(result.customStatus());
        assertEquals("COMPLETED", status.path("phase").asText(), status.toString());
        assertEquals(copied, status.path("filesDone").asInt(), status.toString());
        return status.path("snapshot").asText();
    }

    private static List<FileEntry> entries(SnapshotStore snapshots, String container, BackupRequest request,
                                           String id) {
        List<FileEntry> entries = new ArrayList<>();
        try (SnapshotReader reader = snapshots.open(container, request.getBlobPrefix(), id)) {
            reader.forEachRemaining(entries::add);
        }
        return entries;
    }

    /** Requests ("METHOD /account/container[/blob][?query]") counted by "container: kind", as Azurite names kinds. */
    static Map<String, Integer> kinds(List<String> requests) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (String request : requests) {
            String method = request.substring(0, request.indexOf(' '));
            String rest = request.substring(request.indexOf(' ') + 1);
            String query = rest.contains("?") ? rest.substring(rest.indexOf('?') + 1) : "";
            String path = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
            String[] parts = path.split("/", 4); // "", account, container, blob
            String container = parts.length > 2 ? parts[2] : "-";
            boolean blob = parts.length > 3 && !parts[3].isEmpty();
            String kind;
            if (!blob) {
                kind = query.contains("comp=list") ? "List Blobs"
                        : method.equals("PUT") ? "Create Container" : method + " container";
            } else if (method.equals("PUT")) {
                kind = query.contains("comp=blocklist") ? "Put Block List" : query.contains("comp=block")
                        ? "Put Block" : query.contains("comp=snapshot") ? "Snapshot" : "Put Blob";
            } else {
                kind = switch (method) {
                    case "GET" -> "Download";
                    case "HEAD" -> "Get Properties";
                    case "DELETE" -> "Delete Blob";
                    default -> method + " blob";
                };
            }
            kinds.merge(container + ": " + kind, 1, Integer::sum);
        }
        return kinds;
    }
}
