package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.CompletionEvents;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JobLogTest {
    private static final String REPORT = "reports/x-1.jsonl";

    private static JobProgress ended(JobProgress.Phase phase, long done, long bytes, long unchanged, long problems,
                                     String message) {
        return new JobProgress(phase, done + problems, bytes, done, bytes, unchanged, 0, problems, 0, 0,
                List.of(), REPORT, message);
    }

    @Test
    void completionLine_completed_succeededWithTheStatusCounts() {
        String line = JobLog.completionLine(JobKind.BACKUP, "backup-0a1b", ended(JobProgress.Phase.COMPLETED, 12, 3_400, 7, 0, null), 1_200);

        JsonNode event = CompletionEvents.parse(line);
        assertEquals("backup", event.get("kind").asText());
        assertTrue(event.get("job").isNull(), "an instance started over HTTP belongs to no job");
        assertEquals("backup-0a1b", event.get("instance").asText());
        assertEquals("Succeeded", event.get("outcome").asText());
        assertEquals(List.of(12L, 3_400L, 7L, 0L, 1_200L), List.of(event.get("files").asLong(), event.get("bytes").asLong(),
                event.get("unchanged").asLong(), event.get("problems").asLong(), event.get("durationMs").asLong()));
    }

    @Test
    void completionLine_completedWithProblems_countsTheProblems() {
        JsonNode event = CompletionEvents.parse(JobLog.completionLine(JobKind.VERIFY, "verify-1",
                ended(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, 3, 30, 0, 4, null), 5));
        assertEquals("verify", event.get("kind").asText());
        assertEquals("CompletedWithProblems", event.get("outcome").asText());
        assertEquals(4, event.get("problems").asLong());
    }

    @Test
    void completionLine_failed_reasonIsTheMessageCutTo500Characters() {
        String message = "Backup incomplete: " + "x".repeat(JobLog.MAX_REASON);
        JsonNode event = CompletionEvents.parse(JobLog.completionLine(JobKind.BACKUP, "i",
                ended(JobProgress.Phase.FAILED, 0, 0, 0, 0, message), 0));
        assertEquals("Failed", event.get("outcome").asText());
        assertEquals(message.substring(0, JobLog.MAX_REASON), event.get("reason").asText());
    }

    @Test
    void completionLine_failedMessageCutInsideASurrogatePair_keepsNoHalfCharacter() {
        String message = "a".repeat(JobLog.MAX_REASON - 1) + "\uD83D\uDCBE and more";
        JsonNode event = CompletionEvents.parse(JobLog.completionLine(JobKind.RESTORE, "i",
                ended(JobProgress.Phase.FAILED, 0, 0, 0, 0, message), 0));
        assertEquals("a".repeat(JobLog.MAX_REASON - 1), event.get("reason").asText());
    }

    @Test
    void completionLine_scheduledJobAndItsChildren_nameTheJob() {
        JobProgress done = ended(JobProgress.Phase.COMPLETED, 1, 1, 0, 0, null);
        assertEquals("nightly", CompletionEvents.parse(JobLog.completionLine(JobKind.BACKUP, "job-nightly", done, 0))
                .get("job").asText());
        assertEquals("nightly", CompletionEvents.parse(JobLog.completionLine(JobKind.VERIFY,
                "job-nightly:1767225600000:verify", done, 0)).get("job").asText());
    }

    @Test
    void outcomeOf_everyEndPhase_mapsToTheAlertsOutcomeAndLevel() {
        assertEquals(JobLog.Outcome.SUCCEEDED, JobLog.Outcome.of(ended(JobProgress.Phase.COMPLETED, 1, 1, 0, 0, null)));
        assertEquals(JobLog.Outcome.COMPLETED_WITH_PROBLEMS,
                JobLog.Outcome.of(ended(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, 1, 1, 0, 1, null)));
        assertEquals(JobLog.Outcome.FAILED, JobLog.Outcome.of(ended(JobProgress.Phase.FAILED, 0, 0, 0, 0, "x")));
        assertEquals(JobLog.Outcome.SUCCEEDED, JobLog.Outcome.of(ended(JobProgress.Phase.DRY_RUN_COMPLETED, 0, 0, 0, 0, null)));
        assertEquals(JobLog.Outcome.COMPLETED_WITH_PROBLEMS,
                JobLog.Outcome.of(ended(JobProgress.Phase.DRY_RUN_COMPLETED, 0, 0, 0, 2, null)));
        assertEquals(List.of(Level.INFO, Level.WARNING, Level.SEVERE),
                List.of(JobLog.Outcome.SUCCEEDED.level(), JobLog.Outcome.COMPLETED_WITH_PROBLEMS.level(), JobLog.Outcome.FAILED.level()));
    }

    @Test
    void outcomeOf_phaseThatIsNotAnEnd_throwsNamingThePhase() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobLog.Outcome.of(ended(JobProgress.Phase.COPYING, 0, 0, 0, 0, null)));
        assertTrue(e.getMessage().contains("COPYING"), e.getMessage());
    }

    /** A run of two episodes through the SDK's replay engine: a timer, then the end. */
    @Test
    void completed_throughTheReplayEngine_loggedOnceAtTheEndAndNeverWhileReplaying() {
        RecordingContext context = new RecordingContext("Tiny");
        JobProgress status = ended(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, 2, 20, 1, 1, null);
        Replay replay = new Replay("Tiny", "job-weekly", (OrchestratorFunction<Long>) ctx -> {
            Instant started = ctx.getCurrentInstant();
            JobLog.info(ctx, context, "started");
            ctx.createTimer(Duration.ofSeconds(3)).await();
            JobLog.completed(ctx, context, JobKind.BACKUP, started, status);
            return 0L;
        });

        OrchestratorAction timer = replay.start(null).getActions(0);
        replay.episode(replay.timerFired(timer));
        replay.replayAll();

        JsonNode event = CompletionEvents.only(context);
        assertEquals("weekly", event.get("job").asText());
        assertEquals("job-weekly", event.get("instance").asText());
        // The timer fires 1 ms after its time in the replay's virtual clock.
        assertEquals(Duration.ofSeconds(3).plusMillis(1).toMillis(), event.get("durationMs").asLong());
        List<LogRecord> records = context.records();
        assertEquals(List.of("Tiny job-weekly: started"), records.stream().map(LogRecord::getMessage)
                .filter(m -> !m.startsWith(CompletionEvents.PREFIX)).toList(), "the info line once, not per episode");
        assertEquals(Level.WARNING, records.get(records.size() - 1).getLevel());
    }

    @Test
    void completionLine_statusNamesFiles_eventNamesNone() {
        JobProgress status = new JobProgress(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, 1, 1, 0, 0, 0, 0, 1, 0, 0,
                List.of(new FileProblem("secret/path.txt", "not readable")), REPORT, null);
        String line = JobLog.completionLine(JobKind.BACKUP, "i", status, 0);
        assertFalse(line.contains("secret/path.txt"), "the event names no file: " + line);
    }
}
