package com.contoso.sitebackup.functions;

import static com.contoso.sitebackup.testing.Replay.inputOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileProblem;
import com.contoso.sitebackup.backup.FileSlice;
import com.contoso.sitebackup.backup.RestoreFileRequest;
import com.contoso.sitebackup.backup.RestoreRequest;
import com.contoso.sitebackup.backup.RestoreSliceRequest;
import com.contoso.sitebackup.backup.SliceRequest;
import com.contoso.sitebackup.testing.Replay;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay tests of the restore slice sub-orchestrator through the SDK's replay engine. */
class RestoreSliceTest {
    private static final RestoreRequest REQUEST = new RestoreRequest("backups", "home/site", "/restore", true);
    private static final RestoreSliceRequest SLICE = new RestoreSliceRequest(REQUEST, "/restore", "m-4", 2);
    private static final List<FileEntry> FILES = List.of(new FileEntry("a.txt", 5, 1), new FileEntry("d/b.txt", 7, 2));

    private final Replay replay = new Replay(RestoreSlice.NAME, "restore-1:2",
            (OrchestratorFunction<CopySummary>) ctx -> new RestoreSlice().run(ctx));

    @Test
    void run_readsItsSliceThenOneRestorePerBlobAtOnce() {
        OrchestratorAction read = replay.start(SLICE).getActions(0);
        assertEquals(ReadManifestSlice.NAME, read.getScheduleTask().getName());
        SliceRequest which = inputOf(read, SliceRequest.class);
        assertEquals("m-4", which.getManifest());
        assertEquals(2, which.getIndex());
        assertNull(which.getRequest(), "reading a slice needs only the manifest and index");

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
                        ? replay.taskCompleted(action, CopyResult.copied("a.txt", 5))
                        : replay.taskCompleted(action, CopyResult.notCopied("d/b.txt", "corrupted: the content does not match its Content-MD5")));

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, done.getOrchestrationStatus());
        CopySummary summary = Replay.JSON.deserialize(done.getResult().getValue(), CopySummary.class);
        assertEquals(1, summary.getFilesCopied());
        assertEquals(5, summary.getBytesCopied());
        assertEquals(List.of(new FileProblem("d/b.txt", "corrupted: the content does not match its Content-MD5")),
                summary.getProblems());
    }
}
