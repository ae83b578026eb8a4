package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.harness.BackupApp;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GetFileList activity over real temp trees, with its planner talking to Azurite. */
@AzuriteTest
class GetFileListTest {
    @TempDir
    Path tmp;

    private Path allowed;
    private Path root;
    private String container;
    private GetFileList activity;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        BlobServiceClient service = Azurite.shared().client();
        container = "list-" + UUID.randomUUID().toString().substring(0, 8);
        activity = new GetFileList(BackupApp.services(service, allowed, Settings.DEFAULT_BATCH_FILES));
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private BackupRequest request(Path rootDirectory) {
        return new BackupRequest(rootDirectory.toString(), container, "site", null, null, true, false, null);
    }

    @Test
    void constructor_nullPlanner_throws() {
        assertThrows(NullPointerException.class, () -> new GetFileList((BackupPlanner) null));
    }

    @Test
    void run_realTree_filesInBlobNameOrderWithSizesAndTimes() throws IOException {
        Path index = write("index.html", "<html/>");
        Files.setLastModifiedTime(index, FileTime.from(Instant.parse("2024-02-03T04:05:06.789Z")));
        write(".well-known/security.txt", "contact");
        write("café/naïve 日本.txt", "unicode");
        write("a dir/b c.txt", "spaces");
        Files.createDirectories(root.resolve("empty/nested"));
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape.txt"), outside);
        Files.createSymbolicLink(root.resolve("loop"), root);

        JobPlan listing = activity.run(request(root));

        assertNull(listing.getError());
        assertEquals(root.toString(), listing.getDirectory());
        assertEquals(List.of(
                new FileEntry(".well-known/security.txt", 7, Files.getLastModifiedTime(root.resolve(".well-known/security.txt")).toMillis()),
                new FileEntry("a dir/b c.txt", 6, Files.getLastModifiedTime(root.resolve("a dir/b c.txt")).toMillis()),
                new FileEntry("café/naïve 日本.txt", "unicode".getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                        Files.getLastModifiedTime(root.resolve("café/naïve 日本.txt")).toMillis()),
                new FileEntry("escape.txt", outside.toString().length(), lastModifiedOfLink(root.resolve("escape.txt"))),
                new FileEntry("index.html", 7, Instant.parse("2024-02-03T04:05:06.789Z").toEpochMilli()),
                new FileEntry("loop", root.toString().length(), lastModifiedOfLink(root.resolve("loop")))),
                listing.getFiles().stream().map(f -> new FileEntry(f.getPath(), f.getSize(), f.getLastModified()))
                        .toList());
        // Links are planned as links (stored as their targets, never followed), not reported as problems.
        assertEquals(List.of("escape.txt", "loop"), listing.getFiles().stream()
                .filter(f -> f.getEntryType() == EntryType.SYMLINK).map(FileEntry::getPath).toList());
        assertEquals(List.of(), listing.getProblems());
    }

    @Test
    void run_rootOutsideAllowedRoots_rejectedListingNotAnException() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        JobPlan listing = activity.run(request(outside));
        assertTrue(listing.getError().contains("is not a directory this app may read"), listing.getError());
        assertEquals(List.of(), listing.getFiles());
    }

    /** {@code BackupSlice} with {@code root=/} through Durable's own API reaches the listing: refused there too. */
    @Test
    void run_rootOfTheFileSystemOrEtc_rejectedListing() {
        for (String directory : List.of("/", "/etc", "/proc/self")) {
            JobPlan listing = activity.run(new BackupRequest(directory, container, "x", null, null, true, false, null));
            assertEquals("rootDirectory '" + directory + "' is not a directory this app may read (it must be a folder"
                    + " under one of the configured read roots, reached without symbolic links)", listing.getError());
        }
    }

    @Test
    void run_rootBecameAFile_rejectedListing() throws IOException {
        Path file = Files.writeString(allowed.resolve("file"), "x");
        JobPlan listing = activity.run(request(file));
        assertTrue(listing.getError().contains("is not a directory this app may read"), listing.getError());
    }

    @Test
    void run_requestBoundByTheWorkerWithoutOptionalFields_defaultsApply() throws IOException {
        write("a.txt", "a");
        // As the Java worker binds it with Gson from the SDK's JSON: lists absent.
        String json = new JacksonDataConverter().serialize(request(root)).replace(",\"include\":[]", "")
                .replace(",\"exclude\":[]", "");
        assertFalse(json.contains("include"), json);
        BackupRequest bound = new Gson().fromJson(json, BackupRequest.class);

        JobPlan listing = activity.run(bound);

        assertEquals(List.of("a.txt"), listing.getFiles().stream().map(FileEntry::getPath).toList());
    }

    private static long lastModifiedOfLink(Path link) throws IOException {
        return Files.getLastModifiedTime(link, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis();
    }
}
