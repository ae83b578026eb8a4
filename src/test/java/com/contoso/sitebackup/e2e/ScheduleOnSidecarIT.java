package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.schedule.ScheduledBackups;
import com.contoso.sitebackup.testing.CompletionEvents;
import com.contoso.sitebackup.testing.DurableClients;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled job on the real engine: the timer function (in this JVM, its durable client bound as the host
 * binds it) starts the job on the durabletask-go sidecar, and the <b>packaged</b> app runs it through the
 * bridge: RunJob, then BackupSiteContent and VerifyBackup as sub-orchestrations, episodes through the Durable
 * middleware with the ExecutionContext the worker supplies. The job runs twice, so its fixed instance id, its
 * children's and the slices' are used again on an engine that never reuses an instance id; the completion
 * events are read from the bridge's log, where the invocation loggers write.
 */
@EndToEndTest
class ScheduleOnSidecarIT {
    private static final Duration RUN = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void job_runTwiceWithVerifyAfter_bothRunsCompleteAndLogOneEventPerChild() throws Exception {
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            // More files than a slice (500 by default): the backup runs slice sub-orchestrations.
            long bytes = Trees.files(site, 620, 1, 64, 14);
            String jobs = "[{\"name\": \"nightly\", \"verifyAfter\": true, \"backup\": {\"rootDirectory\": \""
                    + site + "\", \"container\": \"jobs\", \"blobPrefix\": \"site\"}}]";
            ScheduledBackups timer = new ScheduledBackups(AppServices.of(Settings.of(Map.of(
                    Settings.BACKUP_SCHEDULE, "0 0 2 * * *", Settings.BACKUP_JOBS, jobs,
                    Settings.BACKUP_READ_ROOTS, stack.root.toString(), Settings.BACKUP_WRITE_ROOTS, stack.root.toString(),
                    Settings.BACKUP_STORAGE, stack.azurite.connectionString()))));

            Instant started = Instant.now();
            tick(timer, stack, "Job nightly: started job-nightly");
            JsonNode first = stack.awaitEnd("job-nightly", RUN);

            assertEquals("Completed", first.get("runtimeStatus").asText(), first.toString());
            JsonNode run = first.get("output");
            assertEquals(List.of("COMPLETED", Long.toString(bytes), "0"), List.of(run.get("step").asText(),
                    run.get("bytes").asText(), run.get("differences").asText()), run.toString());
            assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(site, stack.azurite.client().getBlobContainerClient("jobs"), "site"));
            System.out.println("[e2e] scheduled job, first run, 620 files: " + stack.figures().describe(Duration.between(started, Instant.now())));

            Path changed = site.resolve(TreeCheck.files(site).keySet().iterator().next());
            Files.writeString(changed, "+changed", StandardOpenOption.APPEND);
            tick(timer, stack, "Job nightly: started job-nightly");
            JsonNode second = stack.awaitEnd("job-nightly", RUN);

            assertEquals("Completed", second.get("runtimeStatus").asText(), second.toString());
            JsonNode rerun = second.get("output");
            assertEquals("COMPLETED", rerun.get("step").asText(), rerun.toString());
            assertEquals(Files.size(changed), rerun.get("bytes").asLong(), "only the changed file is uploaded again");
            assertEquals(0, rerun.get("differences").asLong());
            assertNotEquals(run.get("backupInstance").asText(), rerun.get("backupInstance").asText(), "a new run, new children");
            assertEquals(bytes + "+changed".length(),
                    TreeCheck.assertBlobsHoldFiles(site, stack.azurite.client().getBlobContainerClient("jobs"), "site"));

            List<JsonNode> events = Files.readAllLines(stack.bridge.log()).stream()
                    .filter(line -> line.contains(CompletionEvents.PREFIX))
                    .map(line -> CompletionEvents.parse(line.substring(line.indexOf(CompletionEvents.PREFIX)))).toList();
            assertEquals(List.of(run.get("backupInstance").asText(), run.get("verifyInstance").asText(),
                    rerun.get("backupInstance").asText(), rerun.get("verifyInstance").asText()),
                    events.stream().map(e -> e.get("instance").asText()).toList(), "one event per child run, in order");
            for (JsonNode event : events) {
                assertEquals("nightly", event.get("job").asText(), event.toString());
                assertEquals("Succeeded", event.get("outcome").asText(), event.toString());
            }
            assertEquals(List.of(620L, 1L), List.of(events.get(0).get("files").asLong(), events.get(2).get("files").asLong()));
            assertEquals(619, events.get(2).get("unchanged").asLong());
        }
    }

    private static void tick(ScheduledBackups timer, LocalStack stack, String expected) {
        RecordingContext context = new RecordingContext(ScheduledBackups.NAME);
        timer.run("{\"IsPastDue\": false}", DurableClients.context(stack.sidecar), context);
        assertEquals(List.of(expected), context.records().stream().map(java.util.logging.LogRecord::getMessage).toList());
    }
}
