package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
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
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.CountingRequests;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The RestoreBlobToFile activity on batches of a real manifest, its input as the Java worker hands it, on Azurite. */
@AzuriteTest
@Timeout(120)
class RestoreBlobToFileTest {
    private static final String RUN = "20261201T100000.000Z";
    private static final long MTIME = 1_610_000_000_123_456_789L;

    @TempDir
    Path allowed;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "restore-fn-" + UUID.randomUUID().toString().substring(0, 8);
    private AppServices services;
    private HandMadeSnapshot snapshot;
    private Path target;

    @BeforeEach
    void setUp() {
        services = BackupApp.services(service, allowed, Settings.DEFAULT_BATCH_FILES);
        snapshot = HandMadeSnapshot.ofRun(service, container, "p", BackupApp.MANIFEST_CONTAINER, RUN);
        target = allowed.resolve("target");
    }

    /** A restore's manifest of {@code entries} into {@code into}, as the listing writes it: its plan. */
    private JobPlan plan(String into, List<FileEntry> entries) {
        ManifestStore manifests = ManifestStore.from(services);
        ManifestWriter writer = manifests.writer(new RestoreJob(into, container, "p", RUN, false,
                "reports/restore-fn-" + UUID.randomUUID() + ".jsonl"), into,
                new ProblemLog(ProblemReport.from(services), null, "listing", 0));
        entries.forEach(writer::add);
        return writer.finish();
    }

    /** The input of the activity for every file of batch 0, as the worker hands a String input: JSON-encoded again. */
    private static String bound(JobPlan plan, int attempt, boolean last) {
        return new Gson().toJson(Wire.write(new BatchWork(CodeVersion.CURRENT, plan.manifest(), BatchWork.whole(0, 1),
                attempt, last)));
    }

    private static BatchOutcome outcome(String json) {
        return Wire.read(json, BatchOutcome.class, "the outcome");
    }

    @Test
    void constructor_nullRestorer_throws() {
        assertThrows(NullPointerException.class, () -> new RestoreBlobToFile(new BatchRunner<>(RestoreBlobToFile.NAME,
                RestoreJob.class, FileEntry.class, FileEntry::getPath, ManifestStore.from(services),
                ProblemReport.from(services), services.transfers()), null));
    }

    /**
     * One activity restores a whole batch: 200 files in 5 folders, each with its bytes, mode and ns mtime, from one
     * Download each; nothing else is asked of the backup's container.
     */
    @Test
    void run_aBatchOfManyFiles_everyFileRestoredFromOneRequestEach() throws IOException {
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(snapshot.file("d" + i % 5 + "/f" + i, "bytes of " + i, 0640, MTIME + i));
        }
        JobPlan plan = plan(target.toString(), entries);
        CountingRequests requests = new CountingRequests();
        RestoreBlobToFile activity = new RestoreBlobToFile(new BatchRunner<>(RestoreBlobToFile.NAME, RestoreJob.class,
                FileEntry.class, FileEntry::getPath, ManifestStore.from(services), ProblemReport.from(services),
                services.transfers()), new BlobRestorer(requests.client(), services.writeRoots(),
                BackupApp.MANIFEST_CONTAINER));

        BatchOutcome outcome = outcome(activity.run(bound(plan, 1, false)));

