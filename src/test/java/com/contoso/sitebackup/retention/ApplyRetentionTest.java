package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.ProblemReport;
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
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention orchestrator through the in-memory harness, with the app's functions against Azurite. */
@AzuriteTest
class ApplyRetentionTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "apply-" + UUID.randomUUID().toString().substring(0, 8);
    private final TestHistory history = new TestHistory(service, container, "site", BackupApp.MANIFEST_CONTAINER);

    @TempDir
    Path allowed;

    @BeforeEach
    void threeRuns() {
        String a1 = history.upload("a.txt", "one", R1);
        history.manifest(R1, "a.txt", "one", a1);
        String a2 = history.upload("a.txt", "two", R2);
        history.manifest(R2, "a.txt", "two", a2);
        String a3 = history.upload("a.txt", "three", R3);
        history.manifest(R3, "a.txt", "three", a3);
    }

    private HarnessResult run(DurableHarness.Faults faults, Object request) {
        return BackupApp.harness(service, allowed, 500, faults).run(ApplyRetention.NAME, request);
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
                new RetentionRequest(container, "site", 1, 0, 0, null, false, false, null));

        assertEquals("Completed", run.runtimeStatus());
        RetentionResult result = output(run);
        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        assertEquals(List.of(R3), result.getKept());
        assertEquals(List.of(R1, R2), result.getExpired());
        assertEquals(2, result.getSnapshotsDeleted());
        assertEquals(List.of(R3), manifests());
        assertEquals("three", history.download(history.referenced(R3).get(0)));
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
                new RetentionRequest(container, "site", 2, 0, 0, null, false, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, output(run).getPhase());
        assertEquals(List.of(R2, R3), manifests());
        assertEquals(2, attempts.get());
    }

    @Test
    void run_dryRunDeliveredTwice_reportListsEachDeletionOnce() {
        HarnessResult run = run(DurableHarness.Faults.none().withDuplicateDelivery(),
                new RetentionRequest(container, "site", 1, 0, 0, null, false, true, null));

        RetentionResult result = output(run);
        assertEquals(RetentionResult.Phase.DRY_RUN_COMPLETED, result.getPhase());
        assertEquals(List.of(R1, R2, R3), manifests(), "a dry run deletes nothing");
        List<FileProblem> listed = new ProblemReport(service, BackupApp.MANIFEST_CONTAINER).read(result.getReport());
        assertEquals(2, listed.size(), "run 1's and run 2's snapshots of a, once each: " + listed);
    }

    @Test
    void run_badRequest_failedPhaseNamingTheField_notAFailedInstance() {
        HarnessResult run = run(DurableHarness.Faults.none(),
                new RetentionRequest(container, "site", 0, 0, 0, null, false, false, null));

        assertEquals("Completed", run.runtimeStatus());
        RetentionResult result = output(run);
        assertEquals(RetentionResult.Phase.FAILED, result.getPhase());
        assertTrue(result.getMessage().contains("keepLast, keepDaily and keepWeekly"), result.getMessage());
        assertEquals(List.of(R1, R2, R3), manifests());
    }
}
