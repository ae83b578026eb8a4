package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.Replay;

import static com.contoso.sitebackup.retention.TestHistory.R1;
import static com.contoso.sitebackup.retention.TestHistory.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activity, its request and result bound as the Java worker binds them (Gson), on the app's services. */
@AzuriteTest
class PruneSnapshotsTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "activity-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path allowed;

    @Test
    void run_workerBoundRequest_prunesAndItsResultReadsBack() {
        TestHistory history = new TestHistory(service, container, "site", BackupApp.MANIFEST_CONTAINER);
        history.manifest(R1, "a.txt", "one", history.upload("a.txt", "one", R1));
        history.manifest(R2, "a.txt", "two", history.upload("a.txt", "two", R2));
        PruneSnapshots activity = new PruneSnapshots(BackupApp.services(service, allowed, 500));
        RetentionRequest request = new RetentionRequest(container, "site", 1, 0, 0, null, false, false, null);
        Gson gson = new Gson();

        RetentionRequest bound = gson.fromJson(Replay.JSON.serialize(request), RetentionRequest.class);
        RetentionResult result = Replay.JSON.deserialize(gson.toJson(activity.run(bound)), RetentionResult.class);

        assertEquals(0.5, bound.getMaxDeleteShare(), "the default share survives the trip");
        assertEquals(List.of(R2), result.getKept());
        assertEquals(1, result.getSnapshotsDeleted());
    }

    @Test
    void constructor_nullPruner_throws() {
        assertThrows(NullPointerException.class, () -> new PruneSnapshots((SnapshotPruner) null));
    }
}
