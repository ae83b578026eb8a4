package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.restore.BlobRestorer;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.BackupAssertions;
import com.contoso.sitebackup.testing.SpecialFiles;
import com.contoso.sitebackup.testing.Trees;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back up real trees, restore them through the harness running every function of the app, and compare every entry
 * with what a restore must give back; then the refusals, the faults and the runs that must not end COMPLETED.
 */
@AzuriteTest
@Timeout(300)
class RestoreRoundTripTest {
    private static final int BATCH = 100;

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path allowed;

    /**
     * Issue 21, item 4: the default restore (no {@code snapshot}, no {@code asOf}) of a tree with links (relative,
     * absolute, dangling, to a folder), owners, a 0700 folder, an empty folder, ns mtimes and 1969 mtimes gives back
     * exactly what {@code cp -a} of the tree gives: every entry's type, mode, mtime to the nanosecond, link target,
     * owner and group (when the test runs as root) and bytes. A link's mtime is a whole microsecond here (this
     * version sets a link's own time with {@code lutimes}), and a 1969 mtime a whole second (Java cannot set a
     * fraction of a second before 1970; see the next test).
     */
    @Test
    void restore_byDefault_aTreeWithLinksOwnersModesEmptyFolderAndNsAnd1969Mtimes_exactlyWhatCpAGives()
            throws Exception {
        Path site = Files.createDirectories(allowed.resolve("exact"));
        long ns = 1_600_000_000_123_456_789L;
        long before1970 = Instant.parse("1969-07-20T20:17:40Z").getEpochSecond() * 1_000_000_000L;
        write(site.resolve("a.txt"), "alpha", "rw-r--r--", ns, 4321, 8765);
        write(site.resolve("tool.sh"), "#!/bin/sh\necho hi\n", "rwxr-x--x", ns + 1, 0, 0);
        write(site.resolve("moon.txt"), "one small step", "r--r-----", before1970, 1000, 1000);
        Files.createDirectories(site.resolve("private/deeper"));
        write(site.resolve("private/secret"), "s3cr3t", "rw-------", ns + 2, 1001, 1002);
        write(site.resolve("private/deeper/x"), "", "rw-rw-r--", ns + 3, 1001, 1002);
        Files.createDirectories(site.resolve("empty"));
        Files.createDirectories(site.resolve("old-folder"));
        write(site.resolve("old-folder/f"), "from the sixties", "rw-r--r--", before1970 - 7_000_000_000L, 0, 0);
        link(site.resolve("rel"), "a.txt", 1_600_000_000_123_456_000L, 4321, 8765);
        link(site.resolve("abs"), "/etc/passwd", 1_500_000_000_000_001_000L, 0, 0);
        link(site.resolve("dangling"), "no/such/target", 1_400_000_000_999_999_000L, 7, 8);
        link(site.resolve("private/to-folder"), "../empty", 1_300_000_000_000_000_000L, 1001, 1002);
        folder(site.resolve("private/deeper"), "rwxr-xr-x", ns + 4, 1001, 1002);
        folder(site.resolve("private"), "rwx------", ns + 5, 1001, 1002);
        folder(site.resolve("empty"), "rwxr-x--x", ns + 6, 4321, 8765);
        folder(site.resolve("old-folder"), "rwxr-xr-x", before1970 - 8_000_000_000L, 0, 0);
        Path copied = allowed.resolve("cp-a");
        Process cp = new ProcessBuilder("cp", "-a", site.toString(), copied.toString()).inheritIO().start();
        assertEquals(0, cp.waitFor());
        Map<String, String> expected = entries(copied);
        assertEquals(entries(site), expected, "cp -a copies the tree exactly (the reference)");
        BackupRequest backup = BackupApp.request(site, "restore-exact");
        JobProgress backedUp = status(harness().run(BackupSiteContent.NAME, backup));
        assertEquals(JobProgress.Phase.COMPLETED, backedUp.getPhase(), backedUp.getMessage() + " " + backedUp.getProblems());

        Path target = allowed.resolve("restored");
        HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-exact", backup.getBlobPrefix(), target.toString(), false, null));

        JobProgress status = status(restore);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase(), restore.customStatus());
        assertEquals(backedUp.getSnapshot(), status.getSnapshot(), "the latest snapshot");
        Map<String, String> restored = entries(target);
        System.out.println("exact restore: " + restored.size() + " entries compared with cp -a" + (canChown()
                ? ", owners included" : "") + ": " + restored);
        assertEquals(expected, restored);
        VerifyReport verified = verify(target, backup, true);
        assertEquals(0, verified.differenceCount(), verified.listedDifferences().toString());
        assertEquals(restored.size(), verified.getIdentical(), "a verify of the restored tree: every entry identical");
    }

    /**
     * A file whose mtime is before 1970 with a fraction of a second (set with {@code touch}: Java cannot set one):
     * backed up exactly; restored either exactly, or to its whole second with a warning that says so, never to the
     * epoch and never silently (Java 17 passes the kernel a negative fraction, is refused, and sets 1970-01-01).
     */
    @Test
    void restore_fileWithAFractional1969Mtime_exactOrToTheSecondWithAWarningNeverSilent() throws Exception {
        Path site = Files.createDirectories(allowed.resolve("apollo"));
        Files.writeString(site.resolve("apollo.txt"), "the eagle has landed");
        Process touch = new ProcessBuilder("touch", "-d", "@-14182939.876543211", site.resolve("apollo.txt").toString())
                .inheritIO().start();
        assertEquals(0, touch.waitFor());
        long recorded = Files.getLastModifiedTime(site.resolve("apollo.txt")).to(TimeUnit.NANOSECONDS);
        assertEquals(-14_182_939_876_543_211L, recorded);
        BackupRequest backup = BackupApp.request(site, "restore-apollo");
        assertEquals(JobProgress.Phase.COMPLETED, status(harness().run(BackupSiteContent.NAME, backup)).getPhase());

        Path target = allowed.resolve("apollo-restored");
        JobProgress status = status(harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-apollo", backup.getBlobPrefix(), target.toString(), false, null)));

        long restored = Files.getLastModifiedTime(target.resolve("apollo.txt")).to(TimeUnit.NANOSECONDS);
        System.out.println("1969-07-20T20:17:40.123456789Z (" + recorded + " ns) restored as " + restored + " ns: "
                + status.getPhase() + " " + status.getProblems());
        assertEquals("the eagle has landed", Files.readString(target.resolve("apollo.txt")));
        if (restored == recorded) {
            assertEquals(JobProgress.Phase.COMPLETED, status.getPhase());
        } else {
            assertEquals(Math.floorDiv(recorded, 1_000_000_000L) * 1_000_000_000L, restored, "to its whole second");
            assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase());
            assertEquals(List.of(new FileProblem("apollo.txt", "restored with its mtime before 1970 to the second only"
                    + " (recorded 1969-07-20T20:17:40.123456789Z, set 1969-07-20T20:17:40Z)")), status.getProblems());
        }
    }

    /**
     * Issue 21, item 5: a snapshot whose backup could not store an entry (a socket, which a backup does not record)
     * records it as missing; a restore of it names it, in the status and the report, restores the rest, and does not
     * end COMPLETED. Since issue 26 a named pipe and a path too long for a blob name are stored: both come back.
     */
    @Test
    void restore_snapshotMissingASocket_namesItNotCompleted_andRestoresAFifoAndAnOverLongPath() throws Exception {
        Path site = Files.createDirectories(allowed.resolve("special"));
        Files.writeString(site.resolve("plain.txt"), "plain");
        SpecialFiles.fifo(site.resolve("pipe"));
        Path deep = site;
        for (int i = 0; i < 5; i++) {
            deep = deep.resolve(String.valueOf((char) ('a' + i)).repeat(220));
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("too-long.txt"), "a blob name over 1,024 characters");
        String longPath = PathCodec.encode(site.relativize(deep.resolve("too-long.txt")));
        try (java.nio.channels.ServerSocketChannel socket = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(site.resolve("socket")));
            BackupRequest backup = BackupApp.request(site, "restore-special");
            JobProgress backedUp = status(harness().run(BackupSiteContent.NAME, backup));
            assertNotEquals(JobProgress.Phase.COMPLETED, backedUp.getPhase(), "the snapshot lacks the socket");

            Path target = allowed.resolve("special-restored");
            HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                    new RestoreRequest("restore-special", backup.getBlobPrefix(), target.toString(), false, null));

            JobProgress status = status(restore);
            assertEquals("Completed", restore.runtimeStatus(), restore.failureMessage());
            assertNotEquals(JobProgress.Phase.COMPLETED, status.getPhase());
            Map<String, String> reported = new TreeMap<>();
            new ProblemReport(blobs, BackupApp.MANIFEST_CONTAINER).read(status.getReport())
                    .forEach(p -> reported.put(p.getPath(), p.getReason()));
            System.out.println("restore of a snapshot missing a socket, with a FIFO and a " + longPath.length()
                    + "-character path: " + status.getPhase() + ", " + status.getProblemCount() + " problems: "
                    + reported);
            assertEquals(List.of("socket"), List.copyOf(reported.keySet()), reported.toString());
            assertTrue(reported.get("socket").startsWith("not in the snapshot: "), reported.toString());
            assertTrue(reported.get("socket").endsWith("; not restored"), reported.toString());
            assertEquals(reported.size(), status.getProblemCount(), "the status counts what the report names");
            assertEquals(List.of("socket"), status.getProblems().stream().map(FileProblem::getPath).toList());
            assertEquals("plain", Files.readString(target.resolve("plain.txt")));
            assertFalse(Files.exists(target.resolve("socket"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.readAttributes(target.resolve("pipe"), java.nio.file.attribute.PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).isOther(), "the FIFO is made again");
            assertEquals("a blob name over 1,024 characters", Files.readString(target.resolve(longPath)));
        }
    }

    /**
     * Issue 21, item 6: run 1 stores log.txt; in run 2 the file keeps changing while it is copied, so every attempt
     * fails. Run 2 does not end COMPLETED, and its snapshot keeps run 1's content with a note: the default restore of
     * it (the latest) gives run 1's bytes back, and says so with a warning naming the note.
     */
    @Test
    void restore_latestAfterAnAppenderRun_theLastGoodBytesWithAWarningNamingTheNote() throws Exception {
        Path site = Files.createDirectories(allowed.resolve("appender"));
        // Larger than the staging budget: read and staged in blocks, so every copy attempt sees appends meanwhile. (A
        // file read whole takes a few milliseconds, and an attempt in which the appender did not run stores a
        // consistent version, rightly.)
        byte[] first = new byte[com.contoso.sitebackup.backup.BlockStaging.BUDGET + (1 << 20)];
        new java.util.Random(5).nextBytes(first);
        Files.write(site.resolve("log.txt"), first);
        Files.writeString(site.resolve("steady.txt"), "steady");
        BackupRequest backup = BackupApp.request(site, "restore-appender");
        JobProgress run1 = status(harness().run(BackupSiteContent.NAME, backup));
        assertEquals(JobProgress.Phase.COMPLETED, run1.getPhase(), run1.getMessage());

        AtomicBoolean appending = new AtomicBoolean(true);
        AtomicLong appended = new AtomicLong();
        Thread appender = new Thread(() -> {
            try (OutputStream log = Files.newOutputStream(site.resolve("log.txt"), StandardOpenOption.APPEND)) {
                while (appending.get()) {
                    log.write('x');
                    log.flush();
                    appended.incrementAndGet();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "appender");
        appender.start();
        JobProgress run2;
        try {
            run2 = status(harness().run(BackupSiteContent.NAME, backup));
        } finally {
            appending.set(false);
            appender.join();
        }
        System.out.println("appender run: " + appended.get() + " bytes appended during run 2; run 2 "
                + run2.getPhase() + ": " + run2.getMessage());
        assertNotEquals(JobProgress.Phase.COMPLETED, run2.getPhase(), "run 2 could not store log.txt");
        assertNotEquals(run1.getSnapshot(), run2.getSnapshot());

        Path target = allowed.resolve("appender-restored");
        HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-appender", backup.getBlobPrefix(), target.toString(), false, null));

        JobProgress status = status(restore);
        assertEquals(run2.getSnapshot(), status.getSnapshot(), "the latest snapshot is run 2's");
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, status.getPhase(), restore.customStatus());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(target.resolve("log.txt"))),
                "run 1's bytes of log.txt");
        assertEquals("steady", Files.readString(target.resolve("steady.txt")));
        assertEquals(List.of(2L, 1L, 0L), List.of(status.getFilesDone(), status.getWarningCount(),
                status.getProblemCount()));
        FileProblem warning = status.getProblems().get(0);
        System.out.println("restore of the latest snapshot after the appender run: " + warning);
        assertEquals("log.txt", warning.getPath());
        assertTrue(warning.getReason().startsWith(BlobRestorer.OLDER_VERSION + "not stored by this run"),
                warning.getReason());
    }

    /**
     * Issue 21, item 8: a restore of a prefix that was never backed up, or of a snapshot that holds nothing (the
     * backup of an empty folder), ends FAILED saying why, never COMPLETED with 0 files.
     */
    @Test
    void restore_prefixWithNoSnapshotOrASnapshotHoldingNothing_failedSayingWhy() throws IOException {
        Path emptySite = Files.createDirectories(allowed.resolve("empty-site"));
        BackupRequest backup = BackupApp.request(emptySite, "restore-nothing");
        JobProgress backedUp = status(harness().run(BackupSiteContent.NAME, backup));

        JobProgress nothing = status(harness().run(RestoreSiteContent.NAME, new RestoreRequest("restore-nothing",
                backup.getBlobPrefix(), allowed.resolve("t1").toString(), false, null)));
        JobProgress neverBackedUp = status(harness().run(RestoreSiteContent.NAME, new RestoreRequest("restore-nothing",
                "never/backed/up", allowed.resolve("t2").toString(), false, null)));

        System.out.println("restore of nothing: " + nothing.getPhase() + " (" + nothing.getMessage() + "); of a prefix"
                + " never backed up: " + neverBackedUp.getPhase() + " (" + neverBackedUp.getMessage() + ")");
        assertEquals(JobProgress.Phase.FAILED, nothing.getPhase());
        assertEquals("Restore not started: snapshot " + backedUp.getSnapshot() + " of container 'restore-nothing',"
                + " prefix '" + backup.getBlobPrefix() + "' holds nothing to restore", nothing.getMessage());
        assertEquals(JobProgress.Phase.FAILED, neverBackedUp.getPhase());
        assertEquals("Restore not started: snapshot 'latest': container 'restore-nothing', prefix 'never/backed/up'"
                + " has no snapshot yet", neverBackedUp.getMessage());
        assertFalse(Files.exists(allowed.resolve("t1")) || Files.exists(allowed.resolve("t2")), "nothing created");
    }

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
        Map<String, String> tree = new TreeMap<>(Map.of(
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

        JobProgress backupStatus = status(backedUp);
        assertEquals(JobProgress.Phase.COMPLETED, backupStatus.getPhase(), backedUp.customStatus());
        assertEquals(11, backupStatus.getFilesDone());
        List<String> blobNames = blobs.getBlobContainerClient("restore-names").listBlobs().stream()
                .map(b -> b.getName().substring(backup.getBlobPrefix().length() + 1)).toList();
        assertEquals(List.of("100%25.txt", "a%255Cb.txt", "a%5Cb.txt", "a/b.txt", "back%5Cslash.txt", "caf%E9",
                "dot%2E", "dots.%2E/end%2E", "new%0Aline", "plain.txt", "tab%09here"), blobNames);
        JobProgress secondStatus = status(again);
        assertEquals(List.of(0L, 11L), List.of(secondStatus.getFilesPlanned(), secondStatus.getFilesUnchanged()),
                "an unchanged tree uploads nothing again");
        JobProgress restoreStatus = status(restore);
        assertEquals(JobProgress.Phase.COMPLETED, restoreStatus.getPhase(), restore.customStatus());
        assertEquals(sameTree(site), sameTree(target), "the restored tree, names as bytes and contents");
        VerifyReport original = verify(site, backup, true);
        VerifyReport restored = verify(target, backup, true);
        assertEquals(List.of(13L, 0L), List.of(original.getIdentical(), original.differenceCount()),
                "11 files and the folders a and dots..");
        assertEquals(List.of(13L, 0L), List.of(restored.getIdentical(), restored.differenceCount()));
        System.out.println("names round trip: 11 files backed up as " + blobNames + ", restored and verified identical");
    }

    /**
     * An existing local file, content that no longer matches the snapshot's MD5, and a folder of the target that is
     * a link leading outside: each file named in the status and the report, nothing written through the link or
     * outside the target, no temporary file left, every other file restored.
     */
    @Test
    void restore_existingFileCorruptedContentAndLinkOutside_eachReportedNothingOutsideTouched(@TempDir Path outside)
            throws IOException {
        Path site = allowed.resolve("small");
        Trees.mixed(site, 20, 0, 12);
        BackupRequest backup = BackupApp.request(site, "restore-refusals");
        harness().run(BackupSiteContent.NAME, backup);
        BlobContainerClient container = blobs.getBlobContainerClient("restore-refusals");
        String prefix = backup.getBlobPrefix();
        String corrupted = BackupAssertions.filesUnder(site).keySet().stream()
                .filter(p -> p.endsWith(".txt") && !p.startsWith("docs/")).findFirst().orElseThrow();
        // The content changes under the same run's tag: what the snapshot names, but not the bytes it recorded.
        BlobClient blob = container.getBlobClient(prefix + "/" + PathCodec.encode(corrupted));
        Map<String, String> tags = blob.getProperties().getMetadata();
        assertTrue(tags.containsKey(StoredBlob.RUN), tags.toString());
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString("tampered")).setMetadata(tags),
                null, null);
        Path target = Files.createDirectories(allowed.resolve("existing"));
        String existing = BackupAssertions.filesUnder(site).keySet().stream()
                .filter(p -> !p.equals(corrupted) && !p.startsWith("docs/")).skip(3).findFirst().orElseThrow();
        Files.createDirectories(target.resolve(existing).getParent());
        Files.writeString(target.resolve(existing), "a newer local file");
        // A folder of the target is a link that leads outside it: nothing may be restored through it.
        Files.createSymbolicLink(target.resolve("docs"), outside);
        long filesThroughTheLink = BackupAssertions.filesUnder(site).keySet().stream().filter(p -> p.startsWith("docs/"))
                .count();
        long foldersThroughTheLink;
        try (Stream<Path> all = Files.walk(site.resolve("docs"))) {
            foldersThroughTheLink = all.filter(Files::isDirectory).count();
        }

        HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-refusals", prefix, target.toString(), false, null));

        assertEquals("Completed", restore.runtimeStatus(), restore.failureMessage());
        JobProgress summary = status(restore);
        Map<String, String> problems = new TreeMap<>();
        new ProblemReport(blobs, BackupApp.MANIFEST_CONTAINER).read(summary.getReport())
                .forEach(p -> problems.put(p.getPath(), p.getReason()));
        System.out.println("restore refusals: " + summary.getProblemCount() + " reported: " + problems);
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, summary.getPhase());
        assertEquals(summary.getProblemCount(), problems.size(), "the report names every problem the status counts");
        assertEquals("a newer local file", Files.readString(target.resolve(existing)), "not overwritten");
        assertTrue(problems.get(PathCodec.encode(existing)).contains("not overwritten"), problems.toString());
        assertTrue(problems.get(PathCodec.encode(corrupted)).startsWith("corrupted"), problems.toString());
        assertFalse(Files.exists(target.resolve(corrupted)), "no corrupted file written");
        assertTrue(problems.entrySet().stream().filter(e -> e.getKey().startsWith("docs"))
                .allMatch(e -> e.getValue().startsWith("refused: 'docs' on the way: symbolic link, not followed;")),
                problems.toString());
        try (Stream<Path> entries = Files.list(outside)) {
            assertEquals(List.of(), entries.toList(), "nothing written through the link");
        }
        assertEquals(List.of(), temporaries(target));
        assertEquals(2 + filesThroughTheLink + foldersThroughTheLink, summary.getProblemCount(), problems.toString());
        assertEquals(20 - 2 - filesThroughTheLink, summary.getFilesDone(), "every other file restored");
    }

    /**
     * Every activity delivered twice, a fifth of the batches failing their first attempt, batches of 10: the same
     * tree, no problem, no temporary file, verified identical by content.
     */
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

        HarnessResult restore = BackupApp.harness(blobs, allowed, 10, faults).run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-faults", backup.getBlobPrefix(), target.toString(), false, null));

        assertEquals("Completed", restore.runtimeStatus(), restore.failureMessage());
        assertEquals(bytes, Long.parseLong(restore.output()));
        JobProgress status = status(restore);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase(), status.getProblems().toString());
        assertEquals(250, status.getFilesDone());
        assertTrue(restore.metrics().droppedDuplicates() > 0 && restore.metrics().injectedFailures() > 0,
                restore.metrics().summary());
        assertEquals(List.of(), restore.determinismViolations());
        VerifyReport check = verify(target, backup, true);
        assertEquals(0, check.differenceCount(), check.listedDifferences().toString());
        assertEquals(List.of(), temporaries(target));
        System.out.printf("restore under faults: %d files, %d bytes, 0 problems, verified identical by content; %s%n",
                status.getFilesDone(), bytes, restore.metrics().summary());
    }

    @Test
    void restore_targetOutsideAllowedRoots_failsCleanly(@TempDir Path elsewhere) throws IOException {
        HarnessResult restore = harness().run(RestoreSiteContent.NAME,
                new RestoreRequest("restore-round-trip", "x", elsewhere.resolve("t").toString(), false, null));

        assertEquals("Completed", restore.runtimeStatus(), restore.failureMessage());
        JobProgress status = status(restore);
        assertEquals(JobProgress.Phase.FAILED, status.getPhase());
        assertTrue(status.getMessage().contains("is not a directory this app may write"), status.getMessage());
        assertFalse(Files.exists(elsewhere.resolve("t")));
    }

    private JobProgress status(HarnessResult result) throws IOException {
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return json.readValue(result.customStatus(), JobProgress.class);
    }

    private VerifyReport verify(Path directory, BackupRequest backup, boolean compareContent) throws IOException {
        HarnessResult result = harness().run(VerifyBackup.NAME, new VerifyRequest(directory.toString(),
                backup.getContainer(), backup.getBlobPrefix(), null, null, compareContent, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        return json.readValue(result.output(), VerifyReport.class);
    }

    private static boolean canChown() {
        return SecureDirectory.canSetOwner();
    }

    private static void write(Path file, String content, String mode, long mtimeNanos, int uid, int gid)
            throws IOException {
        Files.writeString(file, content);
        if (canChown()) {
            Files.setAttribute(file, "unix:uid", uid);
            Files.setAttribute(file, "unix:gid", gid);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        Files.setLastModifiedTime(file, FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS));
    }

    /** Sets a folder's attributes once everything inside it is made. */
    private static void folder(Path folder, String mode, long mtimeNanos, int uid, int gid) throws IOException {
        if (canChown()) {
            Files.setAttribute(folder, "unix:uid", uid);
            Files.setAttribute(folder, "unix:gid", gid);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(mode));
        Files.setLastModifiedTime(folder, FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS));
    }

    private static void link(Path link, String target, long mtimeNanos, int uid, int gid) throws IOException {
        Files.createSymbolicLink(link, Path.of(target));
        if (canChown()) {
            Files.setAttribute(link, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(link, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), null, null);
    }

    /**
     * Every entry below {@code root} (not the root itself), never following a link: its type, mode, mtime in ns,
     * owner and group when the test runs as root, and a file's bytes (hex) or a link's target.
     */
    private static Map<String, String> entries(Path root) throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path entry : all.filter(p -> !p.equals(root)).toList()) {
                Map<String, Object> unix = Files.readAttributes(entry, "unix:mode,uid,gid,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                String what;
                if (Files.isSymbolicLink(entry)) {
                    what = "link -> " + Files.readSymbolicLink(entry);
                } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    what = "folder " + Integer.toOctalString((Integer) unix.get("mode") & 07777);
                } else {
                    what = "file " + Integer.toOctalString((Integer) unix.get("mode") & 07777) + " "
                            + HexFormat.of().formatHex(Files.readAllBytes(entry));
                }
                long mtime = ((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
                found.put(root.relativize(entry).toString(), what + " @" + mtime
                        + (canChown() ? " " + unix.get("uid") + ":" + unix.get("gid") : ""));
            }
        }
        return found;
    }

    private static List<Path> temporaries(Path target) throws IOException {
        try (Stream<Path> all = Files.walk(target)) {
            return all.filter(p -> p.getFileName().toString().startsWith(TemporaryFile.PREFIX)).toList();
        }
    }

    /** Every regular file under {@code root} by its relative path's bytes (as encoded), with its content. */
    private static Map<String, String> sameTree(Path root) throws IOException {
        Map<String, String> found = new TreeMap<>();
        for (Path file : BackupAssertions.filesUnder(root).values()) {
            found.put(PathCodec.encode(root.relativize(file)), Files.readString(file, StandardCharsets.ISO_8859_1));
        }
        return found;
    }

    private DurableHarness harness() {
        return BackupApp.harness(blobs, allowed, BATCH, DurableHarness.Faults.none());
    }
}
