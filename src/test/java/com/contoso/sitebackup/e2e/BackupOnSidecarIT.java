package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups on the real engine: the packaged app on the durabletask-go sidecar through the bridge, started by the
 * app's own starter over HTTP, status from the webhook, bytes read back from Azurite.
 */
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
        }
    }
}
