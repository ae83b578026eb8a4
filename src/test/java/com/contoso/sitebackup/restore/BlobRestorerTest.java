package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@AzuriteTest
class BlobRestorerTest {
    private final BlobServiceClient service = Azurite.shared().client();
    private final BlobRestorer restorer = new BlobRestorer(service);
    private final String container = "restorer-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path source;
    @TempDir
    Path target;

    @BeforeEach
    void backUpOneFile() throws IOException {
        service.getBlobContainerClient(container).create();
        Files.writeString(source.resolve("a.txt"), "alpha content");
        Files.setLastModifiedTime(source.resolve("a.txt"), FileTime.fromMillis(1_600_000_000_123L));
        new BlobCopier(service).copy(new CopyRequest(source.toString(), "a.txt", container, "p/a.txt"));
    }

    @Test
    void restore_newFile_sameBytesAndRecordedMtimeNoTemporaryLeft() throws IOException {
        FileOutcome result = restorer.restore(request("dir/a.txt", false));

        assertNull(result.getProblem());
        assertEquals(13, result.getBytes());
        assertEquals("alpha content", Files.readString(target.resolve("dir/a.txt")));
        assertEquals(1_600_000_000_123L, Files.getLastModifiedTime(target.resolve("dir/a.txt")).toMillis());
        try (Stream<Path> files = Files.walk(target)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "only the restored file");
        }
    }

    @Test
    void restore_existingDifferentFileWithoutOverwrite_reportedAndKept() throws IOException {
        Files.writeString(target.resolve("a.txt"), "mine");

        FileOutcome result = restorer.restore(request("a.txt", false));

        assertTrue(result.getProblem().contains("not overwritten"), result.getProblem());
        assertEquals("mine", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void restore_existingDifferentFileWithOverwrite_replaced() throws IOException {
        Files.writeString(target.resolve("a.txt"), "mine");

        FileOutcome result = restorer.restore(request("a.txt", true));

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void restore_overwrite_replacesTheFileByRenameNeverRewritesItInPlace() throws IOException {
        Files.writeString(target.resolve("a.txt"), "mine");
        Path otherNameOfTheOldFile = Files.createLink(target.resolve("old-link"), target.resolve("a.txt"));

        FileOutcome result = restorer.restore(request("a.txt", true));

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("a.txt")));
        assertEquals("mine", Files.readString(otherNameOfTheOldFile), "the old file was swapped, not truncated and rewritten");
        assertEquals(List.of(), temporaries(), "no temporary file left");
    }

    @Test
    void restore_corruptedBlob_reportedAndTemporaryDeleted() throws IOException {
        service.getBlobContainerClient(container).getBlobClient("p/a.txt")
                .setHttpHeaders(new BlobHttpHeaders().setContentMd5(new byte[16]));

        FileOutcome result = restorer.restore(request("a.txt", false));

        assertTrue(result.getProblem().startsWith("corrupted"), result.getProblem());
        assertFalse(Files.exists(target.resolve("a.txt")));
        assertEquals(List.of(), temporaries(), "the temporary file is deleted");
    }

    @Test
    void restore_existingFolderOfThatNameWithOverwrite_reportedAndKept() throws IOException {
        Files.createDirectories(target.resolve("a.txt/inner"));

        FileOutcome result = restorer.restore(request("a.txt", true));

        assertTrue(result.getProblem().contains("a folder of that name exists"), result.getProblem());
        assertTrue(Files.isDirectory(target.resolve("a.txt/inner")));
    }

    @Test
    void restore_fileWhereAFolderShouldBe_reportedNotThrown() throws IOException {
        Files.writeString(target.resolve("dir"), "a file, not a folder");

        FileOutcome result = restorer.restore(request("dir/a.txt", true));

        assertEquals("'dir' is a file, not a folder; not replaced", result.getProblem());
        assertEquals("a file, not a folder", Files.readString(target.resolve("dir")));
    }

    @Test
    void restore_brokenLinkOnTheWay_refused() throws IOException {
        Files.createSymbolicLink(target.resolve("dangling"), target.resolveSibling("no-such-folder-" + UUID.randomUUID()));

        FileOutcome result = restorer.restore(request("dangling/a.txt", false));

        assertTrue(result.getProblem().contains("links outside"), result.getProblem());
    }

    @Test
    void restore_linkOnTheWayThatStaysInside_followed() throws IOException {
        Files.createDirectories(target.resolve("real"));
        Files.createSymbolicLink(target.resolve("alias"), target.resolve("real"));

        FileOutcome result = restorer.restore(request("alias/a.txt", false));

        assertNull(result.getProblem());
        assertEquals("alpha content", Files.readString(target.resolve("real/a.txt")));
    }

    @Test
    void restore_twice_secondFindsItRestoredAlready() throws IOException {
        restorer.restore(request("a.txt", false));

        FileOutcome again = restorer.restore(request("a.txt", false));

        assertNull(again.getProblem(), "a duplicate delivery is not a problem");
        assertEquals(13, again.getBytes());
    }

    @Test
    void restore_concurrentDeliveriesOfOneRestore_everyOneReportsItRestored() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<FileOutcome>> deliveries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                deliveries.add(threads.submit(() -> restorer.restore(request("race/a.txt", false))));
            }
            for (Future<FileOutcome> delivery : deliveries) {
                assertNull(delivery.get().getProblem(), "a delivery that loses the race finds the same content");
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals("alpha content", Files.readString(target.resolve("race/a.txt")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void restore_pathWithDotDot_refusedNothingWritten() throws IOException {
        FileOutcome result = restorer.restore(request("../escape.txt", false));

        assertTrue(result.getProblem().contains("outside the target"), result.getProblem());
        assertFalse(Files.exists(target.resolveSibling("escape.txt")));
    }

    @Test
    void restore_folderOnTheWayLinksOutside_refused(@TempDir Path outside) throws IOException {
        Files.createSymbolicLink(target.resolve("link"), outside);

        FileOutcome result = restorer.restore(request("link/a.txt", false));

        assertTrue(result.getProblem().contains("links outside"), result.getProblem());
        assertFalse(Files.exists(outside.resolve("a.txt")));
    }

    @Test
    void restore_newFolderBelowALinkLeadingOutside_refusedAndNothingCreatedOutside(@TempDir Path outside) throws IOException {
        Files.createSymbolicLink(target.resolve("link"), outside);

        FileOutcome result = restorer.restore(request("link/new/deeper/a.txt", false));

        assertTrue(result.getProblem().contains("links outside"), result.getProblem());
        try (Stream<Path> entries = Files.list(outside)) {
            assertEquals(List.of(), entries.toList(), "no folder created outside the target");
        }
    }

    @Test
    void restore_blobGone_reportedNotThrown() {
        RestoreFileRequest gone = new RestoreFileRequest(container, "p/missing.txt", target.toString(), "missing.txt", false);

        FileOutcome result = restorer.restore(gone);

        assertTrue(result.getProblem().contains("vanished"), result.getProblem());
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> all = Files.walk(target)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".restoring-")).toList();
        }
    }

    private RestoreFileRequest request(String path, boolean overwrite) {
        return new RestoreFileRequest(container, "p/a.txt", target.toString(), path, overwrite);
    }
}
