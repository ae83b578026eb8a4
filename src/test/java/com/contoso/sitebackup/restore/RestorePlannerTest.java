package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.AllowedRoots;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@AzuriteTest
class RestorePlannerTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "restore-plan-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path allowed;
    private RestorePlanner planner;

    @BeforeEach
    void setUp() throws IOException {
        planner = new RestorePlanner(service, AllowedRoots.forReading(List.of(allowed)),
                new ManifestStore(service, "manifests", 2), new ProblemReport(service, "manifests"));
        service.getBlobContainerClient(container).create();
        Path source = Files.createDirectories(allowed.resolve("source"));
        Files.writeString(source.resolve("b.txt"), "bb");
        Files.setLastModifiedTime(source.resolve("b.txt"), FileTime.fromMillis(1_500_000_000_000L));
        new BlobCopier(service).copy(new CopyRequest(source.toString(), "b.txt", container, "site/b.txt"));
        service.getBlobContainerClient(container).getBlobClient("site/x/../../up.txt").upload(BinaryData.fromString("u"));
        service.getBlobContainerClient(container).getBlobClient("other/c.txt").upload(BinaryData.fromString("c"));
    }

    @Test
    void plan_blobsUnderPrefix_plannedWithRecordedMtimeAndDotDotRefused() {
        JobPlan plan = planner.plan(new RestoreRequest(container, "site", allowed.resolve("new/target").toString(), false, null));

        assertEquals(List.of(new FileEntry("b.txt", 2, 1_500_000_000_000L)), plan.getFiles());
        assertEquals(1, plan.getProblems().size());
        assertEquals("site/x/../../up.txt", plan.getProblems().get(0).getPath());
        assertTrue(plan.getDirectory().endsWith("new/target"));
    }

    @Test
    void plan_targetOutsideAllowedRoots_rejected(@TempDir Path elsewhere) {
        JobPlan plan = planner.plan(new RestoreRequest(container, "site", elsewhere.toString(), false, null));

        assertTrue(plan.getError().contains("not under an allowed root"), plan.getError());
    }

    @Test
    void plan_missingContainer_rejected() {
        JobPlan plan = planner.plan(new RestoreRequest("no-such-container", "site", allowed.toString(), false, null));

        assertTrue(plan.getError().contains("does not exist"), plan.getError());
    }

    @Test
    void plan_moreBlobsThanOneSlice_goesToAManifest() {
        for (int i = 0; i < 3; i++) {
            service.getBlobContainerClient(container).getBlobClient("many/f" + i).upload(BinaryData.fromString("x"));
        }

        JobPlan plan = planner.plan(new RestoreRequest(container, "many", allowed.toString(), false, null));

        assertEquals(2, plan.getSliceCount());
        assertEquals(3, plan.getFilesPlanned());
        assertEquals(List.of(), plan.getFiles());
    }
}
