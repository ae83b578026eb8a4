package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CopyFileToBlob activity against Azurite. */
@AzuriteTest
class CopyFileToBlobTest {
    @TempDir
    Path tmp;

    private Path root;
    private BlobContainerClient container;
    private CopyFileToBlob activity;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        BlobServiceClient service = Azurite.shared().client();
        container = service.createBlobContainer("activity-" + UUID.randomUUID().toString().substring(0, 8));
        activity = new CopyFileToBlob(BackupApp.services(service, root, Settings.DEFAULT_BATCH_FILES));
    }

    @AfterEach
    void tearDown() {
        container.delete();
    }

    @Test
    void constructor_nullCopier_throws() {
        assertThrows(NullPointerException.class, () -> new CopyFileToBlob((BlobCopier) null));
    }

    @Test
    void run_file_blobHoldsItsBytesAndMd5() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path file = root.resolve("café/naïve 日本.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, content);

        FileOutcome result = activity.run(new CopyRequest(root.toString(), "café/naïve 日本.bin",
                container.getBlobContainerName(), "site/café/naïve 日本.bin"));

        assertEquals(300_000, result.getBytes());
        assertNull(result.getProblem());
        assertArrayEquals(content, container.getBlobClient("site/café/naïve 日本.bin").downloadContent().toBytes());
        BlobProperties properties = container.getBlobClient("site/café/naïve 日本.bin").getProperties();
        assertArrayEquals(MessageDigest.getInstance("MD5").digest(content), properties.getContentMd5());
        assertEquals(Long.toString(Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS)),
                properties.getMetadata().get(PosixMetadata.MODTIME));
    }

    @Test
    void run_vanishedFile_resultWithProblem() {
        FileOutcome result = activity.run(new CopyRequest(root.toString(), "gone.txt", container.getBlobContainerName(),
                "gone.txt"));
        assertEquals("vanished since it was listed", result.getProblem());
        assertFalse(container.getBlobClient("gone.txt").exists());
    }

    /** The app's read roots are the ones the activity checks, whoever sent the input. */
    @Test
    void run_rootOutsideTheAppsReadRoots_refusedNothingUploaded() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");

        FileOutcome result = activity.run(new CopyRequest(outside.toString(), "secret.txt",
                container.getBlobContainerName(), "secret.txt"));

        assertTrue(result.getProblem().startsWith("refused: rootDirectory '" + outside + "' is not a directory this app"
                + " may read"), result.getProblem());
        assertFalse(container.getBlobClient("secret.txt").exists());
    }

    @Test
    void run_theAppsManifestContainer_refused() throws IOException {
        Files.writeString(root.resolve("a.txt"), "a");
        FileOutcome result = activity.run(new CopyRequest(root.toString(), "a.txt", BackupApp.MANIFEST_CONTAINER,
                "planted/slice-000000.json"));
        assertTrue(result.getProblem().startsWith("refused: container 'backup-manifests' is reserved"), result.getProblem());
    }
}
