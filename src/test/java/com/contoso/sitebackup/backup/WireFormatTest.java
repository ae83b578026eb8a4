package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.GroupRequest;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemRecord;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.restore.FinishRequest;
import com.contoso.sitebackup.restore.RestoreJob;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.starter.JobRequest;
import com.contoso.sitebackup.verify.VerifyJob;
import com.contoso.sitebackup.verify.VerifyPlan;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every value that crosses a function boundary, the way it crosses: the orchestrator side (the durabletask SDK)
 * writes inputs and reads results with its Jackson converter; the Java worker hands an activity its input as the
 * text that came (a {@code String} parameter) and writes the activity's return value with Gson; every side of this
 * app reads with the one strict mapper ({@link Wire}). Each type must come back with every field intact, and a value
 * of the wrong shape must be refused, naming the field, never half-bound.
 */
class WireFormatTest {
    private static final JacksonDataConverter SDK = new JacksonDataConverter();
    private static final Gson WORKER = new Gson();

    /** Orchestrator to activity and back: SDK writes, the worker hands the text, Wire reads; Wire writes, Gson, SDK. */
    private static <T> T acrossAnActivity(T value, Class<T> type) {
        String input = SDK.serialize(Wire.tree(value));
        T inActivity = Wire.read(input, type, "the input");
        String returned = WORKER.toJson(Wire.write(inActivity));
        T back = Wire.read(SDK.deserialize(returned, JsonNode.class), type, "the result");
        assertEquals(Wire.tree(value), Wire.tree(back), "round trip of " + input);
        return back;
    }

    /** A sub-orchestration's output or a start's input: the SDK writes it with Jackson, the reader uses Wire. */
    private static <T> T acrossTheSdk(T value, Class<T> type) {
        T back = Wire.read(SDK.deserialize(SDK.serialize(value), JsonNode.class), type, "the value");
        assertEquals(Wire.JSON.valueToTree(value), Wire.JSON.valueToTree(back));
        return back;
    }

    @Test
    void requests_everyFieldSurvivesTheStarterTheSdkAndTheWorker() {
        BackupRequest backup = new BackupRequest("/home/site/wwwroot", "backups-2", "site/café 日本",
                List.of("**/*.html", "it's=<odd>&"), List.of("*.tmp"), true, true, "reports/x-1.jsonl",
                "20261206T010203.004Z", CodeVersion.CURRENT);
        BackupRequest back = acrossAnActivity(backup, BackupRequest.class);
        assertEquals(List.of("**/*.html", "it's=<odd>&"), back.getInclude());
        assertEquals(CodeVersion.CURRENT, back.getCodeVersion());
        acrossTheSdk(backup, BackupRequest.class);
        acrossAnActivity(new RestoreRequest("backups", "site", "/restore", true, "latest", null, "reports/r-1.jsonl")
                .withCodeVersion(CodeVersion.CURRENT), RestoreRequest.class);
        acrossAnActivity(new VerifyRequest("/r", "c-1", "p", List.of("a"), List.of("b"), true, null,
                "2026-12-01T00:00:00Z", "reports/v-1.jsonl").withCodeVersion(CodeVersion.CURRENT), VerifyRequest.class);
        acrossAnActivity(new RetentionRequest("backups", "site", 3, 7, 4, false, "reports/p-1.jsonl")
                .withCodeVersion(CodeVersion.CURRENT), RetentionRequest.class);
        acrossTheSdk(new JobRequest("nightly", backup, null, null, CodeVersion.CURRENT), JobRequest.class);
    }

    @Test
    void batchTypes_everyFieldSurvives() {
        BatchWork work = new BatchWork(CodeVersion.CURRENT, "0f8fad5b-d9cb-469f-a165-70867728950e",
                List.of(new BatchWork.Part(3, null), new BatchWork.Part(7, List.of(0, 5, 255))), 2, false);
        assertEquals(work, acrossAnActivity(work, BatchWork.class));
        BatchOutcome outcome = new BatchOutcome(254, 1_000_000, 1, 2, 1,
                List.of(new FileProblem("a/b", "vanished since it was listed")),
                List.of(new FileProblem("c\u202etxt.exe", "failed after 5 attempt(s): boom")),
                List.of(new BatchWork.Part(7, List.of(5))), null, false, true);
        assertEquals(outcome, acrossAnActivity(outcome, BatchOutcome.class));
        assertEquals(BatchOutcome.failed("refused: x", false),
                acrossAnActivity(BatchOutcome.failed("refused: x", false), BatchOutcome.class));
        GroupRequest group = new GroupRequest(CodeVersion.CURRENT, "CopyFileToBlob",
                "0f8fad5b-d9cb-469f-a165-70867728950e", 32, 64);
        assertEquals(group, acrossTheSdk(group, GroupRequest.class));
        FanOutSummary summary = new FanOutSummary(5, 6, 1, 2, 3, List.of(new FileProblem("p", "r")),
                List.of(new FileProblem("f", "g")), true);
        assertEquals(summary, acrossTheSdk(summary, FanOutSummary.class));
        assertEquals(summary, acrossAnActivity(summary, FanOutSummary.class));
        ProblemRecord record = new ProblemRecord(CodeVersion.CURRENT, "0f8fad5b-d9cb-469f-a165-70867728950e",
                List.of(new BatchWork.Part(1, null)), null, "BatchGroup failed");
        assertEquals(record, acrossAnActivity(record, ProblemRecord.class));
    }

