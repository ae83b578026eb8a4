package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.contoso.sitebackup.standin.stack.WorkerJvm;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups on the real engine: the packaged app on the durabletask-go sidecar through the bridge, started by the
 * app's own starter over HTTP, status from the webhook, bytes read back from Azurite.
 */
@EndToEndTest
class BackupOnSidecarIT {
    @TempDir
    Path work;

    @Test
    void backup_smallTreeThroughTheStarter_everyFileInItsBlob() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            long bytes = Trees.mixed(site, 40, 0, 11);
            Instant started = Instant.now();

            String id = stack.start("BackupSiteContent", Map.of("rootDirectory", site.toString(),
                    "container", "e2e", "blobPrefix", "small"));
            JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(2));

            Duration wall = Duration.between(started, Instant.now());
            assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site,
                    stack.azurite.client().getBlobContainerClient("e2e"), "small"));
            System.out.println("[e2e] small backup, 40 files, " + bytes + " bytes: " + stack.figures().describe(wall));

            // The worker JVM runs as the host starts the Java worker: its own options, then the shipped JAVA_OPTS.
            long pid = stack.bridge.handle().orElseThrow().pid();
            List<String> arguments = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid),
                    "cmdline")), StandardCharsets.UTF_8).split("\0"));
            List<String> expected = WorkerJvm.options(Map.of(WorkerJvm.JAVA_OPTS, WorkerJvm.shippedJavaOpts()));
            int first = arguments.indexOf(expected.get(0));
            assertEquals(expected, first < 0 ? arguments : arguments.subList(first, first + expected.size()),
                    "the bridge JVM's options");
        }
    }

    /**
     * The same target backed up twice through the starter: both runs are instance {@code backup-<hash>}, so the
     * second replaces the first on an engine that never reuses an instance id, and its slices (more files than
     * a slice) must get ids of their own, or the engine would refuse to create them and the run would hang.
     */
    @Test
    void backup_sameTargetAgainWithSlices_secondRunCompletesUnderTheSameId() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            long bytes = Trees.files(site, 620, 1, 64, 15);
            Map<String, String> body = Map.of("rootDirectory", site.toString(), "container", "e2e", "blobPrefix", "again");

            String first = stack.start("BackupSiteContent", body);
            assertEquals(bytes, stack.awaitEnd(first, Duration.ofMinutes(3)).get("output").asLong());
            // Every file touched: the second run copies the whole tree again, in slices again.
            FileTime later = FileTime.from(Instant.now().plusSeconds(60));
            for (Path file : TreeCheck.files(site).values()) {
                Files.setLastModifiedTime(file, later);
            }
            String second = stack.start("BackupSiteContent", body);
            JsonNode status = stack.awaitEnd(second, Duration.ofMinutes(3));

            assertEquals(first, second, "one instance id per target");
            assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
            assertEquals(bytes, status.get("output").asLong(), "every file uploaded again");
            assertEquals(620, status.get("customStatus").get("filesDone").asLong(), status.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, stack.azurite.client().getBlobContainerClient("e2e"), "again"));
        }
    }

    /** The README's flow: POST the directory as a JSON string, then GET the Location until it answers 200. */
    @Test
    void readmeFlow_postDirectoryThenPollLocation_completedWithTheBytesInStatusAndStorage() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = Files.createDirectories(stack.root.resolve("site"));
            Files.writeString(site.resolve("index.html"), "hello\n");

            HttpResponse<String> accepted = stack.post("BackupSiteContent", LocalStack.json(site.toString()));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String location = accepted.headers().firstValue("Location").orElseThrow();
            JsonNode payload = LocalStack.read(accepted.body());
            assertEquals(location, payload.get("statusQueryGetUri").asText());
            HttpResponse<String> status = stack.get(location);
            for (int polls = 0; status.statusCode() == 202 && polls < 240; polls++) {
                Thread.sleep(250);
                status = stack.get(location);
            }

            assertEquals(200, status.statusCode(), status.body());
            JsonNode body = LocalStack.read(status.body());
            assertEquals("BackupSiteContent", body.get("name").asText());
            assertEquals(payload.get("id").asText(), body.get("instanceId").asText());
            assertEquals("Completed", body.get("runtimeStatus").asText(), body.toString());
            assertEquals(6, body.get("output").asLong(), body.toString());
            assertEquals("COMPLETED", body.get("customStatus").get("phase").asText(), body.toString());
            // The starter's default prefix: the root's path without the leading slash.
            String prefix = site.toString().substring(1);
            assertEquals("hello\n", stack.azurite.client().getBlobContainerClient("backups")
                    .getBlobClient(prefix + "/index.html").downloadContent().toString());
        }
    }
}
