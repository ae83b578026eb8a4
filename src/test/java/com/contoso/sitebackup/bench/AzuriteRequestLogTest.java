package com.contoso.sitebackup.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's request counts, on a real Azurite: N blobs uploaded with the SDK are N Put Blob requests. */
@AzuriteTest
class AzuriteRequestLogTest {
    private static final int BLOBS = 25;

    @Test
    @Timeout(30)
    void uploadsOfSmallBlobs_countedAsOnePutBlobEach_perContainer_afterTheMark(@TempDir Path dir) {
        AzuriteRequestLog log = new AzuriteRequestLog(dir.resolve("debug.log"));
        try (Azurite azurite = Azurite.startInMemoryLogged(dir.resolve("debug.log"))) {
            BlobContainerClient counted = azurite.client().getBlobContainerClient("counted");
            BlobContainerClient other = azurite.client().getBlobContainerClient("other");
            counted.create();
            other.create();
            other.getBlobClient("before the mark").upload(BinaryData.fromString("x"));
            int mark = log.mark();

            for (int i = 0; i < BLOBS; i++) {
                counted.getBlobClient("dir/file " + i).upload(BinaryData.fromString("content " + i));
            }
            counted.getBlobClient("dir/file 0").getProperties();
            counted.listBlobs().forEach(item -> { });
            other.getBlobClient("after the mark").upload(BinaryData.fromString("y"));
            List<AzuriteRequestLog.Request> requests = log.since(mark);

            assertEquals(Map.of("Put Blob", (long) BLOBS, "Get Properties", 1L, "List Blobs", 1L),
                    AzuriteRequestLog.byKind(requests, "counted"::equals));
            assertEquals(Map.of("Put Blob", 1L), AzuriteRequestLog.byKind(requests, "other"::equals));
            assertTrue(requests.stream().allMatch(r -> r.status() >= 200 && r.status() < 300), requests.toString());
            assertEquals(BLOBS + 3, requests.size(), requests.toString());
        }
    }
}