    @Test
    void plansCardsAndResults_everyFieldSurvives() {
        JobPlan plan = new JobPlan("/home/site", "0f8fad5b-d9cb-469f-a165-70867728950e", 4, 900, 9_000, 10, 100, 2,
                List.of(new FileProblem("pipe", "not a regular file or folder")), null, "20261206T010203.004Z");
        assertEquals(plan, acrossAnActivity(plan, JobPlan.class));
        assertEquals(JobPlan.rejected("no"), acrossAnActivity(JobPlan.rejected("no"), JobPlan.class));
        acrossAnActivity(new BackupJob("/d", "c-1", "p", "20261206T010203.004Z", "reports/x-1.jsonl"), BackupJob.class);
        acrossAnActivity(new RestoreJob("/t", "c-1", "p", "20261206T010203.004Z", true, "reports/x-1.jsonl"),
                RestoreJob.class);
        acrossAnActivity(new VerifyJob("/d", "reports/x-1.jsonl"), VerifyJob.class);
        acrossAnActivity(new CopyEntry("a b/c.txt", 3, 1_700_000_000_000L, EntryType.SYMLINK, "\"0x8D\""),
                CopyEntry.class);
        acrossAnActivity(new SealRequest(CodeVersion.CURRENT, "0f8fad5b-d9cb-469f-a165-70867728950e", "backup-1",
                "2026-12-06T01:02:03Z"), SealRequest.class);
        acrossAnActivity(new FinishRequest(CodeVersion.CURRENT, "0f8fad5b-d9cb-469f-a165-70867728950e"),
                FinishRequest.class);
        acrossAnActivity(new SnapshotInfo("20261206T010203.004Z", "c-1", "p", "/d", "i", "s", "e", 1, 2, 3, 4, 5),
                SnapshotInfo.class);
        acrossAnActivity(new VerifyPlan(VerifyReport.of(3, List.of("m"), List.of("x"),
                List.of(new FileProblem("d", "size"))), JobPlan.rejected("none")), VerifyPlan.class);
        FileEntry entry = new FileEntry("a", 1, -1_000, "AAAAAAAAAAAAAAAAAAAAAA==", EntryType.FILE, -999_999_999L,
                0640, 0L, 0L, null, "20261206T010203.004Z", null, "older");
        acrossAnActivity(entry, FileEntry.class);
        JobProgress status = JobProgress.listing("reports/x-1.jsonl");
        acrossTheSdk(status, JobProgress.class);
    }

    /**
     * Issue 24, item 5: every result and status stays under 64 KB whatever the paths' length (here 4,096 bytes each,
     * the longest a Linux path is) and however many problems there are: lists are capped, each entry cut to a line.
     */
    @Test
    void everyResult_withTheLongestPathsAndThousandsOfProblems_under64KB() {
        String longest = "d/".repeat(2_047) + "f";
        List<FileProblem> many = java.util.stream.IntStream.range(0, 5_000)
                .mapToObj(i -> new FileProblem(longest + i, "reason " + longest)).toList();
        List<String> paths = many.stream().map(FileProblem::getPath).toList();
        List<String> ids = java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(i -> String.format("2026%04dT000000.000Z", i)).toList();
        List<Object> results = List.of(
                new BatchOutcome(1, 1, 5_000, 0, 5_000, many, many, List.of(new BatchWork.Part(0,
                        java.util.stream.IntStream.range(0, 4_096).boxed().toList())), null, false, false),
                new JobPlan("/" + longest, "0f8fad5b-d9cb-469f-a165-70867728950e", 1, 1, 1, 0, 0, 5_000, many, null,
                        null),
                new FanOutSummary(1, 1, 5_000, 0, 5_000, many, many, false),
                new VerifyPlan(VerifyReport.of(1, paths, paths, many), new JobPlan("/" + longest,
                        "0f8fad5b-d9cb-469f-a165-70867728950e", 1, 1, 1, 0, 0, 5_000, many, null, null)),
                new com.contoso.sitebackup.retention.RetentionResult(
                        com.contoso.sitebackup.retention.RetentionResult.Phase.COMPLETED, "c-1", longest, ids, 10_000,
                        ids, 10_000, 1, 1, 1, 1, 0, 1, 0.5, 0.5, many, "reports/x-1.jsonl", null),
                JobProgress.listing("reports/x-1.jsonl").plus(new FanOutSummary(1, 1, 5_000, 0, 5_000, many, many,
                        false)));
        for (Object result : results) {
            int size = Wire.write(result).length();
            System.out.printf("[payload] %s with 4,096-byte paths: %,d characters%n", result.getClass().getSimpleName(),
                    size);
            assertTrue(size < 64 * 1024, result.getClass().getSimpleName() + ": " + size);
        }
    }

