package com.contoso.sitebackup.restore;

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
import static org.junit.jupiter.api.Assertions.assertNull;

import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of the restore slice sub-orchestrator through the SDK's replay engine. */
class RestoreSliceTest {
    private static final RestoreRequest REQUEST = new RestoreRequest("backups", "home/site", "/restore", true, null);
    private static final SliceRequest SLICE = SliceRequest.of("00000000-0000-4000-8000-000000000004", "/restore", "backups", "home/site", true, "reports/r.jsonl").at(2);
    private static final List<FileEntry> FILES = List.of(new FileEntry("a.txt", 5, 1), new FileEntry("d/b.txt", 7, 2));

    private final Replay replay = new Replay(RestoreSlice.NAME, "restore-1:2",
            (OrchestratorFunction<FanOutSummary>) ctx -> new RestoreSlice().run(ctx));

    @Test
    void run_readsItsSliceThenOneRestorePerBlobAtOnce() {
        OrchestratorAction read = replay.start(SLICE).getActions(0);
        assertEquals(ReadManifestSlice.NAME, read.getScheduleTask().getName());
        SliceRequest which = inputOf(read, SliceRequest.class);
        assertEquals("00000000-0000-4000-8000-000000000004", which.getManifest());
        assertEquals(2, which.getIndex());

        List<OrchestratorAction> restores = replay.episode(replay.taskCompleted(read, new FileSlice(FILES))).getActionsList();

        assertEquals(List.of(RestoreBlobToFile.NAME, RestoreBlobToFile.NAME),
                restores.stream().map(a -> a.getScheduleTask().getName()).toList());
        RestoreFileRequest second = inputOf(restores.get(1), RestoreFileRequest.class);
        assertEquals("home/site/d/b.txt", second.getBlobName());
        assertEquals("d/b.txt", second.getPath());
        assertEquals("/restore", second.getTargetDirectory());
        assertEquals(true, second.isOverwrite());
    }

    @Test
    void run_restoredAndRefused_completesWithTheSummary() {
        CompleteOrchestrationAction done = replay.runToEnd(replay.start(SLICE).getActionsList(), action ->
                action.getScheduleTask().getName().equals(ReadManifestSlice.NAME)
                        ? replay.taskCompleted(action, new FileSlice(FILES))
                        : inputOf(action, RestoreFileRequest.class).getPath().equals("a.txt")
                        ? replay.taskCompleted(action, FileOutcome.done("a.txt", 5))
                        : replay.taskCompleted(action, FileOutcome.notDone("d/b.txt", "corrupted: the content does not match its Content-MD5")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        FanOutSummary summary = Replay.JSON.deserialize(done.getResult().getValue(), FanOutSummary.class);
        assertEquals(1, summary.getFilesDone());
        assertEquals(5, summary.getBytesDone());
        assertEquals(List.of(new FileProblem("d/b.txt", "corrupted: the content does not match its Content-MD5")),
                summary.getProblems());
    }
}
