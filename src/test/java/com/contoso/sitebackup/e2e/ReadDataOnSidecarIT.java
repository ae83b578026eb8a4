package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.contoso.sitebackup.verify.CheckStoredData;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26's stored-data check on the real engine (the packaged app on the durabletask-go sidecar, Azurite):
 * {@code VerifyBackup} with {@code readData} and no {@code rootDirectory} reads every blob version a snapshot
 * references, fanned out in batches of {@value Settings#DEFAULT_BATCH_FILES}, and compares each with the recorded MD5.
 * Clean after the backup; after one byte of a stored blob is flipped at rest (its metadata and Content-MD5 property
 * kept) and the blob snapshot that holds another file's first version is deleted, it names exactly those two.
 */
@EndToEndTest
// Two backups of 600 small files and two reads of them on the real engine; beside other builds, past 3 minutes.
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ReadDataOnSidecarIT {
    private static final int FILES = 600;
    private static final String CONTAINER = "e2e";
    private static final String PREFIX = "read-data";

    @TempDir
    Path work;

    @Test
    void readData_flippedByteAndDeletedBlobSnapshot_bothNamedOthersRead() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            Trees.mixed(site, FILES, 0, 26);
            List<String> nonEmpty = new ArrayList<>();
            for (Map.Entry<String, Path> file : TreeCheck.files(site).entrySet()) {
                if (Files.size(file.getValue()) > 0) {
                    nonEmpty.add(file.getKey());
                }
            }
            String flipped = nonEmpty.get(0);
            String edited = nonEmpty.get(1);

            JsonNode first = run(stack, "backup 1", "BackupSiteContent", Map.of("rootDirectory", site.toString(),
                    "container", CONTAINER, "blobPrefix", PREFIX));
            String snapshot = first.get("customStatus").get("snapshot").asText();
            Files.writeString(site.resolve(edited), "second version of this file");
            run(stack, "backup 2", "BackupSiteContent", Map.of("rootDirectory", site.toString(),
                    "container", CONTAINER, "blobPrefix", PREFIX));

            BlobContainerClient container = stack.azurite.client().getBlobContainerClient(CONTAINER);
            long batches = (FILES + Settings.DEFAULT_BATCH_FILES - 1) / Settings.DEFAULT_BATCH_FILES;
            long itemsBefore = stack.workItems(0).size();
            JsonNode clean = run(stack, "read-data (clean)", "VerifyBackup", Map.of("container", CONTAINER,
                    "blobPrefix", PREFIX, "snapshot", snapshot, "readData", true)).get("output");
            assertEquals(FILES, clean.get("dataChecked").asLong(), clean.toString());
            assertEquals(0, clean.get("dataDamagedCount").asLong(), clean.toString());
            assertEquals(batches, LocalStack.activitiesByName(stack.workItems(itemsBefore))
                    .getOrDefault(CheckStoredData.NAME, 0L), "one CheckStoredData per batch");

            // At rest: one byte of a blob flipped, the blob snapshot holding the first version of another deleted.
            flipOneByte(container.getBlobClient(PREFIX + "/" + flipped));
            List<BlobItem> kept = snapshotsOf(container, PREFIX + "/" + edited);
            assertEquals(1, kept.size(), "the first version of " + edited + " is in a blob snapshot");
            container.getBlobClient(PREFIX + "/" + edited, kept.get(0).getSnapshot()).delete();

            JsonNode status = run(stack, "read-data (damaged)", "VerifyBackup", Map.of("container", CONTAINER,
                    "blobPrefix", PREFIX, "snapshot", snapshot, "readData", true));
            JsonNode report = status.get("output");
            Map<String, String> named = new TreeMap<>();
            report.get("dataDamaged").forEach(p -> named.put(p.get("path").asText(), p.get("reason").asText()));
            Map<String, String> expected = new TreeMap<>(Map.of(flipped, "", edited, ""));
            assertEquals(expected.keySet(), named.keySet(), report.toString());
            assertTrue(named.get(flipped).startsWith("stored data damaged"), named.toString());
            assertTrue(named.get(edited).startsWith("stored data missing"), named.toString());
            assertEquals(2, report.get("dataDamagedCount").asLong(), report.toString());
            assertEquals(FILES - 2, report.get("dataChecked").asLong(), report.toString());
            String phase = status.get("customStatus").get("phase").asText();
            assertTrue(!phase.equals("COMPLETED"), "a damaged backup is not reported COMPLETED: " + status);
            System.out.println("[e2e] read-data: " + clean.get("dataChecked") + " versions clean in " + batches
                    + " batches; after the damage " + report.get("dataChecked") + " matching, phase " + phase
                    + ", named " + named);
        }
    }

    /** Replaces the blob with its bytes but one flipped, its metadata and Content-MD5 property kept. */
    private static void flipOneByte(BlobClient blob) {
        BlobProperties properties = blob.getProperties();
        byte[] bytes = blob.downloadContent().toBytes();
        bytes[bytes.length / 2] ^= 0x01;
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
                .setMetadata(properties.getMetadata()), null, null);
        blob.setHttpHeaders(new BlobHttpHeaders().setContentMd5(properties.getContentMd5())
                .setContentType(properties.getContentType()));
    }

    private static List<BlobItem> snapshotsOf(BlobContainerClient container, String name) {
        List<BlobItem> found = new ArrayList<>();
        container.listBlobs(new ListBlobsOptions().setPrefix(name)
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true)), null).forEach(blob -> {
                    if (blob.getName().equals(name) && blob.getSnapshot() != null) {
                        found.add(blob);
                    }
                });
        return found;
    }

    private static JsonNode run(LocalStack stack, String phase, String orchestrator, Map<String, Object> body) {
        LocalStack.Figures before = stack.figures();
        Instant started = Instant.now();
        String id = stack.start(orchestrator, body);
        JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(4));
        assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
        System.out.println("[e2e] read-data " + phase + ": " + stack.figures().minus(before)
                .describe(Duration.between(started, Instant.now())));
        return status;
    }
}
