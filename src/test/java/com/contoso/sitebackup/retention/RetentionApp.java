package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.testing.RecordingContext;

import com.azure.storage.blob.BlobServiceClient;
import java.nio.file.Path;
import java.util.Map;

/** The app as {@link BackupApp} builds it, with the operator's retention ceiling set. */
final class RetentionApp {
    private RetentionApp() {
    }

    /** The app's services around {@code blobs}: {@code allowed} read and write root, {@code ceiling} the setting. */
    static AppServices services(BlobServiceClient blobs, Path allowed, String ceiling) {
        return AppServices.of(Settings.of(Map.of(
                Settings.BACKUP_READ_ROOTS, allowed.toString(),
                Settings.BACKUP_WRITE_ROOTS, allowed.toString(),
                Settings.BACKUP_MANIFEST_CONTAINER, BackupApp.MANIFEST_CONTAINER,
                Settings.BACKUP_BATCH_FILES, "100",
                Settings.BACKUP_RETENTION_MAX_DELETE_SHARE, ceiling)), blobs);
    }

    /** A harness running every function of the app on {@link #services}. */
    static DurableHarness harness(BlobServiceClient blobs, Path allowed, String ceiling, DurableHarness.Faults faults) {
        return BackupApp.register(new DurableHarness(Path.of("host.json"), faults), services(blobs, allowed, ceiling),
                new RecordingContext("harness"));
    }
}
