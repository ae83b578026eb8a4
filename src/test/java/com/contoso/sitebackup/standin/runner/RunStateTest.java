package com.contoso.sitebackup.standin.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the next run's sweep says of an earlier run folder: nothing for a run that finished on its own (exit 1 keeps
 * its logs), "ended without finishing" and an Abandoned record for one whose runner died (SIGKILL), nothing at all for
 * a live one. The runner's death is played by letting go of the folder's lock without marking the run finished, which
 * is what the operating system does for a killed runner.
 */
class RunStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @TempDir
    Path dir;

    @Test
    void sweep_runThatFinishedWithExitOneAndNoInstance_removesItsFolderQuietly() {
        RunState state = new RunState(dir);
        RunState.Run run = state.begin("snapshots");
        run.finished(true, "exit 1");
        assertTrue(Files.isDirectory(run.folder()), "kept for its logs until the next run");

        List<String> lines = new RunState(dir).sweep();

        assertEquals(List.of(), lines);
        assertFalse(Files.exists(run.folder()));
        assertFalse(Files.exists(dir.resolve("records")), "no instance, no record");
    }

    @Test
    void sweep_runThatEndedWithProblems_removesItsFolderQuietlyAndKeepsItsFinalStatus() {
        RunState state = new RunState(dir);
        RunState.Run run = state.begin("backup");
        run.instance("backup-1");
        run.ended(status("backup-1", "Completed", "COMPLETED_WITH_PROBLEMS"));
        run.finished(true, "exit 1");

        List<String> lines = new RunState(dir).sweep();

        assertEquals(List.of(), lines);
        assertFalse(Files.exists(run.folder()));
        assertEquals("COMPLETED_WITH_PROBLEMS", state.record("backup-1").orElseThrow().at("/customStatus/phase")
                .asText());
    }

    @Test
    void finished_instanceThatDidNotEnd_isRecordedAbandonedWithTheReasonAndSweptQuietly() {
        RunState state = new RunState(dir);
        RunState.Run run = state.begin("backup");
        run.instance("backup-2");
        run.status(status("backup-2", "Running", "RUNNING"));
        run.finished(true, "the host stand-in did not answer");

        JsonNode record = state.record("backup-2").orElseThrow();
        assertEquals("Abandoned", record.path("runtimeStatus").asText());
        assertTrue(record.path("message").asText().contains("the host stand-in did not answer"), record.toString());
        assertEquals("RUNNING", record.at("/lastStatus/customStatus/phase").asText());
        assertEquals(List.of(), new RunState(dir).sweep());
        assertFalse(Files.exists(run.folder()));
    }

    @Test
    void sweep_runWhoseRunnerDied_saysSoAndRecordsItsInstanceAbandoned() {
        RunState state = new RunState(dir);
        RunState.Run run = state.begin("backup");
        run.instance("backup-3");
        run.status(status("backup-3", "Running", "RUNNING"));
        run.close(true); // the lock is let go of, the run never marked finished: a killed runner

        List<String> lines = new RunState(dir).sweep();

        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("a run that ended without finishing (runner pid " + PID + ", backup-3)"),
                lines.get(0));
        assertFalse(Files.exists(run.folder()));
        assertEquals("Abandoned", state.record("backup-3").orElseThrow().path("runtimeStatus").asText());
    }

    @Test
    void sweep_liveRun_isLeftAlone() {
        RunState state = new RunState(dir);
        RunState.Run run = state.begin("backup");
        try {
            assertEquals(List.of(), new RunState(dir).sweep());
            assertTrue(Files.isDirectory(run.folder()));
        } finally {
            run.close(false);
        }
    }

    private static JsonNode status(String id, String runtimeStatus, String phase) {
        ObjectNode status = JSON.createObjectNode();
        status.put("instanceId", id);
        status.put("runtimeStatus", runtimeStatus);
        status.putObject("customStatus").put("phase", phase);
        return status;
    }
}
