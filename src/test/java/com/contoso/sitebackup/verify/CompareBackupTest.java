package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

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

/** The CompareBackup activity, its input as the Java worker hands it, against a temp tree and its snapshot on Azurite. */
@AzuriteTest
@Timeout(120)
class CompareBackupTest {
    @TempDir
    Path tmp;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "compare-fn-" + UUID.randomUUID().toString().substring(0, 8);
    private Path root;
    private String prefix;
    private CompareBackup activity;

    @BeforeEach
    void setUp() throws IOException {
        Path allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        activity = new CompareBackup(BackupApp.services(service, allowed, Settings.DEFAULT_BATCH_FILES));
        Files.writeString(root.resolve("a.txt"), "a");
        BackupRequest backup = BackupApp.request(root, container);
        prefix = backup.getBlobPrefix();
        assertEquals("Completed", BackupApp.harness(service, allowed, 256, DurableHarness.Faults.none())
                .run(BackupSiteContent.NAME, backup).runtimeStatus());
        Files.writeString(root.resolve("new.txt"), "new");
    }

    private VerifyPlan run(String input) {
        return Wire.read(activity.run(input), VerifyPlan.class, "the plan");
    }

    @Test
    void constructor_nullComparer_throws() {
        assertThrows(NullPointerException.class, () -> new CompareBackup((BackupComparer) null));
    }

    @Test
    void run_workerBoundRequestWithoutLists_comparesTheWholeTreeWithTheLatestSnapshot() {
        String json = "{\"rootDirectory\": " + new Gson().toJson(root.toString()) + ", \"container\": \"" + container
                + "\", \"blobPrefix\": " + new Gson().toJson(prefix) + ", \"compareContent\": false, \"codeVersion\": "
                + CodeVersion.CURRENT + "}";

        VerifyPlan plan = run(new Gson().toJson(json));

        assertNull(plan.getReport().getError());
        assertEquals(1, plan.getReport().getIdentical());
        assertEquals(List.of("new.txt"), plan.getReport().getMissing());
        assertEquals(0, plan.getToCheck().filesPlanned());
        assertTrue(plan.getToCheck().snapshot() != null, "the snapshot compared with is named");
    }

    @Test
    void run_rootMissingAnotherCodeVersionOrNotARequest_rejectedReportNotAnException() {
        VerifyPlan missing = run(Wire.write(new VerifyRequest(root.resolve("nope").toString(), container, prefix, null,
                null, false, null).withCodeVersion(CodeVersion.CURRENT)));
        VerifyPlan older = run(Wire.write(new VerifyRequest(root.toString(), container, prefix, null, null, false, null)
                .withCodeVersion(CodeVersion.CURRENT - 1)));
        VerifyPlan garbage = run("[1, 2]");

        assertTrue(missing.getReport().getError().contains("is not a directory this app may read"),
                missing.getReport().getError());
        assertTrue(older.getReport().getError().contains(Integer.toString(CodeVersion.CURRENT - 1)),
                older.getReport().getError());
        assertTrue(garbage.getReport().getError() != null);
    }
}