    /** The worker may hand a string input JSON-encoded once more (durabletask-java #235): read the same. */
    @Test
    void stringInputEncodedTwice_readAsTheValue() {
        BatchWork work = new BatchWork(CodeVersion.CURRENT, "0f8fad5b-d9cb-469f-a165-70867728950e",
                BatchWork.whole(0, 2), 1, true);
        assertEquals(work, Wire.read(WORKER.toJson(Wire.write(work)), BatchWork.class, "input"));
        assertEquals(work, Wire.read(WORKER.toJson(WORKER.toJson(Wire.write(work))), BatchWork.class, "input"));
    }

    /**
     * Hostile or mistaken values, as a forged queue message or Durable's HTTP API could send them: each refused
     * when read, naming the field, whoever bound it (the check is in the constructor Jackson calls, and the worker
     * never binds these types itself: it hands over text).
     */
    @Test
    void hostileValues_refusedNamingTheField() {
        String manifest = "\"0f8fad5b-d9cb-469f-a165-70867728950e\"";
        String[][] cases = {
                {"{\"codeVersion\":2,\"manifest\":\"../../x\",\"parts\":[{\"batch\":0}],\"attempt\":1,\"last\":false}",
                        "is not a manifest id"},
                {"{\"codeVersion\":2,\"manifest\":" + manifest + ",\"parts\":[],\"attempt\":1,\"last\":false}", "parts"},
                {"{\"codeVersion\":2,\"manifest\":" + manifest + ",\"parts\":[{\"batch\":-1}],\"attempt\":1,"
                        + "\"last\":false}", "batch must be"},
                {"{\"codeVersion\":2,\"manifest\":" + manifest + ",\"parts\":[{\"batch\":0,\"positions\":[9999]}],"
                        + "\"attempt\":1,\"last\":false}", "a position of batch 0"},
                {"{\"codeVersion\":2,\"manifest\":" + manifest + ",\"parts\":[{\"batch\":0}],\"attempt\":99,"
                        + "\"last\":false}", "attempt must be"},
                {"{\"codeVersion\":\"2\",\"manifest\":" + manifest + ",\"parts\":[{\"batch\":0}],\"attempt\":1,"
                        + "\"last\":false}", "field 'codeVersion'"},
                {"{\"codeVersion\":2,\"manifest\":" + manifest + ",\"parts\":[{\"batch\":0}],\"attempt\":1,"
                        + "\"last\":false,\"report\":\"reports/other-run.jsonl\"}", "Unrecognized field \"report\""},
        };
        for (String[] c : cases) {
            Wire.Refused refused = assertThrows(Wire.Refused.class, () -> Wire.read(c[0], BatchWork.class, "input"));
            assertTrue(refused.getMessage().contains(c[1]), c[0] + " -> " + refused.getMessage());
        }
        assertThrows(Wire.Refused.class, () -> Wire.read("{\"codeVersion\":2,\"activity\":\"CopyFileToBlob\","
                + "\"manifest\":" + manifest + ",\"from\":0,\"to\":2147483647}", GroupRequest.class, "input"));
        assertThrows(Wire.Refused.class, () -> Wire.read("{\"path\":\"a\",\"size\":1,\"lastModified\":0,"
                + "\"mode\":4096,\"uid\":0}", FileEntry.class, "entry"));
        assertThrows(Wire.Refused.class, () -> Wire.read("{\"filesDone\":\"many\"}", BatchOutcome.class, "result"));
    }
}
