package com.contoso.sitebackup.standin.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.standin.stack.StandIn;
import org.junit.jupiter.api.Test;

/** The runner's progress line: a rate and an ETA once files move, even when a run's one batch ends within one look. */
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private static String status(String phase, long done, long planned, long bytes) {
        return "{\"customStatus\":{\"phase\":\"" + phase + "\",\"filesDone\":" + done + ",\"filesPlanned\":" + planned
                + ",\"bytesDone\":" + bytes + ",\"bytesPlanned\":" + planned * 100 + "}}";
    }

    @Test
    void line_workDoneWithinOneLook_hasARateSinceTheListing() {
        Progress progress = new Progress("backup", 0);
        progress.line(StandIn.read(status("STARTING", 0, 0, 0)), 0);
        progress.line(StandIn.read(status("LISTING", 0, 0, 0)), SECOND / 2);
        String line = progress.line(StandIn.read(status("COPYING", 32, 32, 3_200)), SECOND);
        // It failed before: the first look at COPYING was taken as the start of the work, so no rate ("ETA -").
        assertTrue(line.matches(".*files 32/32 \\(100%\\)  bytes .*/s 64\\.0 files/s  ETA .*"), line);
    }

    @Test
    void line_runThatEndedBetweenTwoLooks_hasARateOnItsLastLine() {
        Progress progress = new Progress("backup", 0);
        progress.line(StandIn.read(status("STARTING", 0, 0, 0)), 0);
        progress.line(StandIn.read(status("COPYING", 0, 32, 0)), SECOND / 2);
        String line = progress.line(StandIn.read(status("COMPLETED", 32, 32, 3_200)), SECOND);
        assertTrue(line.matches(".*files 32/32 \\(100%\\)  bytes .*/s 64\\.0 files/s  ETA .*"), line);
        Progress unseen = new Progress("backup", 0);
        unseen.line(StandIn.read(status("STARTING", 0, 0, 0)), 0);
        String end = unseen.line(StandIn.read(status("COMPLETED", 32, 32, 3_200)), SECOND);
        assertTrue(end.matches(".*files 32/32 \\(100%\\)  bytes .*/s 32\\.0 files/s  ETA .*"), end);
    }

    @Test
    void line_firstLookAtARunInProgress_countsTheRateFromThen() {
        Progress progress = new Progress("status", 0);
        String first = progress.line(StandIn.read(status("COPYING", 10, 20, 1_000)), SECOND);
        assertTrue(first.endsWith("ETA -"), first);
        String next = progress.line(StandIn.read(status("COPYING", 20, 20, 2_000)), 3 * SECOND);
        assertTrue(next.contains(" 5.0 files/s"), next);
    }
}
