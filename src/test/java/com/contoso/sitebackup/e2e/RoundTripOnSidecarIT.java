package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented flow on the real engine, for a tree of 2,000 files (unicode and spaces in names, 0-byte files,
 * one 64 MiB file): backup, an unchanged re-run (one activity: its listing seals it), verify with content, restore of
 * the re-run's snapshot into an empty folder; every name, byte and mtime comes back. Figures per phase are printed.
 */
@EndToEndTest
// 2,000 files backed up, verified and restored on the real engine: about 80 s on an idle build machine; beside other
// builds it can take several times that, past the 3-minute default.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RoundTripOnSidecarIT {
    private static final int FILES = 2_000;

    @TempDir
    Path work;

    @Test
    void roundTrip_2000FilesAndA64MiBFile_everyNameByteAndMtimeComesBack() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            long bytes = Trees.mixed(site, FILES, 64L << 20, 2026);
            int files = TreeCheck.files(site).size();
            long folders;
            try (java.util.stream.Stream<Path> all = Files.walk(site)) {
                folders = all.filter(p -> !p.equals(site) && Files.isDirectory(p)).count();
            }

            JsonNode backup = run(stack, "backup", "BackupSiteContent", Map.of("rootDirectory", site.toString(),
                    "container", "e2e", "blobPrefix", "round-trip"));
            assertEquals(bytes, backup.get("output").asLong(), backup.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, stack.azurite.client()
                    .getBlobContainerClient("e2e"), "round-trip"));

            // An unchanged re-run is one activity on the real engine: the listing seals the run itself.
            LocalStack.Figures beforeRerun = stack.figures();
            JsonNode rerun = run(stack, "unchanged re-run", "BackupSiteContent", Map.of("rootDirectory",
                    site.toString(), "container", "e2e", "blobPrefix", "round-trip"));
            JsonNode again = rerun.get("customStatus");
            assertEquals(0, rerun.get("output").asLong(), rerun.toString());
            assertEquals("COMPLETED", again.get("phase").asText(), again.toString());
            assertEquals(files, again.get("filesUnchanged").asLong(), again.toString());
            assertEquals(1, stack.figures().minus(beforeRerun).activities(), "GetFileList alone: " + again);
            String rerunSnapshot = again.get("snapshot").asText();
            assertNotEquals(backup.get("customStatus").get("snapshot").asText(), rerunSnapshot, "a snapshot per run");

            JsonNode verify = run(stack, "verify", "VerifyBackup", Map.of("rootDirectory", site.toString(),
                    "container", "e2e", "blobPrefix", "round-trip", "compareContent", true));
            JsonNode report = verify.get("output");
            assertEquals(files + folders, report.get("identical").asLong(), "every file and folder: " + report);
            assertEquals(0, report.get("missingCount").asInt() + report.get("extraCount").asInt()
                    + report.get("differentCount").asInt(), report.toString());

            Path target = stack.root.resolve("restored");
            assertFalse(Files.exists(target));
            JsonNode restore = run(stack, "restore", "RestoreSiteContent", Map.of("container", "e2e",
                    "blobPrefix", "round-trip", "targetDirectory", target.toString(), "snapshot", rerunSnapshot));
            assertEquals(bytes, restore.get("output").asLong(), restore.toString());
            assertEquals("COMPLETED", restore.get("customStatus").get("phase").asText(), restore.toString());
            TreeCheck.assertSameTree(site, target, true);
        }
    }

    private static JsonNode run(LocalStack stack, String phase, String orchestrator, Map<String, Object> body) {
        LocalStack.Figures before = stack.figures();
        Instant started = Instant.now();
        String id = stack.start(orchestrator, body);
        JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(10));
        Duration wall = Duration.between(started, Instant.now());
        assertEquals("Completed", status.get("runtimeStatus").asText(), status.toString());
        System.out.println("[e2e] round trip " + phase + " of " + FILES + " files + 64 MiB: "
                + stack.figures().minus(before).describe(wall));
        return status;
    }
}
