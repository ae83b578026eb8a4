package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.FileSlice;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemBatch;
import com.contoso.sitebackup.durable.SliceGroupRequest;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.restore.RestoreFileRequest;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.verify.ContentCheck;
import com.contoso.sitebackup.verify.VerifyPlan;
import com.contoso.sitebackup.verify.VerifyReport;

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
                List.of("**/*.html", "it's=<odd>&"), List.of("*.tmp"), true, true, null);

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
        BackupRequest request = new BackupRequest("/r", "c-1", "p", List.of("a"), List.of("b"), true, false, null);
        BackupRequest worker = WORKER.fromJson(SDK.serialize(request), BackupRequest.class);
        assertEquals(request.toString(), worker.toString());
    }

    @Test
    void fileListing_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        JobPlan listing = new JobPlan("/home/site/wwwroot",
                List.of(new FileEntry("café/naïve 日本.txt", 5_000_000_000L, 1_700_000_000_123L),
                        new FileEntry("a b/c.txt", 0, -1L)),
                "manifest-1", 3, 1_200, 5_000_000_000L, 7, 9_000_000_000L, 4,
                List.of(new FileProblem("link", "symbolic link, not followed")), null);

        JobPlan back = roundTrip(listing, JobPlan.class);

        assertEquals("manifest-1", back.getManifest());
        assertEquals(3, back.getSliceCount());
        assertEquals(1_200, back.getFilesPlanned());
        assertEquals(5_000_000_000L, back.getBytesPlanned());

        assertEquals("/home/site/wwwroot", back.getDirectory());
        assertEquals(4, back.getProblemCount());
        assertEquals(listing.getFiles(), back.getFiles());
        assertEquals(listing.getProblems(), back.getProblems());
        assertEquals(7, back.getFilesUnchanged());
        assertEquals(9_000_000_000L, back.getBytesUnchanged());
        assertNull(back.getError());
    }

    @Test
    void fileListing_rejected_errorSurvives() throws Exception {
        JobPlan back = roundTrip(JobPlan.rejected("rootDirectory '/x' does not exist"), JobPlan.class);
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
        FileOutcome copied = roundTrip(FileOutcome.done("a.txt", 6_000_000_000L), FileOutcome.class);
        assertEquals("a.txt", copied.getPath());
        assertEquals(6_000_000_000L, copied.getBytes());
        assertNull(copied.getProblem());

        FileOutcome notCopied = roundTrip(FileOutcome.notDone("b.txt", "vanished since it was listed"), FileOutcome.class);
        assertEquals("b.txt", notCopied.getPath());
        assertEquals(0, notCopied.getBytes());
        assertEquals("vanished since it was listed", notCopied.getProblem());

        FileOutcome unverified = roundTrip(FileOutcome.doneWithWarning("c.txt", 7, "restored unverified"), FileOutcome.class);
        assertEquals(7, unverified.getBytes());
        assertTrue(unverified.isDone());
        assertEquals("restored unverified", unverified.getWarning());
    }

    @Test
    void backupProgress_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        JobProgress progress = new JobProgress(JobProgress.Phase.DRY_RUN_COMPLETED, 1, 2, 3, 4, 5, 6, 7, 8, 9,
                List.of(new FileProblem("x", "y")), "reports/r.jsonl", "why");

        JobProgress back = roundTrip(progress, JobProgress.class);

        assertEquals(JobProgress.Phase.DRY_RUN_COMPLETED, back.getPhase());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), List.of(back.getFilesPlanned(), back.getBytesPlanned(),
                back.getFilesDone(), back.getBytesDone(), back.getFilesUnchanged(), back.getBytesUnchanged(),
                back.getProblemCount()));
        assertEquals(List.of(new FileProblem("x", "y")), back.getProblems());
        assertEquals(8, back.getFailureCount());
        assertEquals(9, back.getWarningCount());
        assertEquals("reports/r.jsonl", back.getReport());
        assertEquals("why", back.getMessage());
    }

    @Test
    void gsonBinding_emptyObject_listGettersReturnEmptyLists() {
        BackupRequest request = WORKER.fromJson("{}", BackupRequest.class);
        JobPlan listing = WORKER.fromJson("{}", JobPlan.class);
        JobProgress progress = WORKER.fromJson("{}", JobProgress.class);

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
        assertEquals(true, request.validate("backup-manifests").accepts("any/file.txt"));
    }

    @Test
    void gsonBinding_entryWithOnlyPath_numbersDefaultToZero() {
        JobPlan listing = WORKER.fromJson("{\"files\":[{\"path\":\"a.txt\"}]}", JobPlan.class);
        assertEquals(List.of(new FileEntry("a.txt", 0, 0)), listing.getFiles());
    }

    @Test
    void gsonBinding_objectsWithMissingFields_gettersDoNotThrow() {
        CopyRequest copy = WORKER.fromJson("{}", CopyRequest.class);
        FileOutcome result = WORKER.fromJson("{}", FileOutcome.class);
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
        RestoreRequest restore = new RestoreRequest("backups", "home/site", "/home/restore", true, null);
        assertEquals(restore.getTargetDirectory(), roundTrip(restore, RestoreRequest.class).getTargetDirectory());
        assertTrue(roundTrip(restore, RestoreRequest.class).isOverwrite());
        RestoreFileRequest file = new RestoreFileRequest("backups", "home/site/ü b.txt", "/home/restore", "ü b.txt", false);
        assertEquals("home/site/ü b.txt", roundTrip(file, RestoreFileRequest.class).getBlobName());
        SliceRequest slice = SliceRequest.of("m", "/home/restore", "backups", "home/site", true, "reports/i.jsonl").at(4);
        SliceRequest sliceBack = roundTrip(slice, SliceRequest.class);
        assertEquals(List.of(4, "m", "/home/restore", "backups", "home/site", true, "reports/i.jsonl"),
                List.of(sliceBack.getIndex(), sliceBack.getManifest(), sliceBack.getDirectory(), sliceBack.getContainer(),
                        sliceBack.getBlobPrefix(), sliceBack.isOverwrite(), sliceBack.getReport()));
        SliceGroupRequest group = roundTrip(new SliceGroupRequest("BackupSlice", slice, 50, 100), SliceGroupRequest.class);
        assertEquals(List.of("BackupSlice", 50, 100, "m"), List.of(group.getSliceOrchestrator(), group.getFrom(),
                group.getTo(), group.getSlice().getManifest()));
        ProblemBatch batch = roundTrip(new ProblemBatch("reports/i.jsonl", "slice 3",
                List.of(new FileProblem("a", "b"))), ProblemBatch.class);
        assertEquals(List.of(new FileProblem("a", "b")), batch.getProblems());
        assertEquals("slice 3", batch.getKey());
        FileSlice files = new FileSlice(List.of(new FileEntry("a", 1, 2)));
        assertEquals(files.getFiles(), roundTrip(files, FileSlice.class).getFiles());
        FanOutSummary summary = FanOutSummary.of(3, 30, List.of(new FileProblem("p", "r")), List.of(new FileProblem("f", "x")))
                .withWarnings(List.of(new FileProblem("w", "restored unverified")));
        FanOutSummary back = roundTrip(summary, FanOutSummary.class);
        assertEquals(summary.getWarnings(), back.getWarnings());
        assertEquals(1, back.getWarningCount());
        assertEquals(summary.getProblems(), back.getProblems());
        assertEquals(summary.getFailures(), back.getFailures());
        assertEquals(30, back.getBytesDone());
        assertEquals(1, back.getFailureCount());
        assertEquals(1, back.getProblemCount());
    }

    @Test
    void verifyTypes_jacksonGsonJackson_allFieldsSurvive() throws Exception {
        VerifyReport report = VerifyReport.of(7, List.of("m"), List.of("e"), List.of(new FileProblem("d", "size")));
        VerifyPlan plan = new VerifyPlan(report, JobPlan.of("/r", List.of(new FileEntry("x", 1, 2, "kAFQmDzST7DWlj99KOF/cg==")), List.of()));

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
        for (JobProgress.Phase phase : List.of(JobProgress.Phase.RESTORING, JobProgress.Phase.CHECKING)) {
            assertEquals(phase, roundTrip(JobProgress.listing("reports/r.jsonl").in(phase), JobProgress.class).getPhase());
        }
    }
}
