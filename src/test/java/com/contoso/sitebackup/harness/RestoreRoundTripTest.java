package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.restore.BlobRestorer;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.BackupAssertions;
import com.contoso.sitebackup.testing.Trees;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Back up a generated tree, restore it through the harness, and compare every file; then the refusals. */
@AzuriteTest
class RestoreRoundTripTest {
    private static final int SLICE = 100;

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path allowed;

    /**
     * Issue 9, item 9: names the storage service would change or merge ({@code a\\b.txt} beside {@code a/b.txt},
     * a lone {@code back\\slash.txt}, trailing dots, a newline, a tab, a percent sign, a name that already looks
     * like an escape, a byte that is not UTF-8). Backup, restore and verify give back exactly the tree: every file,
     * under its own name, with its bytes; nothing missing, extra or different, and an unchanged second run
     * uploads nothing.
     */
    @Test
    void roundTrip_namesTheServiceWouldChangeOrMerge_backupRestoreAndVerifyGiveBackExactlyTheTree() throws Exception {
        Path site = Files.createDirectories(allowed.resolve("names"));
        Map<String, String> tree = new java.util.TreeMap<>(Map.of(
                "a\\b.txt", "backslash beside", "a/b.txt", "folder a, file b", "back\\slash.txt", "lone backslash",
                "dot.", "trailing dot", "dots../end.", "trailing dots in a folder", "new\nline", "newline",
                "tab\there", "tab", "100%.txt", "percent", "a%5Cb.txt", "looks like an escape", "plain.txt", "plain"));
        for (Map.Entry<String, String> file : tree.entrySet()) {
            Files.createDirectories(site.resolve(file.getKey()).getParent());
            Files.writeString(site.resolve(file.getKey()), file.getValue());
        }
        Process latin1 = new ProcessBuilder("python3", "-c",
                "import sys; open(sys.argv[1].encode() + b'/caf\\xe9', 'wb').write(b'latin-1 name')", site.toString())
                .inheritIO().start();
        assertEquals(0, latin1.waitFor());
        BackupRequest backup = BackupApp.request(site, "restore-names");

        HarnessResult backedUp = harness().run(BackupSiteContent.NAME, backup);
        HarnessResult again = harness().run(BackupSiteContent.NAME, backup);
        Path target = allowed.resolve("names-restored");
        HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-names", backup.getBlobPrefix(), target.toString(), false, null));

        JobProgress backupStatus = json.readValue(backedUp.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, backupStatus.getPhase(), backedUp.customStatus());
        assertEquals(11, backupStatus.getFilesDone());
        List<String> blobNames = blobs.getBlobContainerClient("restore-names").listBlobs().stream()
                .map(b -> b.getName().substring(backup.getBlobPrefix().length() + 1)).toList();
        assertEquals(List.of("100%25.txt", "a%255Cb.txt", "a%5Cb.txt", "a/b.txt", "back%5Cslash.txt", "caf%E9",
                "dot%2E", "dots.%2E/end%2E", "new%0Aline", "plain.txt", "tab%09here"), blobNames);
        JobProgress secondStatus = json.readValue(again.customStatus(), JobProgress.class);
        assertEquals(List.of(0L, 11L), List.of(secondStatus.getFilesPlanned(), secondStatus.getFilesUnchanged()),
                "an unchanged tree uploads nothing again");
        JobProgress restoreStatus = json.readValue(restore.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, restoreStatus.getPhase(), restore.customStatus());
        assertEquals(sameTree(site), sameTree(target), "the restored tree, names as bytes and contents");
        VerifyReport original = verify(site, backup, true);
        VerifyReport restored = verify(target, backup, true);
        assertEquals(List.of(11L, 0L), List.of(original.getIdentical(), original.differenceCount()));
        assertEquals(List.of(11L, 0L), List.of(restored.getIdentical(), restored.differenceCount()));
        System.out.println("names round trip: 11 files backed up as " + blobNames + ", restored and verified identical");
    }

