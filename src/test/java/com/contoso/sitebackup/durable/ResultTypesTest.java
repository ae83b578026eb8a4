package com.contoso.sitebackup.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Replay;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 24, item 1: SDK 1.5.0 leaves an instance Running forever when it cannot bind a result to the type the
 * orchestrator asked for. The app's orchestrators ask for a {@link JsonNode}, which any JSON binds to, and map it
 * with {@link Wire}: a result of the wrong shape ends the instance with a message naming the function and the field.
 */
class ResultTypesTest {
    /** What no activity of ours writes: a JSON array where a plan (an object) belongs; and a field of the wrong type. */
    private static final List<String> WRONG_SHAPES = List.of("[1,2]", "{\"batchCount\":\"three\"}");

    /** The hazard itself, with an orchestrator that asks the SDK for a typed result: no action at all comes back. */
    @Test
    void typedResultOfTheWrongShape_sdkReturnsNoActionSoTheInstanceWouldHang() {
        for (String json : WRONG_SHAPES) {
            Replay replay = new Replay("Typed", "typed", (OrchestratorFunction<Object>) ctx ->
                    ctx.callActivity("GetFileList", null, JobPlan.class).await());
            OrchestratorAction call = replay.start(null).getActions(0);

            OrchestratorResponse response = replay.episode(replay.taskCompletedRaw(call, json));

            assertEquals(List.of(), response.getActionsList(), "no completion, no new task: Running forever");
        }
    }

    /** The app's orchestrator on the same results: it ends, and says which function's result and which field. */
    @Test
    void appOrchestratorOnTheSameResults_endsFailedNamingTheFunctionAndTheField() {
        for (String json : WRONG_SHAPES) {
            Replay replay = new Replay(BackupSiteContent.NAME, "malformed", (OrchestratorFunction<Long>) ctx ->
                    new BackupSiteContent().run(ctx, new RecordingContext(BackupSiteContent.NAME)));
            OrchestratorAction list = replay.start(BackupRequest.of("/r").withDefaults("backups")
                    .withCodeVersion(CodeVersion.CURRENT)).getActions(0);

            OrchestratorResponse response = replay.episode(replay.taskCompletedRaw(list, json));

            assertEquals(1, response.getActionsCount());
            assertTrue(response.getActions(0).hasCompleteOrchestration(), json);
            JobProgress status = replay.lastStatus(JobProgress.class);
            assertEquals(JobProgress.Phase.FAILED, status.getPhase());
            assertTrue(status.getMessage().contains("the result of GetFileList is not a JobPlan"), status.getMessage());
            if (json.contains("batchCount")) {
                assertTrue(status.getMessage().contains("field 'batchCount'"), status.getMessage());
            }
        }
    }
}
