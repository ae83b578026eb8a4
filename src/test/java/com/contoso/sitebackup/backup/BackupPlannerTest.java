package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TestFileWalks;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@AzuriteTest
class BackupPlannerTest {
    private static final FileTime T1 = FileTime.from(Instant.parse("2022-05-06T07:08:09.100Z"));
    private static final FileTime T2 = FileTime.from(Instant.parse("2023-05-06T07:08:09.200Z"));

    @TempDir
    Path tmp;

    private Path allowed;
    private Path root;
    private BlobServiceClient service;
    private String containerName;
    private BlobContainerClient container;
    private BackupPlanner planner;
    private BlobCopier copier;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        service = Azurite.shared().client();
        containerName = "planner-" + UUID.randomUUID().toString().substring(0, 8);
        container = service.getBlobContainerClient(containerName);
        SecureRoots readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed));
        planner = new BackupPlanner(service, readRoots, TreeWalker.FILES,
                new ManifestStore(service, "manifests", Settings.DEFAULT_BATCH_FILES), new ProblemReport(service, "manifests"),
                new SnapshotStore(service, "manifests"));
        copier = new BlobCopier(service, readRoots, "manifests");
        write("a.txt", "alpha", T1);
        write("dir/b.txt", "bravo!", T1);
        write("dir/sub/c.txt", "charlie", T1);
    }

    @AfterEach
    void tearDown() {
        container.deleteIfExists();
    }

    private Path write(String relative, String content, FileTime mtime) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, mtime);
        return file;
    }

    private BackupRequest request(String prefix, boolean dryRun, boolean compareContent) {
        return new BackupRequest(root.toString(), containerName, prefix, null, null, dryRun, compareContent, null);
    }

    private static List<String> paths(JobPlan listing) {
        return listing.getFiles().stream().map(FileEntry::getPath).toList();
    }

    /** Copies every planned file, as the orchestration would. */
    private void copyAll(BackupRequest request, JobPlan listing) {
        for (FileEntry file : listing.getFiles()) {
            assertNull(copier.copy(CopyRequest.of(SliceRequest.of(null, listing.getDirectory(), request.getContainer(), request.getBlobPrefix(), false, null), file)).getProblem());
        }
    }

    @Test
    void plan_moreFilesThanOneSlice_movesThemToAManifestOfSlices() {
        ManifestStore manifests = new ManifestStore(service, "manifests", 2);
        BackupPlanner slicing = new BackupPlanner(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                TreeWalker.FILES, manifests, new ProblemReport(service, "manifests"),
                new SnapshotStore(service, "manifests"));

        JobPlan listing = slicing.plan(request("site", false, false));

        assertEquals(List.of(), listing.getFiles(), "no file list in the payload");
        assertEquals(2, listing.getSliceCount());
        assertEquals(3, listing.getFilesPlanned());
        assertEquals(5 + 6 + 7, listing.getBytesPlanned());
        List<String> sliced = new java.util.ArrayList<>();
        for (int i = 0; i < listing.getSliceCount(); i++) {
            manifests.read(listing.getManifest(), i).forEach(f -> sliced.add(f.getPath()));
        }
        assertEquals(List.of("a.txt", "dir/b.txt", "dir/sub/c.txt"), sliced);
    }

    @Test
    void plan_rootOutsideAllowedRoots_rejectedListingAndNoContainer() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        BackupRequest request = new BackupRequest(outside.toString(), containerName, "x", null, null, false, false, null);

        JobPlan listing = planner.plan(request);

        assertEquals("rootDirectory '" + outside + "' is not a directory this app may read (it must be a folder under"
                + " one of the configured read roots, reached without symbolic links)", listing.getError());
        assertEquals(List.of(), listing.getFiles());
        assertFalse(container.exists());
    }

    /** A link inside the roots, to outside or to inside: refused either way, with the same message as outside. */
    @Test
    void plan_rootReachedThroughALink_rejectedListing() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        for (Path link : List.of(Files.createSymbolicLink(allowed.resolve("escape"), outside),
                Files.createSymbolicLink(allowed.resolve("alias"), root))) {
            JobPlan listing = planner.plan(new BackupRequest(link.toString(), containerName, "x", null, null, false,
                    false, null));
            assertEquals("rootDirectory '" + link + "' is not a directory this app may read (it must be a folder under"
                    + " one of the configured read roots, reached without symbolic links)", listing.getError());
        }
        assertFalse(container.exists());
    }

    @Test
    void plan_rootMissing_rejectedListingLikeOutside() {
        JobPlan listing = planner.plan(new BackupRequest(allowed + "/nope", containerName, "x", null, null, false, false, null));
        assertTrue(listing.getError().endsWith("is not a directory this app may read (it must be a folder under one of"
                + " the configured read roots, reached without symbolic links)"), listing.getError());
    }

    @Test
    void plan_manifestContainerAsDestination_rejectedListing() {
        JobPlan listing = planner.plan(new BackupRequest(root.toString(), "manifests", "x", null, null, false, false, null));
        assertTrue(listing.getError().startsWith("container 'manifests' is reserved"), listing.getError());
    }

    @Test
    void plan_65IncludePatterns_rejectedListing() {
        JobPlan listing = planner.plan(new BackupRequest(root.toString(), containerName, "x",
                java.util.Collections.nCopies(65, "*.txt"), null, false, false, null));
        assertEquals("include has 65 patterns; at most 64 are allowed", listing.getError());
        assertFalse(container.exists());
    }

    /** Names the storage service would change are planned under their encoded names, the blob names. */
    @Test
    void plan_backslashTrailingDotNewlineAndPercentInNames_plannedByEncodedPath() throws IOException {
        write("back\\slash.txt", "1", T1);
        write("dots./end.", "2", T1);
        write("new\nline", "3", T1);
        write("100%.txt", "4", T1);

        JobPlan listing = planner.plan(request("site", true, false));

        assertEquals(List.of("100%25.txt", "a.txt", "back%5Cslash.txt", "dir/b.txt", "dir/sub/c.txt", "dots%2E/end%2E",
                "new%0Aline"), paths(listing));
    }

    @Test
    void plan_invalidContainer_rejectedListing() {
        JobPlan listing = planner.plan(new BackupRequest(root.toString(), "Bad_Name", "x", null, null, false, false, null));
        assertTrue(listing.getError().contains("container 'Bad_Name'"), listing.getError());
    }

    @Test
    void plan_firstRun_everyFilePlannedAndContainerCreated() {
        JobPlan listing = planner.plan(request("site", false, false));

        assertNull(listing.getError());
        assertEquals(root.toString(), listing.getDirectory());
        assertEquals(List.of("a.txt", "dir/b.txt", "dir/sub/c.txt"), paths(listing));
        assertEquals(0, listing.getFilesUnchanged());
        assertTrue(container.exists());
    }

    @Test
    void plan_afterACopy_unchangedFilesSkipped() {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));

        JobPlan second = planner.plan(request);

        assertEquals(List.of(), second.getFiles());
        assertEquals(3, second.getFilesUnchanged());
        assertEquals(5 + 6 + 7, second.getBytesUnchanged());
    }

    @Test
    void plan_afterACopyAndAModification_onlyModifiedFilesPlanned() throws IOException {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));
        write("dir/b.txt", "BRAVO!", T2);            // same size, new mtime
        write("dir/sub/c.txt", "charlie2", T1);      // new size, same mtime
        write("new.txt", "new", T1);                 // new file

        JobPlan second = planner.plan(request);

        assertEquals(List.of("dir/b.txt", "dir/sub/c.txt", "new.txt"), paths(second));
        assertEquals(1, second.getFilesUnchanged());
        assertEquals(5, second.getBytesUnchanged());
    }

    @Test
    void plan_compareContentAfterTouch_sameBytesUnchangedWhereMtimeComparisonPlansIt() throws IOException {
        BackupRequest byMetadata = request("site", false, false);
        copyAll(byMetadata, planner.plan(byMetadata));
        Files.setLastModifiedTime(root.resolve("a.txt"), T2);

        assertEquals(List.of("a.txt"), paths(planner.plan(byMetadata)));
        JobPlan byContent = planner.plan(request("site", false, true));
        assertEquals(List.of(), paths(byContent));
        assertEquals(3, byContent.getFilesUnchanged());
    }

    @Test
    void plan_compareContentSameSizeAndMtimeButNewBytes_plannedByMd5() throws IOException {
        BackupRequest byMetadata = request("site", false, false);
        copyAll(byMetadata, planner.plan(byMetadata));
        write("a.txt", "ALPHA", T1);                 // same size, same mtime, other bytes

        assertEquals(List.of(), paths(planner.plan(byMetadata)));
        assertEquals(List.of("a.txt"), paths(planner.plan(request("site", false, true))));
    }

    @Test
    void plan_compareContentBlobWithoutMd5_planned() {
        container.create();
        container.getBlobClient("site/a.txt").getBlockBlobClient().upload(BinaryData.fromString("alpha"), true);
        container.getBlobClient("site/a.txt").setHttpHeaders(new com.azure.storage.blob.models.BlobHttpHeaders());

        JobPlan listing = planner.plan(request("site", false, true));

        assertTrue(paths(listing).contains("a.txt"), paths(listing).toString());
    }

    @Test
    void plan_blobWithoutSourceMetadata_planned() {
        container.create();
        container.getBlobClient("site/a.txt").upload(BinaryData.fromString("alpha"), true);

        assertEquals(List.of("a.txt", "dir/b.txt", "dir/sub/c.txt"), paths(planner.plan(request("site", false, false))));
    }

    @Test
    void plan_compareContentFileVanishedAfterListing_plannedNotThrown() throws IOException {
        BackupRequest request = request("site", false, true);
        copyAll(request, planner.plan(request));
        // The blob site/ghost.txt exists with a.txt's bytes; the lister reports ghost.txt but it is gone.
        copier.copy(new CopyRequest(root.toString(), "a.txt", containerName, "site/ghost.txt"));
        BackupPlanner racing = new BackupPlanner(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                TestFileWalks.withVanishedFile("ghost.txt", new FileEntry("a.txt", 5, Files.getLastModifiedTime(root.resolve("a.txt")).toMillis())),
                new ManifestStore(service, "manifests", Settings.DEFAULT_BATCH_FILES), new ProblemReport(service, "manifests"),
                new SnapshotStore(service, "manifests"));

        JobPlan listing = racing.plan(request);

        assertNull(listing.getError());
        assertEquals(List.of("ghost.txt"), paths(listing));
        assertEquals(3, listing.getFilesUnchanged());
    }

    @Test
    void plan_dryRunWithoutContainer_containerNotCreatedAndEveryFilePlanned() {
        JobPlan listing = planner.plan(request("site", true, false));

        assertEquals(List.of("a.txt", "dir/b.txt", "dir/sub/c.txt"), paths(listing));
        assertFalse(container.exists());
    }

    @Test
    void plan_dryRunAfterACopy_unchangedCounted() throws IOException {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));
        write("a.txt", "alpha, changed", T2);

        JobPlan listing = planner.plan(request("site", true, false));

        assertEquals(List.of("a.txt"), paths(listing));
        assertEquals(2, listing.getFilesUnchanged());
    }

    @Test
    void plan_blobsUnderAnotherPrefix_notCountedAsUnchanged() {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));

        assertEquals(3, paths(planner.plan(request("sites", false, false))).size());
        assertEquals(3, paths(planner.plan(request("site/dir", false, false))).size());
        assertEquals(3, paths(planner.plan(request("other/site", false, false))).size());
    }

    @Test
    void plan_emptyPrefix_blobsAtContainerRootCompared() {
        BackupRequest request = request("", false, false);
        copyAll(request, planner.plan(request));
        assertTrue(container.getBlobClient("dir/sub/c.txt").exists());

        JobPlan second = planner.plan(request);

        assertEquals(List.of(), paths(second));
        assertEquals(3, second.getFilesUnchanged());
    }

    @Test
    void plan_blobNameOverTheLimit_reportedAsProblem() throws IOException {
        String longName = "n".repeat(200) + "/" + "m".repeat(200) + "/" + "o".repeat(200) + ".txt";
        write(longName, "x", T1);
        String prefix = "p".repeat(500);

        JobPlan listing = planner.plan(request(prefix, true, false));

        assertFalse(paths(listing).contains(longName));
        assertTrue(listing.getProblems().contains(new FileProblem(longName, "blob name longer than 1024 characters or"
                + " of more than 254 segments")), listing.getProblems().toString());
        assertEquals(3, paths(listing).size());
    }

    @Test
    void plan_includeExcludeAndSymlinks_filteredAndLinksPlannedAsLinks() throws Exception {
        Files.createSymbolicLink(root.resolve("link.txt"), tmp);
        assertEquals(0, new ProcessBuilder("mkfifo", root.resolve("pipe.txt").toString()).start().waitFor());
        BackupRequest request = new BackupRequest(root.toString(), containerName, "site", List.of("**/*.txt"),
                List.of("dir/sub/**"), false, false, null);

        JobPlan listing = planner.plan(request);

        assertEquals(List.of("a.txt", "dir/b.txt", "link.txt"), paths(listing));
        assertEquals(EntryType.SYMLINK, listing.getFiles().get(2).getEntryType());
        assertEquals(List.of(new FileProblem("pipe.txt", "not a regular file or folder")), listing.getProblems());
    }
}
