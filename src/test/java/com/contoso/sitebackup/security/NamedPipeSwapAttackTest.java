package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.GetFileList;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.restore.FinishDirectories;
import com.contoso.sitebackup.restore.ListBackup;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
import com.contoso.sitebackup.restore.RestoreFileRequest;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;
import com.contoso.sitebackup.testing.SpecialFiles;
import com.contoso.sitebackup.starter.StartDecision;
import com.contoso.sitebackup.starter.StartRequestHandler;
import com.contoso.sitebackup.verify.CheckFileContent;
import com.contoso.sitebackup.verify.CompareBackup;
import com.contoso.sitebackup.verify.VerifyRequest;
import com.contoso.sitebackup.verify.ContentCheck;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 2: a named pipe renamed in between the type check and the open blocked forever ({@code openat}
 * without {@code O_NONBLOCK}): CopyFileToBlob 2 of 30 calls, CheckFileContent 2 of 14, GetFileList 1 of 204,
 * RestoreBlobToFile 1 of 176, FinishDirectories 1 of 110 under a rename-exchange loop, thread dumps in
 * {@code openat0}. Here another process swaps a real file or folder with a named pipe without pause
 * ({@link RenameExchange}) while each activity that opens a file or a folder (GetFileList, CopyFileToBlob,
 * CompareBackup, CheckFileContent, ListBackup, RestoreBlobToFile, FinishDirectories, and the HTTP starter's check) is
 * called, its input bound as the worker binds it (Gson), on a real temp tree and Azurite. Each call is given {@value #CALL_LIMIT_SECONDS} seconds;
 * one that takes longer counts as a hang (it is then released by opening the pipe for writing). No call may hang;
 * some must have met the pipe (refused or failed), which shows the race ran. Counts are printed.
 */
@AzuriteTest
@Timeout(600)
class NamedPipeSwapAttackTest {
    /** Calls per race: at least this many, and on until {@link #MIN_MET} met the pipe (at most {@link #MAX_TRIES}). */
    private static final int TRIES = 150;
    private static final int MIN_MET = 10;
    private static final int MAX_TRIES = 3_000;
    /** How long one call may take before it counts as a hang. */
    private static final int CALL_LIMIT_SECONDS = 10;
    private static final String CONTENT = "the real file's content";
    private static final Gson GSON = new Gson();
    private static final JacksonDataConverter JACKSON = new JacksonDataConverter();

    private final BlobServiceClient blobs = Azurite.shared().client();
    private final String container = "pipes-" + UUID.randomUUID().toString().substring(0, 8);
    private final ExecutorService calls = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pipe-race-call");
        thread.setDaemon(true);
        return thread;
    });

    @TempDir
    Path tmp;
    private Path root;
    private Path site;
    private AppServices services;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        site = Files.createDirectories(root.resolve("site"));
        Files.createDirectories(site.resolve("d"));
        Files.writeString(site.resolve("d/f"), CONTENT);
        SpecialFiles.fifo(site.resolve("d/pipe"));
        SpecialFiles.fifo(site.resolve("dpipe"));
        services = BackupApp.services(blobs, root, 500);
        blobs.getBlobContainerClient(container).create();
    }

    @AfterEach
    void tearDown() {
        calls.shutdownNow();
    }

    /** What one race counted. */
    private record Counts(String race, int tries, int done, int refused, int hangs, long swaps) {
        @Override
        public String toString() {
            return String.format("%s: %,d swaps; %d calls: %d done, %d refused or failed, %d hung (over %d s)", race,
                    swaps, tries, done, refused, hangs, CALL_LIMIT_SECONDS);
        }
    }

    /** An input bound as the Java worker binds it: serialized by the SDK (Jackson), read back by Gson. */
    private static <T> T bound(T request, Class<T> type) {
        return GSON.fromJson(JACKSON.serialize(request), type);
    }

    /**
     * Calls {@code call} while {@code real} and {@code pipe} are swapped: {@value #TRIES} times, and on until
     * {@value #MIN_MET} calls met the pipe (a quick call gives the attacker little time to swap). A call's result
     * that {@code succeeded} says is a success counts as done, any other result or exception as refused, a call that
     * takes longer than the limit as a hang.
     */
    private <T> Counts race(String name, Path real, Path pipe, Supplier<T> call,
                            java.util.function.Predicate<T> succeeded) throws Exception {
        int done = 0;
        int refused = 0;
        int hangs = 0;
        int tries = 0;
        long swaps;
        try (RenameExchange attacker = RenameExchange.start(real, pipe)) {
            for (; tries < TRIES || (refused + hangs < MIN_MET && tries < MAX_TRIES); tries++) {
                Future<T> result = calls.submit(call::get);
                try {
                    T value = result.get(CALL_LIMIT_SECONDS, TimeUnit.SECONDS);
                    if (succeeded.test(value)) {
                        done++;
                    } else {
                        refused++;
                    }
                } catch (TimeoutException hung) {
                    hangs++;
                    release(result, real, pipe);
                } catch (java.util.concurrent.ExecutionException failed) {
                    refused++;
                }
            }
            assertTrue(attacker.running(), "the attacker stopped early");
            swaps = attacker.stop();
        }
        Counts counts = new Counts(name, tries, done, refused, hangs, swaps);
        System.out.println(counts);
        return counts;
    }

    /** Opens whichever of the two names is the pipe for reading and writing, so a call blocked opening it goes on. */
    private static void release(Future<?> hung, Path a, Path b) throws InterruptedException {
        for (int i = 0; i < 1_000 && !hung.isDone(); i++) {
            for (Path name : List.of(a, b)) {
                if (!Files.isDirectory(name, LinkOption.NOFOLLOW_LINKS)) {
                    try (FileChannel pipe = FileChannel.open(name, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        // Opening a pipe read-write never blocks, and completes the blocked open of it.
                    } catch (IOException | RuntimeException notThePipeNow) {
                        // Swapped meanwhile: tried again.
                    }
                }
            }
            Thread.sleep(10);
        }
    }

    private static void assertNoHangAndTheRaceRan(Counts counts) {
        assertEquals(0, counts.hangs(), counts.toString());
        assertTrue(counts.refused() > 0, "no call met the pipe: the race did not run. " + counts);
        assertTrue(counts.swaps() > 0, "the attacker did not run. " + counts);
    }

    @Test
    void copyFileToBlob_fileAndFolderSwappedWithAPipe_noCallHangs() throws Exception {
        CopyFileToBlob activity = new CopyFileToBlob(services);
        CopyRequest request = bound(new CopyRequest(site.toString(), "d/f", container, "p/d/f"), CopyRequest.class);
        Counts file = race("CopyFileToBlob, file d/f swapped with a pipe", site.resolve("d/f"), site.resolve("d/pipe"),
                () -> activity.run(request), outcome -> outcome.getProblem() == null);
        Counts folder = race("CopyFileToBlob, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> activity.run(request), outcome -> outcome.getProblem() == null);
        assertNoHangAndTheRaceRan(file);
        assertNoHangAndTheRaceRan(folder);
        assertTrue(file.done() > 0 && folder.done() > 0, "no copy got through: the read path was not exercised");
    }

    @Test
    void checkFileContent_fileAndFolderSwappedWithAPipe_noCallHangs() throws Exception {
        CheckFileContent activity = new CheckFileContent(services);
        String md5 = Base64.getEncoder().encodeToString(Digests.newMd5().digest(CONTENT.getBytes(StandardCharsets.UTF_8)));
        ContentCheck check = bound(new ContentCheck(site.toString(), "d/f", md5), ContentCheck.class);
        Counts file = race("CheckFileContent, file d/f swapped with a pipe", site.resolve("d/f"), site.resolve("d/pipe"),
                () -> activity.run(check), outcome -> outcome.getProblem() == null);
        Counts folder = race("CheckFileContent, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> activity.run(check), outcome -> outcome.getProblem() == null);
        assertNoHangAndTheRaceRan(file);
        assertNoHangAndTheRaceRan(folder);
        assertTrue(file.done() > 0, "no check got through: the read path was not exercised");
    }

    /** The walk of GetFileList, its sub-folder swapped with a pipe (the walk opens every folder it lists). */
    @Test
    void getFileList_folderSwappedWithAPipe_noCallHangs() throws Exception {
        for (int i = 0; i < 20; i++) {
            Files.writeString(site.resolve("d/file" + i), "x" + i);
        }
        GetFileList activity = new GetFileList(services);
        var request = bound(BackupApp.request(site, container), com.contoso.sitebackup.backup.BackupRequest.class);
        // Whichever name is the pipe at that instant is listed as a problem; a walk that went into d names no
        // problem at "d" (done), one that met the pipe there does (refused).
        Counts folder = race("GetFileList, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> activity.run(request), plan -> plan.getError() == null
                        && plan.getProblems().stream().noneMatch(p -> p.getPath().equals("d")));
        assertNoHangAndTheRaceRan(folder);
    }

    /** The walk of CompareBackup (a verify by listing), its sub-folder swapped with a pipe. */
    @Test
    void compareBackup_folderSwappedWithAPipe_noCallHangs() throws Exception {
        CompareBackup activity = new CompareBackup(services);
        VerifyRequest request = bound(new VerifyRequest(site.toString(), container, "p", null, null, false, null),
                VerifyRequest.class);
        // Nothing is backed up under "p": a walk that went into d finds d/f missing from the backup (done); one that
        // met the pipe there does not list it (refused: the walk's problems are not differences).
        Counts folder = race("CompareBackup, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> activity.run(request), plan -> plan.getReport().getError() == null
                        && plan.getReport().listedDifferences().stream().anyMatch(p -> p.getPath().equals("d/f")));
        assertNoHangAndTheRaceRan(folder);
    }

    /** ListBackup checks that the restore's target could be written: the folder above it is swapped with a pipe. */
    @Test
    void listBackup_targetsFolderSwappedWithAPipe_noCallHangs() throws Exception {
        Files.createDirectories(root.resolve("restores/into"));
        SpecialFiles.fifo(root.resolve("rpipe"));
        ListBackup activity = new ListBackup(services);
        RestoreRequest request = bound(new RestoreRequest(container, "p", root.resolve("restores/into").toString(),
                false, null, null, null), RestoreRequest.class);
        Counts folder = race("ListBackup, the target's folder swapped with a pipe", root.resolve("restores"),
                root.resolve("rpipe"), () -> activity.run(request), plan -> plan.getError() == null);
        assertNoHangAndTheRaceRan(folder);
    }

    /** The HTTP starter checks a backup's root through the read roots: the root's folder swapped with a pipe. */
    @Test
    void starter_rootSwappedWithAPipe_noRequestHangs() throws Exception {
        StartRequestHandler starter = StartRequestHandler.from(services);
        String body = "{\"rootDirectory\": " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                site.resolve("d").toString()) + "}";
        Counts folder = race("HttpStart's check of rootDirectory, d swapped with a pipe", site.resolve("d"),
                site.resolve("dpipe"), () -> starter.decide("BackupSiteContent", "application/json", body),
                StartDecision::isAccepted);
        assertNoHangAndTheRaceRan(folder);
    }

    /** Restores into a folder swapped with a pipe, overwriting: the folder is entered, the file's name checked. */
    @Test
    void restoreBlobToFile_folderAndFileSwappedWithAPipe_noCallHangs() throws Exception {
        byte[] bytes = CONTENT.getBytes(StandardCharsets.UTF_8);
        blobs.getBlobContainerClient(container).getBlobClient("p/d/f").uploadWithResponse(
                new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
                        .setHeaders(new BlobHttpHeaders().setContentMd5(Digests.newMd5().digest(bytes))), null, null);
        Path target = Files.createDirectories(root.resolve("target"));
        Files.createDirectories(target.resolve("d"));
        Files.writeString(target.resolve("d/f"), "an older version");
        SpecialFiles.fifo(target.resolve("dpipe"));
        RestoreBlobToFile activity = new RestoreBlobToFile(services);
        RestoreFileRequest request = bound(new RestoreFileRequest(container, "p/d/f", target.toString(), "d/f", true),
                RestoreFileRequest.class);
        Counts folder = race("RestoreBlobToFile, folder d swapped with a pipe", target.resolve("d"),
                target.resolve("dpipe"), () -> activity.run(request), outcome -> outcome.getProblem() == null);
        assertNoHangAndTheRaceRan(folder);
        assertTrue(folder.done() > 0, "no restore got through: the write path was not exercised");
    }

    /** FinishDirectories makes folder d and sets its mode and time while d is swapped with a pipe. */
    @Test
    void finishDirectories_folderSwappedWithAPipe_noCallHangs() throws Exception {
        HandMadeSnapshot snapshot = new HandMadeSnapshot(blobs, container, "site", BackupApp.MANIFEST_CONTAINER);
        snapshot.directory("d", 0750, 1_700_000_000_000_000_000L);
        snapshot.directory("d/e", 0700, 1_700_000_000_000_000_001L);
        snapshot.commit("20261126T100000.000Z");
        Path target = Files.createDirectories(root.resolve("target"));
        Files.createDirectories(target.resolve("d/e"));
        SpecialFiles.fifo(target.resolve("dpipe"));
        FinishDirectories activity = new FinishDirectories(services);
        RestoreRequest request = bound(new RestoreRequest(container, "site", target.toString(), false, null, null, null)
                .withSnapshot("20261126T100000.000Z"), RestoreRequest.class);
        Counts folder = race("FinishDirectories, folder d swapped with a pipe", target.resolve("d"),
                target.resolve("dpipe"), () -> activity.run(request), summary -> summary.getProblemCount() == 0);
        assertNoHangAndTheRaceRan(folder);
        assertTrue(folder.done() > 0, "no call got through: the folders were never finished");
    }
}
