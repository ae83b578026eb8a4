package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RestoreBlobToFile activity, its request bound as the Java worker binds it, against Azurite. */
@AzuriteTest
class RestoreBlobToFileTest {
    @TempDir
    Path source;
    @TempDir
    Path target;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "restore-fn-" + UUID.randomUUID().toString().substring(0, 8);
    private RestoreBlobToFile activity;

    @BeforeEach
    void backUpOneFile() throws IOException {
        activity = new RestoreBlobToFile(BackupApp.services(service, target, Settings.DEFAULT_BATCH_FILES));
        service.getBlobContainerClient(container).create();
        Files.createDirectories(source.resolve("x"));
        Files.writeString(source.resolve("x/a.txt"), "restored by the activity");
        Files.setLastModifiedTime(source.resolve("x/a.txt"), FileTime.fromMillis(1_610_000_000_000L));
        new BlobCopier(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(source)), "manifests")
                .copy(new CopyRequest(source.toString(), "x/a.txt", container, "p/x/a.txt"));
    }

    @Test
    void constructor_nullRestorer_throws() {
        assertThrows(NullPointerException.class, () -> new RestoreBlobToFile((BlobRestorer) null));
    }

    @Test
    void run_workerBoundRequest_fileRestoredWithItsMtime() throws IOException {
        FileOutcome result = activity.run(bound(new RestoreFileRequest(container, "p/x/a.txt", target.toString(), "x/a.txt", false)));

        assertNull(result.getProblem());
        assertEquals(24, result.getBytes());
        assertEquals("restored by the activity", Files.readString(target.resolve("x/a.txt")));
        assertEquals(1_610_000_000_000L, Files.getLastModifiedTime(target.resolve("x/a.txt")).toMillis());
    }

    @Test
    void run_absoluteName_problemReturnedNotThrown() {
        FileOutcome result = activity.run(bound(new RestoreFileRequest(container, "p/a.txt", target.toString(), "/etc/a.txt", false)));

        assertTrue(result.getProblem().startsWith("refused: '/etc/a.txt' is not an encoded file name"),
                result.getProblem());
        assertFalse(Files.exists(Path.of("/etc/a.txt")));
    }

    /** {@code RestoreSlice} into an outside {@code etc/cron.d} through Durable's own API: refused, nothing written. */
    @Test
    void run_targetOutsideTheAppsWriteRoots_refusedNothingWritten() throws IOException {
        Path cron = Files.createDirectories(source.resolve("etc/cron.d"));
        FileOutcome result = activity.run(bound(new RestoreFileRequest(container, "p/x/a.txt", cron.toString(), "x/a.txt",
                true)));

        assertEquals("refused: targetDirectory '" + cron + "' is not a directory this app may write (it must be a"
                + " folder under one of the configured write roots, reached without symbolic links)", result.getProblem());
        assertEquals(List.of(), Files.list(cron).toList());
    }

    private static RestoreFileRequest bound(RestoreFileRequest request) {
        return new Gson().fromJson(new JacksonDataConverter().serialize(request), RestoreFileRequest.class);
    }
}
