package com.contoso.sitebackup.security;

import com.contoso.sitebackup.backup.BackupJob;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.CopyEntry;
import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.TestManifests;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.restore.DirectoryRestorer;
import com.contoso.sitebackup.restore.RestoreJob;
import com.contoso.sitebackup.verify.VerifyJob;
import com.contoso.sitebackup.verify.VerifyPlan;
import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.backup.GetFileList;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.restore.FinishDirectories;
import com.contoso.sitebackup.restore.ListBackup;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
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

    /** A request as the SDK hands it to an activity: the JSON text of it, with this code's version. */
    private static String input(Object request) {
        JsonNode tree = Wire.tree(request);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).put("codeVersion", CodeVersion.CURRENT);
        return JACKSON.serialize(tree);
    }

    /** A batch activity's input naming batch 0 of a manifest planted with {@code card} and {@code entries}. */
    private String batch(Object card, List<?> entries) {
        String manifest = TestManifests.writeOneBatch(ManifestStore.from(services), card, entries);
        return Wire.write(new BatchWork(CodeVersion.CURRENT, manifest, BatchWork.whole(0, 1), 1, false));
    }

    private static BatchOutcome outcome(String json) {
        return Wire.read(json, BatchOutcome.class, "outcome");
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
        String work = batch(new BackupJob(site.toString(), container, "p", null, null),
                List.of(new CopyEntry("d/f", CONTENT.length(), 0, EntryType.FILE, null)));
        Counts file = race("CopyFileToBlob, file d/f swapped with a pipe", site.resolve("d/f"), site.resolve("d/pipe"),
                () -> outcome(activity.run(work)), outcome -> outcome.filesDone() == 1);
        Counts folder = race("CopyFileToBlob, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> outcome(activity.run(work)), outcome -> outcome.filesDone() == 1);
        assertNoHangAndTheRaceRan(file);
        assertNoHangAndTheRaceRan(folder);
        assertTrue(file.done() > 0 && folder.done() > 0, "no copy got through: the read path was not exercised");
    }

    @Test
    void checkFileContent_fileAndFolderSwappedWithAPipe_noCallHangs() throws Exception {
        CheckFileContent activity = new CheckFileContent(services);
        String md5 = Base64.getEncoder().encodeToString(Digests.newMd5().digest(CONTENT.getBytes(StandardCharsets.UTF_8)));
        String work = batch(new VerifyJob(site.toString(), null), List.of(new FileEntry("d/f", CONTENT.length(), 0,
                md5)));
        Counts file = race("CheckFileContent, file d/f swapped with a pipe", site.resolve("d/f"), site.resolve("d/pipe"),
                () -> outcome(activity.run(work)), outcome -> outcome.filesDone() == 1);
        Counts folder = race("CheckFileContent, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> outcome(activity.run(work)), outcome -> outcome.filesDone() == 1);
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
        String request = input(new BackupRequest(site.toString(), container, "gfl", null, null, true, false, null));
        // Whichever name is the pipe at that instant is listed as a problem; a walk that went into d names no
        // problem at "d" (done), one that met the pipe there does (refused).
        Counts folder = race("GetFileList, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> Wire.read(activity.run(request), JobPlan.class, "plan"), plan -> plan.error() == null
                        && plan.problems().stream().noneMatch(p -> p.getPath().equals("d")));
        assertNoHangAndTheRaceRan(folder);
    }

    /** The walk of CompareBackup (a verify against a snapshot), its sub-folder swapped with a pipe. */
    @Test
    void compareBackup_folderSwappedWithAPipe_noCallHangs() throws Exception {
        HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(blobs, container, "v", BackupApp.MANIFEST_CONTAINER,
                "20261126T100000.000Z");
        snapshot.directory("d", 0755, 1_700_000_000_000_000_000L);
        snapshot.file("d/f", CONTENT, 0644, 1_700_000_000_000_000_000L);
        snapshot.commit("20261126T100000.000Z");
        CompareBackup activity = new CompareBackup(services);
        String request = input(new VerifyRequest(site.toString(), container, "v", null, null, false, null));
        // A walk that went into d finds d/f (done); one that met the pipe there cannot, and d/f is in the snapshot
        // only (refused).
        Counts folder = race("CompareBackup, folder d swapped with a pipe", site.resolve("d"), site.resolve("dpipe"),
                () -> Wire.read(activity.run(request), VerifyPlan.class, "plan"), plan -> plan.getReport().getError() == null
                        && plan.getReport().getExtra().stream().noneMatch(p -> p.equals("d/f")));
        assertNoHangAndTheRaceRan(folder);
    }

    /** ListBackup checks that the restore's target could be written: the folder above it is swapped with a pipe. */
    @Test
    void listBackup_targetsFolderSwappedWithAPipe_noCallHangs() throws Exception {
        HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(blobs, container, "l", BackupApp.MANIFEST_CONTAINER,
                "20261126T100000.000Z");
        snapshot.file("f", CONTENT, 0644, 1_700_000_000_000_000_000L);
        snapshot.commit("20261126T100000.000Z");
        Files.createDirectories(root.resolve("restores/into"));
        SpecialFiles.fifo(root.resolve("rpipe"));
        ListBackup activity = new ListBackup(services);
        String request = input(new RestoreRequest(container, "l", root.resolve("restores/into").toString(),
                false, null, null, null));
        Counts folder = race("ListBackup, the target's folder swapped with a pipe", root.resolve("restores"),
                root.resolve("rpipe"), () -> Wire.read(activity.run(request), JobPlan.class, "plan"),
                plan -> plan.error() == null);
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
        HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(blobs, container, "p", BackupApp.MANIFEST_CONTAINER,
                "20261126T100000.000Z");
        FileEntry file = snapshot.file("d/f", CONTENT, 0644, 1_700_000_000_000_000_000L);
        Path target = Files.createDirectories(root.resolve("target"));
        Files.createDirectories(target.resolve("d"));
        Files.writeString(target.resolve("d/f"), "an older version");
        SpecialFiles.fifo(target.resolve("dpipe"));
        RestoreBlobToFile activity = new RestoreBlobToFile(services);
        String work = batch(new RestoreJob(target.toString(), container, "p", "20261126T100000.000Z", true, null),
                List.of(file));
        Counts folder = race("RestoreBlobToFile, folder d swapped with a pipe", target.resolve("d"),
                target.resolve("dpipe"), () -> outcome(activity.run(work)), outcome -> outcome.filesDone() == 1);
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
        DirectoryRestorer folders = DirectoryRestorer.from(services);
        RestoreRequest request = new RestoreRequest(container, "site", target.toString(), false, null, null, null)
                .withSnapshot("20261126T100000.000Z");
        Counts folder = race("FinishDirectories, folder d swapped with a pipe", target.resolve("d"),
                target.resolve("dpipe"), () -> folders.finish(request, null), summary -> summary.problemCount() == 0);
        assertNoHangAndTheRaceRan(folder);
        assertTrue(folder.done() > 0, "no call got through: the folders were never finished");
    }
}