        assertEquals(1, plan.batchCount());
        assertEquals(List.of(200L, 0L, 0L), List.of(outcome.filesDone(), outcome.problemCount(), outcome.failureCount()),
                outcome.toString());
        for (int i = 0; i < 200; i++) {
            Path file = target.resolve("d" + i % 5 + "/f" + i);
            assertEquals("bytes of " + i, Files.readString(file));
            assertEquals(MTIME + i, Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS));
        }
        assertEquals(200, requests.to(container).size(), "one request per file");
        System.out.printf("a batch of 200 small files: %d requests to the backup's container%n",
                requests.to(container).size());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void run_absoluteOrDotDotNameInTheBatch_problemNamingItTheOthersRestored() throws IOException {
        FileEntry good = snapshot.file("x/a.txt", "restored by the activity", 0644, MTIME);
        FileEntry absolute = new FileEntry("/etc/a.txt", 1, 1).withVersion(RUN, good.getContentMd5());
        FileEntry up = new FileEntry("../a.txt", 1, 1).withVersion(RUN, good.getContentMd5());
        JobPlan plan = plan(target.toString(), List.of(absolute, good, up));

        BatchOutcome outcome = outcome(new RestoreBlobToFile(services).run(bound(plan, 1, false)));

        assertEquals(List.of(1L, 2L, 0L), List.of(outcome.filesDone(), outcome.problemCount(), outcome.failureCount()));
        assertTrue(outcome.problems().get(0).getReason().startsWith("refused: '/etc/a.txt' is not an encoded file name"),
                outcome.problems().toString());
        assertEquals("../a.txt", outcome.problems().get(1).getPath());
        assertEquals("restored by the activity", Files.readString(target.resolve("x/a.txt")));
        assertFalse(Files.exists(Path.of("/etc/a.txt")));
        assertFalse(Files.exists(allowed.resolve("a.txt")));
    }

    /** A batch into an outside {@code etc/cron.d} (a job card written by hand): every file refused, nothing written. */
    @Test
    void run_targetOutsideTheAppsWriteRoots_everyFileRefusedNothingWritten(@TempDir Path outside) throws IOException {
        Path cron = Files.createDirectories(outside.resolve("etc/cron.d"));
        JobPlan plan = plan(cron.toString(), List.of(snapshot.file("a", "a", 0644, MTIME),
                snapshot.file("b", "b", 0644, MTIME)));

        BatchOutcome outcome = outcome(new RestoreBlobToFile(services).run(bound(plan, 1, false)));

        assertEquals(List.of(0L, 2L), List.of(outcome.filesDone(), outcome.problemCount()));
        assertEquals("refused: targetDirectory '" + cron + "' is not a directory this app may write (it must be a"
                + " folder under one of the configured write roots, reached without symbolic links)",
                outcome.problems().get(0).getReason());
        assertEquals(List.of("a", "b"), outcome.problems().stream().map(FileProblem::getPath).toList());
        assertEquals(List.of(), Files.list(cron).toList());
    }

    /**
     * Two deliveries of the same input at the same time (a duplicate delivery) in this process: each restores or hands
     * back every file, none is a problem; after the next round every file holds its bytes and no temporary file is
     * left.
     */
    @Test
    void run_twoDeliveriesOfOneInputAtOnce_bothRestoreEveryFileNoTemporaryLeft() throws Exception {
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            entries.add(snapshot.file("d/f" + i, "bytes of " + i, 0644, MTIME));
        }
        JobPlan plan = plan(target.toString(), entries);
        RestoreBlobToFile activity = new RestoreBlobToFile(services);
        String input = bound(plan, 1, false);

        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> activity.run(input));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> activity.run(input));

        for (BatchOutcome outcome : List.of(outcome(first.get()), outcome(second.get()))) {
            // A file caught between the other delivery's claim and its rename is handed back for the next round.
            long handedBack = outcome.retry().stream().mapToLong(p -> p.positions().size()).sum();
            assertEquals(60, outcome.filesDone() + handedBack, outcome.toString());
            assertEquals(List.of(0L, 0L), List.of(outcome.problemCount(), outcome.failureCount()), outcome.toString());
        }
        // A file both deliveries handed back (each caught the other's claim) is restored by the next round, as the
        // fan-out runs it; one more delivery of the input stands for that round. (The test failed in CI when it
        // expected every file after the two: f5 had been handed back by both.)
        BatchOutcome next = outcome(activity.run(input));
        assertEquals(60, next.filesDone(), next.toString());
        for (int i = 0; i < 60; i++) {
            assertEquals("bytes of " + i, Files.readString(target.resolve("d/f" + i)));
        }
        assertEquals(List.of(), temporaries());
    }

    /**
     * A folder the file system fails to open for a moment: the batch's files are handed back for the next round (not
     * problems); on the last attempt they are failures, named with the error; a round that works restores them.
     */
    @Test
    void run_folderFailingForAMoment_handedBackThenRestoredAndFailureOnlyOnTheLastAttempt() throws IOException {
        JobPlan plan = plan(target.toString(), List.of(snapshot.file("d/a", "a", 0644, MTIME),
                snapshot.file("d/b", "b", 0644, MTIME)));
        SecureRoots roots = spy(services.writeRoots());
        boolean[] failing = {true};
        doAnswer(call -> {
            SecureDirectory opened = spy((SecureDirectory) call.callRealMethod());
            if (failing[0]) {
                doThrow(new FileSystemException("d", null, "no handle to work through (/proc/self/fd); nothing done"))
                        .when(opened).openOrCreateDirectories(any());
            }
            return opened;
        }).when(roots).openOrCreate(anyString(), anyString());
        RestoreBlobToFile activity = new RestoreBlobToFile(new BatchRunner<>(RestoreBlobToFile.NAME, RestoreJob.class,
                FileEntry.class, FileEntry::getPath, ManifestStore.from(services), ProblemReport.from(services),
                services.transfers()), new BlobRestorer(service, roots, BackupApp.MANIFEST_CONTAINER));

        BatchOutcome firstAttempt = outcome(activity.run(bound(plan, 1, false)));
        BatchOutcome lastAttempt = outcome(activity.run(bound(plan, 5, true)));
        failing[0] = false;
        BatchOutcome working = outcome(activity.run(bound(plan, 2, false)));

        assertEquals(List.of(new BatchWork.Part(0, List.of(0, 1))), firstAttempt.retry());
        assertEquals(List.of(0L, 0L, 0L), List.of(firstAttempt.filesDone(), firstAttempt.problemCount(),
                firstAttempt.failureCount()));
        assertEquals(2, lastAttempt.failureCount());
        assertTrue(lastAttempt.failures().get(0).getReason().startsWith("failed after 5 attempt(s):")
                && lastAttempt.failures().get(0).getReason().contains("cannot open the folder of 'd/a'"),
                lastAttempt.failures().toString());
        assertEquals(List.of(2L, 0L), List.of(working.filesDone(), working.problemCount()));
        assertEquals("a", Files.readString(target.resolve("d/a")));
    }

    /** A worker killed mid-download left the file's temporary file: the file's next delivery removes it. */
    @Test
    void run_temporaryFileOfAKilledDelivery_removedByTheNextDeliveryOfTheFile() throws IOException {
        JobPlan plan = plan(target.toString(), List.of(snapshot.file("d/a", "a", 0644, MTIME),
                snapshot.file("d/b", "b", 0644, MTIME)));
        Files.createDirectories(target.resolve("d"));
        Path left = Files.writeString(target.resolve("d").resolve(TemporaryFile.nameFor(plan.manifest(), 0, 1)),
                "half a download");

        BatchOutcome outcome = outcome(new RestoreBlobToFile(services).run(bound(plan, 1, false)));

        assertEquals(2, outcome.filesDone());
        assertFalse(Files.exists(left));
        assertEquals(List.of(), temporaries());
        assertNull(outcome.error());
    }

    private List<Path> temporaries() throws IOException {
        if (!Files.exists(target)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(target)) {
            return all.filter(p -> p.getFileName().toString().startsWith(TemporaryFile.PREFIX)).toList();
        }
    }
}
