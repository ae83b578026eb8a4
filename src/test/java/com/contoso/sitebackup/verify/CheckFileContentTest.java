package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.CountingRequests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CheckFileContent activity on batches of a real manifest: it reads the files and compares them with the MD5 the
 * snapshot recorded; no backup blob is ever read.
 */
@AzuriteTest
@Timeout(120)
class CheckFileContentTest {
    @TempDir
    Path tmp;

    private final BlobServiceClient service = Azurite.shared().client();
    private Path root;
    private AppServices services;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        services = BackupApp.services(service, root, 256);
    }

    private static String md5(String content) throws NoSuchAlgorithmException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A verify's manifest of {@code entries} to check under {@code directory}, as the comparison writes it. */
    private JobPlan plan(String directory, List<FileEntry> entries) {
        ManifestWriter writer = ManifestStore.from(services).writer(new VerifyJob(directory,
                "reports/check-" + UUID.randomUUID() + ".jsonl"), directory,
                new ProblemLog(ProblemReport.from(services), null, "listing", 0));
        entries.forEach(writer::add);
        return writer.finish();
    }

    /** Batch {@code batch} of {@code plan} checked by {@code activity}, its input JSON-encoded again as the worker does. */
    private static BatchOutcome check(CheckFileContent activity, JobPlan plan, int batch) {
        String input = Wire.write(new BatchWork(CodeVersion.CURRENT, plan.manifest(), BatchWork.whole(batch, batch + 1),
                1, false));
        return Wire.read(activity.run(new Gson().toJson(input)), BatchOutcome.class, "the outcome");
    }

    @Test
    void constructor_nullComparer_throws() {
        assertThrows(NullPointerException.class, () -> new CheckFileContent(new BatchRunner<>(CheckFileContent.NAME,
                VerifyJob.class, FileEntry.class, FileEntry::getPath, ManifestStore.from(services),
                ProblemReport.from(services), services.transfers()), null));
    }

    /**
     * Issue 22: a batch holds many files. 600 files to check make 3 batches (256, 256, 88), not 600; one activity
     * checks all 256 files of its batch, same and different content told apart, and reads nothing but the manifest.
     */
    @Test
    void run_aBatchOfManyFiles_oneActivityChecksEveryFileOfItWithoutReadingAnyBackupBlob() throws Exception {
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String name = String.format("f%03d", i);
            Files.writeString(root.resolve(name), "content " + i);
            entries.add(new FileEntry(name, Files.size(root.resolve(name)), 0)
                    .withContentMd5(md5(i % 100 == 7 ? "other content" : "content " + i)));
        }
        JobPlan plan = plan(root.toString(), entries);
        CountingRequests requests = new CountingRequests();
        AppServices counted = BackupApp.services(requests.client(), root, 256);
        CheckFileContent activity = new CheckFileContent(counted);

        BatchOutcome first = check(activity, plan, 0);

        assertEquals(List.of(3, 600L), List.of(plan.batchCount(), plan.filesPlanned()), "batches of 256 files");
        assertEquals(List.of(253L, 3L, 0L), List.of(first.filesDone(), first.problemCount(), first.failureCount()),
                first.toString());
        assertEquals(List.of(new FileProblem("f007", "content differs (MD5)"), new FileProblem("f107",
                "content differs (MD5)"), new FileProblem("f207", "content differs (MD5)")), first.problems());
        System.out.printf("verify by content: 600 files in %d batches; the first batch checked %d files in one"
                + " activity%n", plan.batchCount(), first.filesDone() + first.problemCount());
        assertTrue(requests.to(BackupApp.MANIFEST_CONTAINER).size() > 0, "the activity reads its manifest");
        assertEquals(requests.to(BackupApp.MANIFEST_CONTAINER), requests.all(), "and nothing else");
    }

    /** Issue 10: CheckFileContent answered MD5 questions about any file. Outside the read roots it answers nothing. */
    @Test
    void run_fileOutsideTheReadRootsOrThroughALink_refusedTheSameWhateverTheContent() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "guess");
        Files.createSymbolicLink(root.resolve("link"), outside);
        CheckFileContent activity = new CheckFileContent(services);
        for (String guess : List.of("guess", "wrong")) {
            FileEntry entry = new FileEntry("secret", 5, 0).withContentMd5(md5(guess));
            BatchOutcome direct = check(activity, plan(outside.toString(), List.of(entry)), 0);
            assertEquals("refused: rootDirectory '" + outside + "' is not a directory this app may read (it must be a"
                    + " folder under one of the configured read roots, reached without symbolic links)",
                    direct.problems().get(0).getReason());
            BatchOutcome viaLink = check(activity, plan(root.toString(), List.of(new FileEntry("link/secret", 5, 0)
                    .withContentMd5(md5(guess)))), 0);
            assertEquals("not readable here: symbolic link, not followed", viaLink.problems().get(0).getReason());
        }
    }

    @Test
    void run_pathOrMd5NotWellFormed_refused() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        BatchOutcome outcome = check(new CheckFileContent(services), plan(root.toString(), List.of(
                new FileEntry("../a.txt", 1, 0).withContentMd5(md5("a")),
                new FileEntry("a.txt", 1, 0).withContentMd5("YQ==="))), 0);

        assertEquals(2, outcome.problemCount());
        assertTrue(outcome.problems().get(0).getReason().startsWith("refused: '../a.txt' is not an encoded file name"),
                outcome.problems().toString());
        assertTrue(outcome.problems().get(1).getReason().startsWith("refused: "), outcome.problems().toString());
    }
}
