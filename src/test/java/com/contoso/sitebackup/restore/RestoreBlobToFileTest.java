package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
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
    private final RestoreBlobToFile activity = new RestoreBlobToFile(new BlobRestorer(service));

    @BeforeEach
    void backUpOneFile() throws IOException {
        service.getBlobContainerClient(container).create();
        Files.writeString(source.resolve("a.txt"), "restored by the activity");
        Files.setLastModifiedTime(source.resolve("a.txt"), FileTime.fromMillis(1_610_000_000_000L));
        new BlobCopier(service).copy(new CopyRequest(source.toString(), "a.txt", container, "p/a.txt"));
    }

    @Test
    void constructor_nullRestorer_throws() {
        assertThrows(NullPointerException.class, () -> new RestoreBlobToFile((BlobRestorer) null));
    }

    @Test
    void run_workerBoundRequest_fileRestoredWithItsMtime() throws IOException {
        FileOutcome result = activity.run(bound(new RestoreFileRequest(container, "p/a.txt", target.toString(), "x/a.txt", false)));

        assertNull(result.getProblem());
        assertEquals(24, result.getBytes());
        assertEquals("restored by the activity", Files.readString(target.resolve("x/a.txt")));
        assertEquals(1_610_000_000_000L, Files.getLastModifiedTime(target.resolve("x/a.txt")).toMillis());
    }

    @Test
    void run_absoluteName_problemReturnedNotThrown() {
        FileOutcome result = activity.run(bound(new RestoreFileRequest(container, "p/a.txt", target.toString(), "/etc/a.txt", false)));

        assertTrue(result.getProblem().contains("outside the target"), result.getProblem());
        assertFalse(Files.exists(Path.of("/etc/a.txt")));
    }

    private static RestoreFileRequest bound(RestoreFileRequest request) {
        return new Gson().fromJson(new JacksonDataConverter().serialize(request), RestoreFileRequest.class);
    }
}
