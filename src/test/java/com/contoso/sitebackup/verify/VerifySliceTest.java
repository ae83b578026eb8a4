package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.FileSlice;
import com.contoso.sitebackup.durable.ReadManifestSlice;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Replay;
import static com.contoso.sitebackup.testing.Replay.inputOf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of the content-check slice sub-orchestrator through the SDK's replay engine. */
class VerifySliceTest {
    private static final VerifyRequest REQUEST = new VerifyRequest("/site", "backups", "site", null, null, true, null);
    private static final SliceRequest SLICE = SliceRequest.of("00000000-0000-4000-8000-000000000005", "/site", "backups", "site", false, "reports/v.jsonl").at(1);
    private static final List<FileEntry> FILES = List.of(
            new FileEntry("a", 1, 1, "DMF1ucDxtqgxw5niaXcmYQ=="), new FileEntry("b/c", 2, 2, "kutf/uauL+w61xx3dTFXjw=="));

    private final Replay replay = new Replay(VerifySlice.NAME, "verify-1:1",
            (OrchestratorFunction<FanOutSummary>) ctx -> new VerifySlice().run(ctx));

    @Test
    void run_readsItsSliceThenOneCheckPerFileWithItsListedMd5() {
        OrchestratorAction read = replay.start(SLICE).getActions(0);
        assertEquals(ReadManifestSlice.NAME, read.getScheduleTask().getName());
        assertEquals(1, inputOf(read, SliceRequest.class).getIndex());

        List<OrchestratorAction> checks = replay.episode(replay.taskCompleted(read, new FileSlice(FILES))).getActionsList();

        assertEquals(List.of(CheckFileContent.NAME, CheckFileContent.NAME),
                checks.stream().map(a -> a.getScheduleTask().getName()).toList());
        ContentCheck second = inputOf(checks.get(1), ContentCheck.class);
        assertEquals("/site", second.getRootDirectory());
        assertEquals("b/c", second.getPath());
        assertEquals("kutf/uauL+w61xx3dTFXjw==", second.getContentMd5());
    }

    @Test
    void run_sameAndDifferent_completesWithTheSummary() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(SLICE).getActionsList(), action ->
                action.getScheduleTask().getName().equals(ReadManifestSlice.NAME)
                        ? replay.taskCompleted(action, new FileSlice(FILES))
                        : inputOf(action, ContentCheck.class).getPath().equals("a")
                        ? replay.taskCompleted(action, FileOutcome.done("a", 1))
                        : replay.taskCompleted(action, FileOutcome.notDone("b/c", "content differs (MD5)")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        FanOutSummary summary = Replay.JSON.deserialize(done.getResult().getValue(), FanOutSummary.class);
        assertEquals(1, summary.getFilesDone());
        assertEquals(List.of(new FileProblem("b/c", "content differs (MD5)")), summary.getProblems());
    }
}
