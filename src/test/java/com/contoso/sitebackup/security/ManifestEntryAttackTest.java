package com.contoso.sitebackup.security;

import com.contoso.sitebackup.restore.DirectoryRestorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.restore.FinishDirectories;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 6: one bad manifest line aborted a whole step ("the listing failed"), and an mtime of -2^63 or
 * 2^63-1 was tried 5 times as if the failure could pass. Here snapshots made by hand on Azurite hold such entries
 * among good ones: FinishDirectories finishes every good folder and names each bad line (its number, its path when it
 * has one); a file whose recorded time no file system holds is refused once, not retried, and the other files are
 * restored (tries counted by the harness, printed).
 */
@AzuriteTest
@Timeout(120)
class ManifestEntryAttackTest {
    private static final String ID = "20261126T100000.000Z";
    private static final long T = 1_700_000_000_123_456_789L;
    private static final Gson GSON = new Gson();

    private final BlobServiceClient blobs = Azurite.shared().client();
    private final String container = "manifest-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;
    private Path root;
    private HandMadeSnapshot snapshot;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        snapshot = new HandMadeSnapshot(blobs, container, "site", BackupApp.MANIFEST_CONTAINER);
    }

    /** {@code entry} with its JSON changed by {@code edit}, bound by Gson (no constructor runs). */
    private static FileEntry forged(FileEntry entry, java.util.function.Consumer<JsonObject> edit) {
        JsonObject json = GSON.toJsonTree(entry).getAsJsonObject();
        edit.accept(json);
        return GSON.fromJson(json, FileEntry.class);
    }

    /** Adds {@code lines} (raw text) to the end of the committed manifest of snapshot {@link #ID}. */
    private void appendRawLines(String... lines) throws IOException {
        BlobClient manifest = blobs.getBlobContainerClient(BackupApp.MANIFEST_CONTAINER)
                .getBlobClient(SnapshotStore.blobName(container, "site", ID));
        var properties = manifest.getProperties();
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(manifest.downloadContent().toBytes()))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        text += String.join("\n", lines) + "\n";
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        manifest.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(gzipped.toByteArray()))
                .setMetadata(properties.getMetadata())
                .setHeaders(new BlobHttpHeaders().setContentType(properties.getContentType())), null, null);
    }

    private static long mtime(Path path) throws IOException {
        return ((FileTime) Files.getAttribute(path, "lastModifiedTime", LinkOption.NOFOLLOW_LINKS))
                .to(TimeUnit.NANOSECONDS);
    }

    /**
     * FinishDirectories over a manifest with good folders and, between them, a line that is not JSON, a folder
     * without a path, a folder at 2^63-1 ns and one at -2^63 ms: the good folders are finished, each bad line is a
     * problem naming it, and the step returns (it does not throw, so it is not tried again).
     */
    @Test
    void finishDirectories_badLinesAmongGoodFolders_goodFoldersFinishedEachBadLineNamed() throws IOException {
        snapshot.directory("a", 0750, T);
        snapshot.raw(forged(new FileEntry("b", 0, 0).withAttributes(com.contoso.sitebackup.fs.EntryType.DIRECTORY,
                Long.MAX_VALUE, 0700, null, null, null), json -> { }));
        snapshot.raw(forged(new FileEntry("c", 0, 0).withAttributes(com.contoso.sitebackup.fs.EntryType.DIRECTORY,
                null, 0700, null, null, null), json -> json.addProperty("lastModified", Long.MIN_VALUE)));
        snapshot.directory("d", 0711, T + 1);
        snapshot.commit(ID);
        appendRawLines("this line is not JSON {", "{\"type\":\"DIRECTORY\",\"size\":0,\"lastModified\":5}");
        Path target = root.resolve("target");

        FanOutSummary summary = DirectoryRestorer.from(BackupApp.services(blobs, root, 500)).finish(
                new RestoreRequest(container, "site", target.toString(), false, null, null, null).withSnapshot(ID), null);

        List<String> problems = summary.problems().stream().map(FileProblem::toString).toList();
        System.out.printf("FinishDirectories, 2 good folders and 4 bad manifest lines: %d problems %s; a and d"
                + " finished: %s%n", summary.problemCount(), problems, Files.isDirectory(target.resolve("d")));
        assertEquals(4, summary.problemCount(), problems.toString());
        assertEquals(T, mtime(target.resolve("a")));
        assertEquals(T + 1, mtime(target.resolve("d")));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("b: manifest line 3 out of range")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("c: manifest line 4 out of range")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("(manifest line 6): manifest line 6 not an entry")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("(manifest line 7): manifest line 7 not an entry")),
                problems.toString());
    }

    /**
     * A whole restore, through the in-memory engine and the app's activities: two files recorded at times no file
     * system holds (2^63-1 ns; -2^63 ms without nanoseconds) among good ones. Each bad file is tried once and
     * reported, the good ones are restored with their times, the restore completes.
     */
    @Test
    void restore_filesWithTimesNoFileSystemHolds_eachTriedOnceTheOthersRestored() throws IOException {
        FileEntry late = snapshot.file("late.txt", "late", 0644, T);
        FileEntry early = snapshot.file("early.txt", "early", 0644, T);
        FileEntry good = snapshot.file("good.txt", "good", 0640, T + 5);
        snapshot.clear();
        snapshot.raw(forged(late, json -> json.addProperty("modtimeNanos", Long.MAX_VALUE)));
        snapshot.raw(forged(early, json -> {
            json.remove("modtimeNanos");
            json.addProperty("lastModified", Long.MIN_VALUE);
        }));
        snapshot.raw(good);
        snapshot.commit(ID);
        Path target = root.resolve("restored");

        HarnessResult result = BackupApp.harness(blobs, root, 100, DurableHarness.Faults.none()).run(
                RestoreSiteContent.NAME, new RestoreRequest(container, "site", target.toString(), false, ID, null, null));

        long failures = result.metrics().activityFailures();
        System.out.printf("restore with 2 files at times no file system holds: %s; activity executions %d, failures"
                + " %d (tries of the 2 bad files); status %s%n", result.runtimeStatus(),
                result.metrics().activityExecutions(), failures, result.customStatus());
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        // Each bad entry is a named problem of the plan (its manifest line refused where it is read), never an attempt
        // retried as if the failure could pass.
        assertEquals(0, failures, "no bad entry reached an activity");
        assertEquals(0, result.metrics().timersFired(), "no retry round");
        assertTrue(result.customStatus().contains("\"problemCount\":2"), result.customStatus());
        assertEquals("good", Files.readString(target.resolve("good.txt")));
        assertEquals(T + 5, mtime(target.resolve("good.txt")));
        assertTrue(result.customStatus().contains("outside what a file system holds"), result.customStatus());
        List<String> restored = new ArrayList<>();
        try (var listed = Files.list(target)) {
            listed.forEach(p -> restored.add(p.getFileName().toString()));
        }
        assertEquals(List.of("good.txt"), restored);
    }
}
