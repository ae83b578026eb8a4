package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@AzuriteTest
class ProblemLogTest {
    private static final String CONTAINER = "problem-log-" + System.nanoTime();

    private final ProblemReport reports = new ProblemReport(Azurite.shared().client(), CONTAINER);

    private static List<FileProblem> problems(int count) {
        return IntStream.range(0, count).mapToObj(i -> new FileProblem("f" + i, "reason " + i)).toList();
    }

    private static ProblemLog logAll(ProblemLog log, List<FileProblem> problems) {
        problems.forEach(log::add);
        log.flush();
        return log;
    }

    @Test
    void add_twoAndAHalfBatches_everyProblemInTheReportOnceInOrder() {
        String report = ProblemReport.nameFor("batches", Instant.EPOCH);
        List<FileProblem> all = problems(ProblemLog.BATCH * 5 / 2);

        ProblemLog log = logAll(new ProblemLog(reports, report, "listing", 25), all);

        assertEquals(all, reports.read(report));
        assertEquals(all.size(), log.count());
        assertEquals(all.subList(0, 25), log.first());
    }

    @Test
    void add_sameListingRunTwice_reportHoldsItOnce() {
        String report = ProblemReport.nameFor("retried-listing", Instant.EPOCH);
        List<FileProblem> all = problems(ProblemLog.BATCH + 10);

        logAll(new ProblemLog(reports, report, "listing", 0), all);
        logAll(new ProblemLog(reports, report, "listing", 0), all);

        assertEquals(all, reports.read(report));
    }

    @Test
    void add_withoutAReport_countsAndWritesNothing() {
        String untouched = "problem-log-untouched-" + System.nanoTime();
        ProblemReport nowhere = new ProblemReport(Azurite.shared().client(), untouched);

        ProblemLog log = logAll(new ProblemLog(nowhere, null, "listing", 2), problems(ProblemLog.BATCH + 1));

        assertEquals(ProblemLog.BATCH + 1, log.count());
        assertEquals(problems(2), log.first());
        assertFalse(Azurite.shared().client().getBlobContainerClient(untouched).exists(), "no report, no container");
    }
}
