package com.contoso.sitebackup.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator side (the durabletask SDK) writes activity inputs and reads results with Jackson; the
 * Java worker binds activity inputs and writes results with Gson. Every type that crosses must survive
 * Jackson -> Gson -> Gson -> Jackson with every field intact.
 */
class WireFormatTest {
    private static final JacksonDataConverter SDK = new JacksonDataConverter();
    private static final Gson WORKER = new Gson();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** SDK serializes, the worker binds and writes back, the SDK deserializes. */
    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        String sdkJson = SDK.serialize(value);
        T workerSide = WORKER.fromJson(sdkJson, type);
        String workerJson = WORKER.toJson(workerSide);
        T back = SDK.deserialize(workerJson, type);
        // Whatever Jackson sees in the original, it sees in the worker's copy and in the result.
        JsonNode original = JSON.readTree(sdkJson);
        assertEquals(original, JSON.readTree(SDK.serialize(workerSide)), "worker-side copy of " + sdkJson);
        assertEquals(original, JSON.readTree(SDK.serialize(back)), "round trip of " + sdkJson);
        return back;
    }

    @Test
    void backupRequest_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        BackupRequest request = new BackupRequest("/home/site/wwwroot", "backups-2", "site/café 日本",
                List.of("**/*.html", "it's=<odd>&"), List.of("*.tmp"), true, true);

        BackupRequest back = roundTrip(request, BackupRequest.class);

        assertEquals("/home/site/wwwroot", back.getRootDirectory());
        assertEquals("backups-2", back.getContainer());
        assertEquals("site/café 日本", back.getBlobPrefix());
        assertEquals(List.of("**/*.html", "it's=<odd>&"), back.getInclude());
        assertEquals(List.of("*.tmp"), back.getExclude());
        assertEquals(true, back.isDryRun());
        assertEquals(true, back.isCompareContent());
    }

    @Test
    void backupRequest_gsonBoundCopy_sameFieldsAsOriginal() {
        BackupRequest request = new BackupRequest("/r", "c-1", "p", List.of("a"), List.of("b"), true, false);
        BackupRequest worker = WORKER.fromJson(SDK.serialize(request), BackupRequest.class);
        assertEquals(request.toString(), worker.toString());
    }

    @Test
    void fileListing_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        FileListing listing = new FileListing("/home/site/wwwroot",
                List.of(new FileEntry("café/naïve 日本.txt", 5_000_000_000L, 1_700_000_000_123L),
                        new FileEntry("a b/c.txt", 0, -1L)),
                List.of(new FileProblem("link", "symbolic link, not followed")),
                7, 9_000_000_000L, null, "manifest-1", 3, 1_200, 5_000_000_000L);

        FileListing back = roundTrip(listing, FileListing.class);

        assertEquals("manifest-1", back.getManifest());
        assertEquals(3, back.getSliceCount());
        assertEquals(1_200, back.getFilesPlanned());
        assertEquals(5_000_000_000L, back.getBytesPlanned());

        assertEquals("/home/site/wwwroot", back.getRootDirectory());
        assertEquals(listing.getFiles(), back.getFiles());
        assertEquals(listing.getProblems(), back.getProblems());
        assertEquals(7, back.getFilesUnchanged());
        assertEquals(9_000_000_000L, back.getBytesUnchanged());
        assertNull(back.getError());
    }

    @Test
    void fileListing_rejected_errorSurvives() throws Exception {
        FileListing back = roundTrip(FileListing.rejected("rootDirectory '/x' does not exist"), FileListing.class);
        assertEquals("rootDirectory '/x' does not exist", back.getError());
        assertEquals(List.of(), back.getFiles());
    }

    @Test
    void fileEntry_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        FileEntry entry = new FileEntry("dir/with space/ünï.bin", Long.MAX_VALUE, 1_234_567_890_123L);
        FileEntry back = roundTrip(entry, FileEntry.class);
        assertEquals(entry, back);
        assertEquals(Long.MAX_VALUE, back.getSize());
        assertEquals(1_234_567_890_123L, back.getLastModified());
    }

    @Test
    void fileProblem_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        FileProblem problem = new FileProblem("a/b\"c.txt", "not readable: AccessDeniedException (a/b\"c.txt)");
        assertEquals(problem, roundTrip(problem, FileProblem.class));
    }

    @Test
    void copyRequest_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        CopyRequest request = new CopyRequest("/root", "café/naïve 日本.txt", "backups", "p/café/naïve 日本.txt");
        CopyRequest back = roundTrip(request, CopyRequest.class);
        assertEquals("/root", back.getRootDirectory());
        assertEquals("café/naïve 日本.txt", back.getPath());
        assertEquals("backups", back.getContainer());
        assertEquals("p/café/naïve 日本.txt", back.getBlobName());
    }

    @Test
    void copyResult_copiedAndNotCopied_allFieldsSurvive() throws Exception {
        CopyResult copied = roundTrip(CopyResult.copied("a.txt", 6_000_000_000L), CopyResult.class);
        assertEquals("a.txt", copied.getPath());
        assertEquals(6_000_000_000L, copied.getBytes());
        assertNull(copied.getProblem());

        CopyResult notCopied = roundTrip(CopyResult.notCopied("b.txt", "vanished since it was listed"), CopyResult.class);
        assertEquals("b.txt", notCopied.getPath());
        assertEquals(0, notCopied.getBytes());
        assertEquals("vanished since it was listed", notCopied.getProblem());
    }

    @Test
    void backupProgress_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        BackupProgress progress = new BackupProgress(BackupProgress.Phase.DRY_RUN_COMPLETED, 1, 2, 3, 4, 5, 6, 7,
                List.of(new FileProblem("x", "y")));

        BackupProgress back = roundTrip(progress, BackupProgress.class);

        assertEquals(BackupProgress.Phase.DRY_RUN_COMPLETED, back.getPhase());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), List.of(back.getFilesPlanned(), back.getBytesPlanned(),
                back.getFilesDone(), back.getBytesDone(), back.getFilesUnchanged(), back.getBytesUnchanged(),
                back.getProblemCount()));
        assertEquals(List.of(new FileProblem("x", "y")), back.getProblems());
    }

    @Test
    void gsonBinding_emptyObject_listGettersReturnEmptyLists() {
        BackupRequest request = WORKER.fromJson("{}", BackupRequest.class);
        FileListing listing = WORKER.fromJson("{}", FileListing.class);
        BackupProgress progress = WORKER.fromJson("{}", BackupProgress.class);

        assertEquals(List.of(), request.getInclude());
        assertEquals(List.of(), request.getExclude());
        assertNull(request.getRootDirectory());
        assertFalse(request.isDryRun());
        assertEquals(List.of(), listing.getFiles());
        assertEquals(List.of(), listing.getProblems());
        assertNull(listing.getError());
        assertEquals(List.of(), progress.getProblems());
        assertNull(progress.getPhase());
    }

    @Test
    void gsonBinding_requestWithoutLists_filterAcceptsEverything() {
        BackupRequest request = WORKER.fromJson("{\"rootDirectory\":\"/r\",\"container\":\"backups\","
                + "\"blobPrefix\":\"r\",\"include\":null}", BackupRequest.class);
        assertEquals(true, request.filter().accepts("any/file.txt"));
        assertEquals(request, request.validate());
    }

    @Test
    void gsonBinding_entryWithOnlyPath_numbersDefaultToZero() {
        FileListing listing = WORKER.fromJson("{\"files\":[{\"path\":\"a.txt\"}]}", FileListing.class);
        assertEquals(List.of(new FileEntry("a.txt", 0, 0)), listing.getFiles());
    }

    @Test
    void gsonBinding_objectsWithMissingFields_gettersDoNotThrow() {
        CopyRequest copy = WORKER.fromJson("{}", CopyRequest.class);
        CopyResult result = WORKER.fromJson("{}", CopyResult.class);
        FileEntry entry = WORKER.fromJson("{}", FileEntry.class);
        FileProblem problem = WORKER.fromJson("{}", FileProblem.class);
        ContentCheck check = WORKER.fromJson("{}", ContentCheck.class);
        assertNull(check.getContentMd5());
        assertNull(copy.getPath());
        assertNull(copy.getBlobName());
        assertNull(result.getProblem());
        assertEquals(0, result.getBytes());
        assertNull(entry.getPath());
        assertNull(problem.getReason());
    }

    @Test
    void bareStringInput_jacksonWritesAQuotedJsonString_soInputsAreObjects() {
        String directory = "/home/site/wwwroot";

        String onTheWire = SDK.serialize(directory);

        // The SDK sends a JSON document: a String becomes "\"/home/site/wwwroot\"". A binder that hands the
        // payload to a String parameter as text (durabletask-java #235) gives the activity the quotes too.
        assertEquals("\"/home/site/wwwroot\"", onTheWire);
        assertNotEquals(directory, onTheWire);
        // An object has no such ambiguity: its field is the directory, whichever binder reads it.
        String objectOnTheWire = SDK.serialize(BackupRequest.of(directory));
        assertEquals(directory, WORKER.fromJson(objectOnTheWire, BackupRequest.class).getRootDirectory());
    }

    @Test
    void restoreAndSliceTypes_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        RestoreRequest restore = new RestoreRequest("backups", "home/site", "/home/restore", true);
        assertEquals(restore.getTargetDirectory(), roundTrip(restore, RestoreRequest.class).getTargetDirectory());
        assertTrue(roundTrip(restore, RestoreRequest.class).isOverwrite());
        RestoreFileRequest file = new RestoreFileRequest("backups", "home/site/ü b.txt", "/home/restore", "ü b.txt", false);
        assertEquals("home/site/ü b.txt", roundTrip(file, RestoreFileRequest.class).getBlobName());
        RestoreSliceRequest restoreSlice = new RestoreSliceRequest(restore, "/home/restore", "m", 4);
        assertEquals(4, roundTrip(restoreSlice, RestoreSliceRequest.class).getIndex());
        assertEquals("home/site", roundTrip(restoreSlice, RestoreSliceRequest.class).getRequest().getBlobPrefix());
        SliceRequest slice = new SliceRequest(BackupRequest.of("/r").withDefaults("c-1"), "/r", "m", 2);
        assertEquals("m", roundTrip(slice, SliceRequest.class).getManifest());
        SliceRequest readOnly = new SliceRequest(null, null, "m", 0);
        assertEquals(0, roundTrip(readOnly, SliceRequest.class).getIndex());
        FileSlice files = new FileSlice(List.of(new FileEntry("a", 1, 2)));
        assertEquals(files.getFiles(), roundTrip(files, FileSlice.class).getFiles());
        CopySummary summary = new CopySummary(3, 30, List.of(new FileProblem("p", "r")), List.of(new FileProblem("f", "x")));
        CopySummary back = roundTrip(summary, CopySummary.class);
        assertEquals(summary.getProblems(), back.getProblems());
        assertEquals(summary.getFailures(), back.getFailures());
        assertEquals(30, back.getBytesCopied());
    }

    @Test
    void verifyTypes_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        VerifyReport report = VerifyReport.of(7, List.of("m"), List.of("e"), List.of(new FileProblem("d", "size")));
        VerifyPlan plan = new VerifyPlan(report, FileListing.of("/r", List.of(new FileEntry("x", 1, 2, "kAFQmDzST7DWlj99KOF/cg==")), List.of()));

        VerifyPlan back = roundTrip(plan, VerifyPlan.class);

        assertEquals(7, back.getReport().getIdentical());
        assertEquals(List.of("m"), back.getReport().getMissing());
        assertEquals(List.of("e"), back.getReport().getExtra());
        assertEquals(report.getDifferent(), back.getReport().getDifferent());
        assertEquals(plan.getToCheck().getFiles(), back.getToCheck().getFiles());
        assertEquals("kAFQmDzST7DWlj99KOF/cg==", back.getToCheck().getFiles().get(0).getContentMd5());
    }

    @Test
    void contentCheck_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        ContentCheck check = new ContentCheck("/r", "ü/b.txt", "kAFQmDzST7DWlj99KOF/cg==");

        ContentCheck back = roundTrip(check, ContentCheck.class);

        assertEquals("/r", back.getRootDirectory());
        assertEquals("ü/b.txt", back.getPath());
        assertEquals("kAFQmDzST7DWlj99KOF/cg==", back.getContentMd5());
    }

    @Test
    void fileEntry_withoutContentMd5_leftOutOfTheJsonAndNullAfterGson() throws Exception {
        FileEntry entry = new FileEntry("a", 1, 2);

        assertFalse(SDK.serialize(entry).contains("contentMd5"), SDK.serialize(entry));
        assertNull(WORKER.fromJson(SDK.serialize(entry), FileEntry.class).getContentMd5());
        assertEquals(entry, roundTrip(entry, FileEntry.class));
    }

    @Test
    void backupProgress_restoreAndVerifyPhases_survive() throws Exception {
        for (BackupProgress.Phase phase : List.of(BackupProgress.Phase.RESTORING, BackupProgress.Phase.CHECKING)) {
            assertEquals(phase, roundTrip(BackupProgress.listing().in(phase), BackupProgress.class).getPhase());
        }
    }
}
