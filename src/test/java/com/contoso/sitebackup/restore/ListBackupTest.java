package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The ListBackup activity, its input as the Java worker hands it, with its planner reading a snapshot on Azurite. */
@AzuriteTest
@Timeout(120)
class ListBackupTest {
    private static final String RUN = "20261201T100000.000Z";

    @TempDir
    Path tmp;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "list-backup-" + UUID.randomUUID().toString().substring(0, 8);
    private Path allowed;
    private ListBackup activity;
    private FileEntry file;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        activity = new ListBackup(BackupApp.services(service, allowed, Settings.DEFAULT_BATCH_FILES));
        HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(service, container, "site", BackupApp.MANIFEST_CONTAINER,
                RUN);
        file = snapshot.file("a/b.txt", "bee", 0644, 1_000_000_000L);
        snapshot.add(new FileEntry("../evil.txt", 1, 1).withVersion(RUN, file.getContentMd5()));
        snapshot.commit(RUN);
    }

    @Test
    void constructor_nullPlanner_throws() {
        assertThrows(NullPointerException.class, () -> new ListBackup((RestorePlanner) null));
    }

    @Test
    void run_workerBoundRequest_plansTheLatestSnapshotsFileAndReportsTheEscapingName() {
        RestoreRequest request = new RestoreRequest(container, "site", allowed.resolve("target").toString(), false,
                null).withCodeVersion(CodeVersion.CURRENT);
        String bound = new Gson().toJson(Wire.write(request));

        JobPlan plan = Wire.read(activity.run(bound), JobPlan.class, "the plan");

        assertNull(plan.error());
        assertEquals(RUN, plan.snapshot());
        assertEquals(List.of(1L, 1L), List.of(plan.filesPlanned(), plan.problemCount()));
        assertEquals(List.of(file), ManifestStore.from(BackupApp.services(service, allowed, 256))
                .readBatch(plan.manifest(), 0));
        assertEquals(List.of(new FileProblem("../evil.txt", RestorePlanner.NOT_ENCODED)), plan.problems());
    }

    @Test
    void run_targetOutsideAllowedRootsOrAnotherCodeVersion_rejectedPlanNotAnException() {
        JobPlan outside = Wire.read(activity.run(Wire.write(new RestoreRequest(container, "site",
                tmp.resolve("elsewhere").toString(), false, null).withCodeVersion(CodeVersion.CURRENT))),
                JobPlan.class, "the plan");
        JobPlan older = Wire.read(activity.run(Wire.write(new RestoreRequest(container, "site",
                allowed.toString(), false, null).withCodeVersion(CodeVersion.CURRENT - 1))), JobPlan.class, "the plan");
        JobPlan notJson = Wire.read(activity.run("{\"container\": 7"), JobPlan.class, "the plan");

        assertTrue(outside.error().contains("is not a directory this app may write"), outside.error());
        assertTrue(older.error().contains(Integer.toString(CodeVersion.CURRENT - 1)), older.error());
        assertTrue(notJson.error() != null, "a rejected plan");
    }
}
