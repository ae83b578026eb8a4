package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static com.contoso.sitebackup.retention.TestHistory.R1;
import static com.contoso.sitebackup.retention.TestHistory.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The activity as the worker calls it (JSON text in and out), on the app's services and its ceiling setting. */
@AzuriteTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PruneSnapshotsTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "activity-" + UUID.randomUUID().toString().substring(0, 8);
    private final TestHistory history = new TestHistory(service, container, "site", BackupApp.MANIFEST_CONTAINER);
    private final String input = Wire.write(new RetentionRequest(container, "site", 1, 0, 0, false, null)
            .withCodeVersion(CodeVersion.CURRENT));

    @TempDir
    Path allowed;

    @BeforeEach
    void twoRuns() {
        history.manifest(R1, "a.txt", "one", history.upload("a.txt", "one", R1));
        history.manifest(R2, "a.txt", "two", history.upload("a.txt", "two", R2));
    }

    private RetentionResult run(String ceiling, String json) {
        return Wire.read(new PruneSnapshots(RetentionApp.services(service, allowed, ceiling)).run(json),
                RetentionResult.class, "the result");
    }

    @Test
    void run_jsonIn_prunesAndItsResultReadsBack_theCeilingIsTheSetting() {
        RetentionResult result = run("1", input);

        assertEquals(RetentionResult.Phase.COMPLETED, result.getPhase(), result.getMessage());
        assertEquals(List.of(R2), result.getKept());
        assertEquals(1, result.getSnapshotsDeleted(), "run 1's a");
        assertEquals(1.0, result.getMaxDeleteShare());
    }

    @Test
    void run_aboveTheSettingsCeiling_refusedNamingTheSetting() {
        RetentionResult result = run("0.3", input); // 3 of 6 bytes would go

        assertEquals(RetentionResult.Phase.REFUSED, result.getPhase());
        assertTrue(result.getMessage().contains("BACKUP_RETENTION_MAX_DELETE_SHARE 0.3"), result.getMessage());
        assertEquals(List.of(R1, R2), history.store.list(container, "site").stream().map(s -> s.getId()).toList());
    }

    @Test
    void run_settingNotAShare_throwsNamingIt_nothingDeleted() {
        for (String bad : List.of("0", "1.5", "half", "NaN")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(bad, input));
            assertTrue(e.getMessage().startsWith("app setting BACKUP_RETENTION_MAX_DELETE_SHARE must be a number above"
                    + " 0 and at most 1"), e.getMessage());
        }
        assertEquals(2, history.store.list(container, "site").size());
    }

    @Test
    void run_anotherCodeVersion_refused() {
        String old = Wire.write(new RetentionRequest(container, "site", 1, 0, 0, false, null).withCodeVersion(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("1", old));
        assertTrue(e.getMessage().contains("code version 1"), e.getMessage());
    }

    @Test
    void constructor_nullPruner_throws() {
        assertThrows(NullPointerException.class, () -> new PruneSnapshots((SnapshotPruner) null));
    }
}
