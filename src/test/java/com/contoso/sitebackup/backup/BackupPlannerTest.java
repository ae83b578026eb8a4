package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.TestManifests;
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
    private ManifestStore manifests;
    private BlobCopier copier;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        root = Files.createDirectories(allowed.resolve("site"));
        service = Azurite.shared().client();
        containerName = "planner-" + UUID.randomUUID().toString().substring(0, 8);
        container = service.getBlobContainerClient(containerName);
        SecureRoots readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed));
        manifests = new ManifestStore(service, "manifests", Settings.DEFAULT_BATCH_FILES);
        planner = new BackupPlanner(service, readRoots, TreeWalker.FILES, manifests,
                new ProblemReport(service, "manifests"), new SnapshotStore(service, "manifests"));
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

    /** The entries the plan's batches hold, in order. */
    private List<CopyEntry> entries(JobPlan listing) {
        return TestManifests.entries(manifests, listing, CopyEntry.class);
    }

    private List<String> paths(JobPlan listing) {
        return entries(listing).stream().map(CopyEntry::path).toList();
    }

    /** Copies every planned file, as the orchestration would. */
    private void copyAll(BackupRequest request, JobPlan listing) {
        BackupJob job = manifests.readCard(listing.manifest(), BackupJob.class);
        for (CopyEntry entry : entries(listing)) {
            assertNull(copier.copy(job, entry).getProblem());
        }
    }

    @Test
    void plan_moreFilesThanOneBatch_writesThemInBatches() {
        ManifestStore batches = new ManifestStore(service, "manifests", 2);
        BackupPlanner slicing = new BackupPlanner(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                TreeWalker.FILES, batches, new ProblemReport(service, "manifests"),
                new SnapshotStore(service, "manifests"));

        JobPlan listing = slicing.plan(request("site", false, false));

        assertEquals(2, listing.batchCount());
        assertEquals(3, listing.filesPlanned());
        assertEquals(5 + 6 + 7, listing.bytesPlanned());
        assertEquals(2, batches.readBatch(listing.manifest(), 0, CopyEntry.class).size());
        assertEquals(List.of("a.txt", "dir/b.txt", "dir/sub/c.txt"),
                TestManifests.entries(batches, listing, CopyEntry.class).stream().map(CopyEntry::path).toList());
    }

    @Test
    void plan_rootOutsideAllowedRoots_rejectedListingAndNoContainer() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        BackupRequest request = new BackupRequest(outside.toString(), containerName, "x", null, null, false, false, null);

        JobPlan listing = planner.plan(request);

        assertEquals("rootDirectory '" + outside + "' is not a directory this app may read (it must be a folder under"
                + " one of the configured read roots, reached without symbolic links)", listing.error());
        assertEquals(0, listing.batchCount());
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
                    + " one of the configured read roots, reached without symbolic links)", listing.error());
        }
        assertFalse(container.exists());
    }

    @Test
    void plan_rootMissing_rejectedListingLikeOutside() {
        JobPlan listing = planner.plan(new BackupRequest(allowed + "/nope", containerName, "x", null, null, false, false, null));
        assertTrue(listing.error().endsWith("is not a directory this app may read (it must be a folder under one of"
                + " the configured read roots, reached without symbolic links)"), listing.error());
    }

    @Test
    void plan_manifestContainerAsDestination_rejectedListing() {
        JobPlan listing = planner.plan(new BackupRequest(root.toString(), "manifests", "x", null, null, false, false, null));
        assertTrue(listing.error().startsWith("container 'manifests' is reserved"), listing.error());
    }

    @Test
    void plan_65IncludePatterns_rejectedListing() {
        JobPlan listing = planner.plan(new BackupRequest(root.toString(), containerName, "x",
                java.util.Collections.nCopies(65, "*.txt"), null, false, false, null));
        assertEquals("include has 65 patterns; at most 64 are allowed", listing.error());
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
        assertTrue(listing.error().contains("container 'Bad_Name'"), listing.error());
    }

    @Test
    void plan_firstRun_everyFilePlannedAndContainerCreated() {
        JobPlan listing = planner.plan(request("site", false, false));

        assertNull(listing.error());
        assertEquals(root.toString(), listing.directory());
        assertEquals(List.of("a.txt", "dir/b.txt", "dir/sub/c.txt"), paths(listing));
        assertEquals(0, listing.filesUnchanged());
        assertTrue(container.exists());
    }

    @Test
    void plan_afterACopy_unchangedFilesSkipped() {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));

        JobPlan second = planner.plan(request);

        assertEquals(0, second.batchCount());
        assertEquals(3, second.filesUnchanged());
        assertEquals(5 + 6 + 7, second.bytesUnchanged());
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
        assertEquals(1, second.filesUnchanged());
        assertEquals(5, second.bytesUnchanged());
    }

    @Test
    void plan_compareContentAfterTouch_sameBytesUnchangedWhereMtimeComparisonPlansIt() throws IOException {
        BackupRequest byMetadata = request("site", false, false);
        copyAll(byMetadata, planner.plan(byMetadata));
        Files.setLastModifiedTime(root.resolve("a.txt"), T2);

        assertEquals(List.of("a.txt"), paths(planner.plan(byMetadata)));
        JobPlan byContent = planner.plan(request("site", false, true));
        assertEquals(List.of(), paths(byContent));
        assertEquals(3, byContent.filesUnchanged());
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

    /**
     * A blob that matches the file but holds another backup's content (its identity tag; two nesting backups from
     * before the registry) is copied again: that backup's retention may delete it, so this snapshot must not name it.
     */
    @Test
    void plan_blobTaggedWithAnotherBackupsIdentity_plannedAgain() {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));
        var blob = container.getBlobClient("site/a.txt");
        java.util.Map<String, String> metadata = new java.util.HashMap<>(blob.getProperties().getMetadata());
        metadata.put(com.contoso.sitebackup.blob.StoredBlob.BACKUP,
                com.contoso.sitebackup.blob.BlobNames.backupId(containerName, ""));
        blob.setMetadata(metadata);

        JobPlan second = planner.plan(request);

        assertEquals(List.of("a.txt"), paths(second));
        assertEquals(2, second.filesUnchanged());
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
        Files.copy(root.resolve("a.txt"), root.resolve("ghost.txt"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        assertNull(copier.copy(new BackupJob(root.toString(), containerName, "site", null, null),
                new CopyEntry("ghost.txt", 5, 0, EntryType.FILE, null)).getProblem());
        Files.delete(root.resolve("ghost.txt"));
        BackupPlanner racing = new BackupPlanner(service, SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                TestFileWalks.withVanishedFile("ghost.txt", new FileEntry("a.txt", 5, Files.getLastModifiedTime(root.resolve("a.txt")).toMillis())),
                new ManifestStore(service, "manifests", Settings.DEFAULT_BATCH_FILES), new ProblemReport(service, "manifests"),
                new SnapshotStore(service, "manifests"));

        JobPlan listing = racing.plan(request);

        assertNull(listing.error());
        assertEquals(List.of("ghost.txt"), paths(listing));
        assertEquals(3, listing.filesUnchanged());
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
        assertEquals(2, listing.filesUnchanged());
    }

    @Test
    void plan_blobsUnderAnotherPrefix_notCountedAsUnchanged() {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));

        assertEquals(3, paths(planner.plan(request("sites", false, false))).size());
        assertEquals(3, paths(planner.plan(request("other/site", false, false))).size());
    }

    /** Backups never nest: a prefix inside another backup's is refused, naming it, before anything is written. */
    @Test
    void plan_prefixInsideAnotherBackups_rejectedNamingIt() {
        BackupRequest request = request("site", false, false);
        copyAll(request, planner.plan(request));

        JobPlan nested = planner.plan(request("site/dir", false, false));

        assertTrue(nested.error() != null && nested.error().contains("'site'"), String.valueOf(nested.error()));
    }

    /** Issue 26: a path too long for a blob name is planned to the name derived from it, not reported. */
    @Test
    void plan_blobNameOverTheLimit_plannedUnderItsDerivedName() throws IOException {
        String longName = "n".repeat(200) + "/" + "m".repeat(200) + "/" + "o".repeat(200) + ".txt";
        write(longName, "x", T1);
        String prefix = "p".repeat(500);

        JobPlan listing = planner.plan(request(prefix, true, false));

        CopyEntry planned = entries(listing).stream().filter(e -> e.path().equals(longName)).findFirst().orElseThrow();
        assertEquals(com.contoso.sitebackup.fs.PathCodec.derivedName(longName), planned.blob());
        assertEquals(List.of(), listing.problems());
        assertEquals(4, paths(listing).size());
    }

    @Test
    void plan_includeExcludeAndSymlinks_filteredAndLinksPlannedAsLinks() throws Exception {
        Files.createSymbolicLink(root.resolve("link.txt"), tmp);
        assertEquals(0, new ProcessBuilder("mkfifo", root.resolve("pipe.txt").toString()).start().waitFor());
        BackupRequest request = new BackupRequest(root.toString(), containerName, "site", List.of("**/*.txt"),
                List.of("dir/sub/**"), false, false, null);

        JobPlan listing = planner.plan(request);

        assertEquals(List.of("a.txt", "dir/b.txt", "link.txt"), paths(listing));
        assertEquals(EntryType.SYMLINK, entries(listing).get(2).type());
        // Issue 26: a named pipe is recorded in the snapshot (no content to plan), not a problem.
        assertEquals(List.of(), listing.problems());
    }
}
