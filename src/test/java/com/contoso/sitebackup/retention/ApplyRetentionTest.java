package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.Replay;

import static com.contoso.sitebackup.retention.TestHistory.R1;
import static com.contoso.sitebackup.retention.TestHistory.R2;
import static com.contoso.sitebackup.retention.TestHistory.R3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The retention orchestrator through the in-memory harness, with the app's functions against Azurite. */
@AzuriteTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApplyRetentionTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "apply-" + UUID.randomUUID().toString().substring(0, 8);
    private final TestHistory history = new TestHistory(service, container, "site", BackupApp.MANIFEST_CONTAINER);

    @TempDir
    Path allowed;

    @BeforeEach
    void threeRuns() {
        history.manifest(R1, "a.txt", "one", history.upload("a.txt", "one", R1));
        history.manifest(R2, "a.txt", "two", history.upload("a.txt", "two", R2));
        history.manifest(R3, "a.txt", "three", history.upload("a.txt", "three", R3));
    }

    private HarnessResult run(DurableHarness.Faults faults, Object request) {
        return RetentionApp.harness(service, allowed, "1", faults).run(ApplyRetention.NAME, request);
    }

    private static RetentionResult output(HarnessResult result) {
        return Replay.JSON.deserialize(result.output(), RetentionResult.class);
    }

    private List<String> manifests() {
        return history.store.list(container, "site").stream().map(SnapshotInfo::getId).toList();
    }

    @Test
    void run_keepLastOne_completedWithTheResultAsOutputAndStatus() {
        HarnessResult run = run(DurableHarness.Faults.none(),
                new RetentionRequest(container, "site", 1, 0, 0, false, null));

        assertEquals("Completed", run.runtimeStatus());
        RetentionResult result = output(run);
        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        assertEquals(List.of(R3), result.getKept());
        assertEquals(List.of(R1, R2), result.getExpired());
        assertEquals(2, result.getSnapshotsDeleted());
        assertEquals(List.of(R3), manifests());
        assertEquals("three", history.read("a.txt", R3));
        RetentionResult status = Replay.JSON.deserialize(run.customStatus(), RetentionResult.class);
        assertEquals(RetentionResult.Phase.COMPLETED, status.getPhase());
        assertTrue(result.getReport().startsWith("reports/" + run.instances().keySet().iterator().next()),
                result.getReport());
        assertEquals(List.of(), run.determinismViolations());
    }

    @Test
    void run_firstAttemptFails_triedAgainAndCompleted() {
        AtomicInteger attempts = new AtomicInteger();
        HarnessResult run = run(DurableHarness.Faults.none().withFailingAttempts((activity, input, attempt) ->
                        activity.equals(PruneSnapshots.NAME) && attempts.incrementAndGet() == 1),
                new RetentionRequest(container, "site", 2, 0, 0, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, output(run).getPhase());
        assertEquals(List.of(R2, R3), manifests());
        assertEquals(2, attempts.get());
    }

    @Test
    void run_dryRunDeliveredTwice_reportListsEachDeletionOnce() {
        HarnessResult run = run(DurableHarness.Faults.none().withDuplicateDelivery(),
                new RetentionRequest(container, "site", 1, 0, 0, true, null));

        RetentionResult result = output(run);
        assertEquals(RetentionResult.Phase.DRY_RUN_COMPLETED, result.getPhase());
        assertEquals(List.of(R1, R2, R3), manifests(), "a dry run deletes nothing");
        List<FileProblem> listed = new ProblemReport(service, BackupApp.MANIFEST_CONTAINER).read(result.getReport());
        assertEquals(2, listed.size(), "run 1's and run 2's a, once each: " + listed);
    }

    @Test
    void run_badRequest_failedPhaseNamingTheField_notAFailedInstance() {
        HarnessResult run = run(DurableHarness.Faults.none(),
                new RetentionRequest(container, "site", 0, 0, 0, false, null));

        assertEquals("Completed", run.runtimeStatus());
        RetentionResult result = output(run);
        assertEquals(RetentionResult.Phase.FAILED, result.getPhase());
        assertTrue(result.getMessage().contains("keepLast, keepDaily and keepWeekly"), result.getMessage());
        assertEquals(List.of(R1, R2, R3), manifests());
    }

    /** Issue 21: {@code {"blobPrefix":"","keepLast":1,"force":true}} deleted another backup's blobs. */
    @Test
    void run_emptyPrefix_failedNothingDeleted() {
        TreeSet<String> before = history.contents();

        RetentionResult result = output(run(DurableHarness.Faults.none(),
                new RetentionRequest(container, "", 1, 0, 0, false, null)));

        assertEquals(RetentionResult.Phase.FAILED, result.getPhase());
        assertTrue(result.getMessage().contains("blobPrefix must not be empty"), result.getMessage());
        assertEquals(before, history.contents());
        assertEquals(List.of(R1, R2, R3), manifests());
    }

    /** The ceiling and force are no longer the caller's: an input that still carries them (Durable's API) fails. */
    @Test
    void run_inputWithTheRetiredFields_failedNamingTheField_nothingDeleted() {
        for (String field : List.of("maxDeleteShare", "force")) {
            ObjectNode input = Wire.JSON.valueToTree(
                    new RetentionRequest(container, "site", 1, 0, 0, false, null));
            if (field.equals("force")) {
                input.put(field, true);
            } else {
                input.put(field, 1.0);
            }

            RetentionResult result = output(run(DurableHarness.Faults.none(), input));

            assertEquals(RetentionResult.Phase.FAILED, result.getPhase());
            assertTrue(result.getMessage().contains(field), result.getMessage());
        }
        assertEquals(List.of(R1, R2, R3), manifests());
    }
}
