package com.contoso.sitebackup.config;

import com.contoso.sitebackup.fs.SecureRoots;

import com.azure.storage.blob.BlobServiceClient;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: the settings and what is built once per worker process from them (the backup
 * account's client, the read and write roots). The Java worker creates a function class per invocation
 * through its no-argument constructor; those constructors build their (cheap) workers from here, while
 * tests and the local engines build an instance of their own with {@link #of}.
 */
public final class AppServices {
    private static volatile AppServices shared;

    private final Settings settings;
    private final SecureRoots readRoots;
    private final SecureRoots writeRoots;
    private volatile BlobServiceClient blobService;
    private volatile ExecutorService transfers;

    private AppServices(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.readRoots = SecureRoots.forReading(Settings.BACKUP_READ_ROOTS, settings.readRoots());
        this.writeRoots = SecureRoots.forWriting(Settings.BACKUP_WRITE_ROOTS, settings.writeRoots(),
                settings.codeDirectories(), settings.restoreSetIdBits());
    }

    /** The services of this worker process, from its environment. */
    public static AppServices shared() {
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

    /** Services built from {@code settings}, for tests and tools. */
    public static AppServices of(Settings settings) {
        return new AppServices(settings);
    }

    /** Services built from {@code settings} around a backup account client built elsewhere (tests inject faults). */
    public static AppServices of(Settings settings, BlobServiceClient blobService) {
        AppServices services = new AppServices(settings);
        services.blobService = Objects.requireNonNull(blobService, "blobService");
        return services;
    }

    public Settings settings() {
        return settings;
    }

    /** Directories a backup or a verification may read; every file access goes through them. */
    public SecureRoots readRoots() {
        return readRoots;
    }

    /** Directories a restore may write, never the app's own code; every file access goes through them. */
    public SecureRoots writeRoots() {
        return writeRoots;
    }

    /**
     * The process's transfer pool: {@code BACKUP_TRANSFERS} daemon threads that every batch activity of this worker
     * gives its files to, so the files worked on at once are bounded per process however many batches run at once.
     */
    public ExecutorService transfers() {
        ExecutorService pool = transfers;
        if (pool == null) {
            synchronized (this) {
                if (transfers == null) {
                    AtomicInteger count = new AtomicInteger();
                    transfers = Executors.newFixedThreadPool(settings.transfers(), task -> {
                        Thread thread = new Thread(task, "site-backup-transfer-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                pool = transfers;
            }
        }
        return pool;
    }

    /** The backup account's client, built on first use so the starter never needs storage settings. */
    public BlobServiceClient blobService() {
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
}
