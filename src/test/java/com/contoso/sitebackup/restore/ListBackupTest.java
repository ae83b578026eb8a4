package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
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

/** The ListBackup activity, its request bound as the Java worker binds it, with its planner talking to Azurite. */
@AzuriteTest
class ListBackupTest {
    @TempDir
    Path tmp;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "list-backup-" + UUID.randomUUID().toString().substring(0, 8);
    private Path allowed;
    private ListBackup activity;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        activity = new ListBackup(BackupApp.services(service, allowed, Settings.DEFAULT_BATCH_FILES));
        service.getBlobContainerClient(container).create();
        service.getBlobContainerClient(container).getBlobClient("site/a/b.txt").upload(BinaryData.fromString("bee"));
        service.getBlobContainerClient(container).getBlobClient("site/../evil.txt").upload(BinaryData.fromString("x"));
    }

    @Test
    void constructor_nullPlanner_throws() {
        assertThrows(NullPointerException.class, () -> new ListBackup((RestorePlanner) null));
    }

    @Test
    void run_workerBoundRequest_listsTheBlobsAndReportsTheEscapingName() {
        RestoreRequest request = new RestoreRequest(container, "site", allowed.resolve("target").toString(), false, null);
        RestoreRequest bound = new Gson().fromJson(new JacksonDataConverter().serialize(request), RestoreRequest.class);

        JobPlan listing = activity.run(bound);

        assertNull(listing.getError());
        assertEquals(List.of("a/b.txt"), listing.getFiles().stream().map(FileEntry::getPath).toList());
        assertEquals(List.of("site/../evil.txt"), listing.getProblems().stream().map(p -> p.getPath()).toList());
    }

    @Test
    void run_targetOutsideAllowedRoots_rejectedListingNotAnException() {
        JobPlan listing = activity.run(new RestoreRequest(container, "site", tmp.resolve("elsewhere").toString(), false, null));

        assertTrue(listing.getError().contains("is not a directory this app may write"), listing.getError());
    }
}
