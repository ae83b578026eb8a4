package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.testing.Azurite;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs a whole backup of a directory through the in-process harness, from the command line, against a
 * storage account given by connection string (or a fresh Azurite it starts itself). It prints progress from
 * the custom status while it runs and the final status as JSON at the end. A test tool built on the SDK's
 * replay engine, not the product: see the README.
 *
 * <p>Usage: {@code HarnessMain <directory> [--connection-string CS] [--container NAME]}
 */
public final class HarnessMain {
    private HarnessMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: HarnessMain <directory> [--connection-string CS] [--container NAME]");
            System.exit(2);
        }
        Path root = Path.of(args[0]).toRealPath();
        String connection = option(args, "--connection-string", null);
        String container = option(args, "--container", "backups");
        Azurite azurite = null;
        if (connection == null) {
            azurite = Azurite.startInMemory();
            connection = azurite.connectionString();
            System.err.println("started Azurite at " + azurite.blobEndpoint());
        }
        int exitCode;
        try {
            BlobServiceClient blobs = new BlobServiceClientBuilder().connectionString(connection).buildClient();
            ObjectMapper json = new ObjectMapper();
            long started = System.nanoTime();
            HarnessResult result = BackupApp.harness(blobs, root, Settings.DEFAULT_SLICE_SIZE,
                            DurableHarness.Faults.none())
                    .onStatus(status -> System.err.println(progress(json, status, started)))
                    .run(BackupSiteContent.NAME, BackupApp.request(root, container));
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(result.statusJson())));
            exitCode = result.runtimeStatus().equals("Completed") ? 0 : 1;
        } finally {
            // Stopped on every path before the JVM exits (System.exit inside the try used to skip this).
            if (azurite != null) {
                azurite.stop();
            }
        }
        System.exit(exitCode);
    }

    private static String progress(ObjectMapper json, String status, long started) {
        try {
            JobProgress p = json.readValue(status, JobProgress.class);
            return String.format(Locale.ROOT, "%6.1f s  %-18s files %d/%d  bytes %d/%d  unchanged %d  problems %d",
                    (System.nanoTime() - started) / 1e9, p.getPhase(), p.getFilesDone(), p.getFilesPlanned(),
                    p.getBytesDone(), p.getBytesPlanned(), p.getFilesUnchanged(), p.getProblemCount());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