    /** A restore of a blob without Content-MD5: done and counted, but listed, and the run is not a plain success. */
    @Test
    void restore_blobWithoutContentMd5_completedWithProblemsListingItAsUnverified() throws IOException {
        Path site = allowed.resolve("unverified");
        Trees.mixed(site, 10, 0, 14);
        BackupRequest backup = BackupApp.request(site, "restore-unverified");
        harness().run(BackupSiteContent.NAME, backup);
        String first = blobs.getBlobContainerClient("restore-unverified").listBlobs().stream().findFirst().orElseThrow()
                .getName();
        blobs.getBlobContainerClient("restore-unverified").getBlobClient(first).setHttpHeaders(new BlobHttpHeaders());

        HarnessResult restore = harness().run(RestoreSiteContent.NAME, new RestoreRequest("restore-unverified",
                backup.getBlobPrefix(), allowed.resolve("unverified-restored").toString(), false, null));

        JobProgress status = json.readValue(restore.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase());
        assertEquals(List.of(10L, 0L, 0L, 1L), List.of(status.getFilesDone(), status.getProblemCount(),
                status.getFailureCount(), status.getWarningCount()));
        String path = first.substring(backup.getBlobPrefix().length() + 1);
        assertEquals(List.of(new com.contoso.sitebackup.fs.FileProblem(path, BlobRestorer.UNVERIFIED)),
                status.getProblems());
        assertEquals(status.getProblems(), new ProblemReport(blobs, BackupApp.MANIFEST_CONTAINER).read(status.getReport()));
    }

