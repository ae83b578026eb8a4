package com.contoso.sitebackup.functions;

import com.azure.storage.blob.BlobServiceClient;
import com.contoso.sitebackup.backup.AllowedRoots;
import com.contoso.sitebackup.backup.FileLister;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.storage.BackupComparer;
import com.contoso.sitebackup.storage.BackupPlanner;
import com.contoso.sitebackup.storage.BlobCopier;
import com.contoso.sitebackup.storage.BlobServiceClients;
import com.contoso.sitebackup.storage.BlobRestorer;
import com.contoso.sitebackup.storage.ManifestStore;
import com.contoso.sitebackup.storage.RestorePlanner;

/**
 * The collaborators the triggers hand off to, built once per worker process from app settings. The Java
 * worker creates a function class per invocation through its no-argument constructor; those constructors
 * take their collaborators from here, while tests pass their own.
 */
final class AppServices {
    private static volatile AppServices shared;

    final Settings settings;
    final AllowedRoots allowedRoots;
    private volatile BlobServiceClient blobService;

    private AppServices(Settings settings) {
        this.settings = settings;
        this.allowedRoots = new AllowedRoots(settings.allowedRoots());
    }

    static AppServices shared() {
        AppServices services = shared;
        if (services == null) {
            synchronized (AppServices.class) {
                if (shared == null) {
                    shared = new AppServices(Settings.fromEnvironment());
                }
                services = shared;
            }
        }
        return services;
    }

    /** The backup account's client, built on first use so the starter never needs storage settings. */
    BlobServiceClient blobService() {
        BlobServiceClient client = blobService;
        if (client == null) {
            synchronized (this) {
                if (blobService == null) {
                    blobService = BlobServiceClients.fromSettings(settings);
                }
                client = blobService;
            }
        }
        return client;
    }

    BlobCopier copier() {
        return new BlobCopier(blobService());
    }

    BackupPlanner planner() {
        return new BackupPlanner(blobService(), allowedRoots, new FileLister(), manifests());
    }

    RestorePlanner restorePlanner() {
        return new RestorePlanner(blobService(), allowedRoots, manifests());
    }

    BackupComparer comparer() {
        return new BackupComparer(blobService(), allowedRoots, new FileLister(), manifests());
    }

    BlobRestorer restorer() {
        return new BlobRestorer(blobService());
    }

    ManifestStore manifests() {
        return new ManifestStore(blobService(), settings.manifestContainer(), ManifestStore.DEFAULT_SLICE_SIZE);
    }
}
