package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.TestManifests;
import com.contoso.sitebackup.durable.Wire;
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
    private ManifestStore manifests;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        BlobServiceClient service = Azurite.shared().client();
        container = "list-" + UUID.randomUUID().toString().substring(0, 8);
        AppServices services = BackupApp.services(service, allowed, Settings.DEFAULT_BATCH_FILES);
        activity = new GetFileList(services);
        manifests = ManifestStore.from(services);
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private BackupRequest request(Path rootDirectory) {
        return new BackupRequest(rootDirectory.toString(), container, "site", null, null, true, false, null)
                .withCodeVersion(CodeVersion.CURRENT);
    }

    /** Runs the activity as the worker would: the request as JSON text, the plan read back strictly. */
    private JobPlan run(BackupRequest request) {
        return Wire.read(activity.run(Wire.write(request)), JobPlan.class, "the plan");
    }

    private List<CopyEntry> files(JobPlan listing) {
        return TestManifests.entries(manifests, listing, CopyEntry.class);
    }

    @Test
    void constructor_nullPlanner_throws() {
        assertThrows(NullPointerException.class, () -> new GetFileList(null, null));
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

        JobPlan listing = run(request(root));

        assertNull(listing.error());
        assertEquals(root.toString(), listing.directory());
        assertEquals(List.of(
                new FileEntry(".well-known/security.txt", 7, Files.getLastModifiedTime(root.resolve(".well-known/security.txt")).toMillis()),
                new FileEntry("a dir/b c.txt", 6, Files.getLastModifiedTime(root.resolve("a dir/b c.txt")).toMillis()),
                new FileEntry("café/naïve 日本.txt", "unicode".getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                        Files.getLastModifiedTime(root.resolve("café/naïve 日本.txt")).toMillis()),
                new FileEntry("escape.txt", outside.toString().length(), lastModifiedOfLink(root.resolve("escape.txt"))),
                new FileEntry("index.html", 7, Instant.parse("2024-02-03T04:05:06.789Z").toEpochMilli()),
                new FileEntry("loop", root.toString().length(), lastModifiedOfLink(root.resolve("loop")))),
                files(listing).stream().map(f -> new FileEntry(f.path(), f.size(), f.lastModified())).toList());
        // Links are planned as links (stored as their targets, never followed), not reported as problems.
        assertEquals(List.of("escape.txt", "loop"), files(listing).stream()
                .filter(f -> f.type() == EntryType.SYMLINK).map(CopyEntry::path).toList());
        assertEquals(List.of(), listing.problems());
    }

    @Test
    void run_rootOutsideAllowedRoots_rejectedListingNotAnException() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        JobPlan listing = run(request(outside));
        assertTrue(listing.error().contains("is not a directory this app may read"), listing.error());
        assertEquals(0, listing.batchCount());
    }

    /** {@code BackupSlice} with {@code root=/} through Durable's own API reaches the listing: refused there too. */
    @Test
    void run_rootOfTheFileSystemOrEtc_rejectedListing() {
        for (String directory : List.of("/", "/etc", "/proc/self")) {
            JobPlan listing = run(new BackupRequest(directory, container, "x", null, null, true, false, null)
                    .withCodeVersion(CodeVersion.CURRENT));
            assertEquals("rootDirectory '" + directory + "' is not a directory this app may read (it must be a folder"
                    + " under one of the configured read roots, reached without symbolic links)", listing.error());
        }
    }

    @Test
    void run_rootBecameAFile_rejectedListing() throws IOException {
        Path file = Files.writeString(allowed.resolve("file"), "x");
        JobPlan listing = run(request(file));
        assertTrue(listing.error().contains("is not a directory this app may read"), listing.error());
    }

    @Test
    void run_requestWithoutOptionalFields_defaultsApply() throws IOException {
        write("a.txt", "a");
        // As the SDK writes it and the worker hands it over: lists absent, JSON-encoded once more as a string.
        String json = Wire.write(request(root)).replace(",\"include\":[]", "").replace(",\"exclude\":[]", "");
        assertFalse(json.contains("include"), json);

        JobPlan listing = Wire.read(activity.run(new Gson().toJson(json)), JobPlan.class, "the plan");

        assertEquals(List.of("a.txt"), files(listing).stream().map(CopyEntry::path).toList());
    }

    /** A request of another code version, or one that is not a request at all: a rejected plan, never an exception. */
    @Test
    void run_otherCodeVersionOrForeignInput_rejectedPlan() {
        JobPlan old = Wire.read(activity.run(Wire.write(request(root).withCodeVersion(1))), JobPlan.class, "plan");
        assertTrue(old.error().contains("started by code version 1 and cannot run on code version "
                + CodeVersion.CURRENT), old.error());
        for (String foreign : List.of("{\"rootDirectory\": 7}", "[1,2]", "not json", "{\"unknown\": true}")) {
            JobPlan rejected = Wire.read(activity.run(foreign), JobPlan.class, "plan");
            assertTrue(rejected.error().startsWith("the input of GetFileList is not"), foreign + ": " + rejected.error());
        }
    }

    private static long lastModifiedOfLink(Path link) throws IOException {
        return Files.getLastModifiedTime(link, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis();
    }
}