    @Test
    void restore_dotDotNameExistingFileCorruptedBlobAndLinkOutside_eachReportedNothingOutsideTouched(
            @TempDir Path outside) throws IOException {
        Path site = allowed.resolve("small");
        Trees.mixed(site, 20, 0, 12);
        BackupRequest backup = BackupApp.request(site, "restore-refusals");
        harness().run(BackupSiteContent.NAME, backup);
        BlobContainerClient container = blobs.getBlobContainerClient("restore-refusals");
        String prefix = backup.getBlobPrefix();
        container.getBlobClient(prefix + "/sub/../../../escape.txt").upload(BinaryData.fromString("escape"), true);
        List<String> listed = container.listBlobs().stream().map(b -> b.getName()).filter(n -> n.contains("escape")).toList();
        String corrupted = BackupAssertions.filesUnder(site).keySet().stream().filter(p -> p.endsWith(".txt")).findFirst().orElseThrow();
        byte[] originalMd5 = md5(Files.readAllBytes(site.resolve(corrupted)));
        // The content changes but the stored Content-MD5 stays the original's: a corrupted blob.
        container.getBlobClient(prefix + "/" + corrupted).upload(BinaryData.fromString("tampered"), true);
        container.getBlobClient(prefix + "/" + corrupted).setHttpHeaders(new BlobHttpHeaders().setContentMd5(originalMd5));
        Path target = Files.createDirectories(allowed.resolve("existing"));
        String existing = BackupAssertions.filesUnder(site).keySet().stream()
                .filter(p -> !p.equals(corrupted)).skip(3).findFirst().orElseThrow();
        Files.createDirectories(target.resolve(existing).getParent());
        Files.writeString(target.resolve(existing), "a newer local file");
        // A folder of the target is a link that leads outside it: nothing may be restored through it.
        assertTrue(!corrupted.startsWith("docs/") && !existing.startsWith("docs/"), corrupted + ", " + existing);
        Files.createSymbolicLink(target.resolve("docs"), outside);
        long throughTheLink = BackupAssertions.filesUnder(site).keySet().stream().filter(p -> p.startsWith("docs/")).count();

        HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-refusals", prefix, target.toString(), false, null));

        assertEquals("Completed", restore.runtimeStatus(), restore.failureMessage());
        JobProgress summary = json.readValue(restore.customStatus(), JobProgress.class);
        Map<String, String> problems = new java.util.TreeMap<>();
        new ProblemReport(blobs, BackupApp.MANIFEST_CONTAINER).read(summary.getReport())
                .forEach(p -> problems.put(p.getPath(), p.getReason()));
        assertEquals(summary.getProblemCount(), problems.size(), "the report names every problem the status counts");
        System.out.println("restore refusals: " + summary.getProblemCount() + " reported: " + problems
                + " (blob names with '..' as stored: " + listed + ")");
        assertEquals("a newer local file", Files.readString(target.resolve(existing)), "not overwritten");
        assertTrue(problems.get(existing).contains("not overwritten"), problems.toString());
        assertTrue(problems.get(corrupted).contains("corrupted"), problems.toString());
        assertFalse(Files.exists(target.resolve(corrupted)), "no corrupted file written");
        assertTrue(listed.stream().anyMatch(n -> n.contains("/../")), "the storage keeps the '..' name: " + listed);
        assertTrue(problems.keySet().stream().anyMatch(p -> p.contains("/../")
                && problems.get(p).contains("not a blob name a backup writes")), problems.toString());
        assertFalse(Files.exists(allowed.resolve("escape.txt")) || Files.exists(allowed.getParent().resolve("escape.txt")),
                "nothing written outside the target");
        try (Stream<Path> all = Files.walk(target)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains(".restoring-")), "no temporary file left");
        }
        assertTrue(problems.entrySet().stream().filter(e -> e.getKey().startsWith("docs/"))
                .allMatch(e -> e.getValue().equals("refused: 'docs' on the way: symbolic link, not followed; not replaced")),
                problems.toString());
        try (Stream<Path> entries = Files.list(outside)) {
            assertEquals(List.of(), entries.toList(), "nothing written through the link");
        }
        assertEquals(3 + throughTheLink, summary.getProblemCount(), problems.toString());
        assertEquals(20 - 2 - throughTheLink, summary.getFilesDone(), "every other file restored");
    }

    @Test
    void restore_duplicateDeliveriesAndFailedFirstAttempts_sameTreeNoProblemNoTemporary() throws IOException {
        Path site = allowed.resolve("faulty");
        long bytes = Trees.mixed(site, 250, 0, 13);
        BackupRequest backup = BackupApp.request(site, "restore-faults");
        assertEquals("Completed", harness().run(BackupSiteContent.NAME, backup).runtimeStatus());
        Path target = allowed.resolve("faulty-restored");
        DurableHarness.Faults faults = DurableHarness.Faults.none().withDuplicateDelivery()
                .withFailingAttempts((activity, input, attempt) -> activity.equals(RestoreBlobToFile.NAME) && attempt == 1
                        && Math.floorMod(input.hashCode(), 5) == 0);

        HarnessResult restore = BackupApp.harness(blobs, allowed, SLICE, faults).run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-faults", backup.getBlobPrefix(), target.toString(), false, null));

        assertEquals("Completed", restore.runtimeStatus(), restore.failureMessage());
        assertEquals(bytes, Long.parseLong(restore.output()));
        JobProgress status = json.readValue(restore.customStatus(), JobProgress.class);
        assertEquals(0, status.getProblemCount(), status.getProblems().toString());
        assertEquals(250, status.getFilesDone());
        assertTrue(restore.metrics().droppedDuplicates() > 0 && restore.metrics().injectedFailures() > 0,
                restore.metrics().summary());
        assertEquals(List.of(), restore.determinismViolations());
        VerifyReport check = verify(target, backup, true);
        assertEquals(List.of(250L, 0L), List.of(check.getIdentical(), check.differenceCount()));
        try (Stream<Path> all = Files.walk(target)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".restoring-")), "no temporary file left");
        }
        System.out.printf("restore under faults: %d files, %d bytes, 0 problems, verified identical by content; %s%n",
                status.getFilesDone(), bytes, restore.metrics().summary());
    }

    @Test
    void restore_targetOutsideAllowedRoots_failsCleanly(@TempDir Path elsewhere) throws IOException {
        HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-round-trip", "x", elsewhere.resolve("t").toString(), false, null));

        assertEquals("Completed", restore.runtimeStatus(), restore.failureMessage());
        JobProgress status = json.readValue(restore.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("is not a directory this app may write"), status.getMessage());
        assertFalse(Files.exists(elsewhere.resolve("t")));
    }

    private VerifyReport verify(Path directory, BackupRequest backup, boolean compareContent) throws IOException {
        HarnessResult result = harness().run(VerifyBackup.NAME, new BackupRequest(directory.toString(),
                backup.getContainer(), backup.getBlobPrefix(), null, null, false, compareContent, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return json.readValue(result.output(), VerifyReport.class);
    }

    /** Every regular file under {@code root} by its relative path's bytes (as encoded), with its content. */
    private static Map<String, String> sameTree(Path root) throws IOException {
        Map<String, String> found = new java.util.TreeMap<>();
        for (Path file : BackupAssertions.filesUnder(root).values()) {
            found.put(com.contoso.sitebackup.fs.PathCodec.encode(root.relativize(file)), Files.readString(file,
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return found;
    }

    private static byte[] md5(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private DurableHarness harness() {
        return BackupApp.harness(blobs, allowed, SLICE, DurableHarness.Faults.none());
    }

}
