package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CompareBackup activity, its request bound as the Java worker binds it, against a temp tree and Azurite. */
@AzuriteTest
class CompareBackupTest {
    @TempDir
    Path tmp;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "compare-fn-" + UUID.randomUUID().toString().substring(0, 8);
    private Path root;
    private CompareBackup activity;

    @BeforeEach
    void setUp() throws IOException {
        Path allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        activity = new CompareBackup(BackupApp.services(service, allowed, Settings.DEFAULT_BATCH_FILES));
        service.getBlobContainerClient(container).create();
        Files.writeString(root.resolve("a.txt"), "a");
        new BlobCopier(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)), "manifests")
                .copy(new CopyRequest(root.toString(), "a.txt", container, "site/a.txt"));
        Files.writeString(root.resolve("new.txt"), "new");
    }

    @Test
    void constructor_nullComparer_throws() {
        assertThrows(NullPointerException.class, () -> new CompareBackup((BackupComparer) null));
    }

    @Test
    void run_workerBoundRequestWithoutLists_comparesTheWholeTree() {
        String json = new JacksonDataConverter().serialize(new VerifyRequest(root.toString(), container, "site", null, null, false, null)).replace(",\"include\":[]", "").replace(",\"exclude\":[]", "");

        VerifyPlan plan = activity.run(new Gson().fromJson(json, VerifyRequest.class));

        assertEquals(1, plan.getReport().getIdentical());
        assertEquals(List.of("new.txt"), plan.getReport().getMissing());
        assertEquals(0, plan.getToCheck().getFilesPlanned());
    }

    @Test
    void run_rootMissing_rejectedReportNotAnException() {
        VerifyPlan plan = activity.run(new VerifyRequest(root.resolve("nope").toString(), container, "site", null, null, false, null));

        assertTrue(plan.getReport().getError().contains("is not a directory this app may read"),
                plan.getReport().getError());
    }
}
