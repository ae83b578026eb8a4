package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@AzuriteTest
class ProblemReportTest {
    private static final String CONTAINER = "reports-" + System.nanoTime();

    private final ProblemReport reports = new ProblemReport(Azurite.shared().client(), CONTAINER);

    private static List<FileProblem> problems(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> new FileProblem(prefix + i, "reason ü " + i)).toList();
    }

    @Test
    void append_twoBatches_readBackInCommitOrder() {
        String report = ProblemReport.nameFor("two-batches", java.time.Instant.EPOCH);

        reports.append(report, "listing", problems("a", 2));
        reports.append(report, "slice 0", problems("b", 1));

        assertEquals(List.of("a0", "a1", "b0"), reports.read(report).stream().map(FileProblem::getPath).toList());
        assertEquals("reason ü 1", reports.read(report).get(1).getReason());
    }

    @Test
    void append_sameKeyTwice_addedOnce() {
        String report = ProblemReport.nameFor("retried", java.time.Instant.EPOCH);

        reports.append(report, "slice 3", problems("x", 3));
        reports.append(report, "slice 3", problems("x", 3));

        assertEquals(3, reports.read(report).size());
    }

    @Test
    void append_manySlicesAtOnce_noBatchLost() throws Exception {
        String report = ProblemReport.nameFor("concurrent", java.time.Instant.EPOCH);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int slice = i;
                done.add(pool.submit(() -> reports.append(report, "slice " + slice, problems("s" + slice + "-", 5))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(200, reports.read(report).size());
    }

    @Test
    void nameFor_instanceIdWithOddCharacters_aCheckedName() {
        String name = ProblemReport.nameFor("job-nightly/../x y", java.time.Instant.EPOCH);
        assertEquals(name, ProblemReport.check(name));
        assertThrows(IllegalArgumentException.class, () -> ProblemReport.check("../elsewhere.jsonl"));
        assertThrows(IllegalArgumentException.class, () -> ProblemReport.check("slices/x.json"));
    }
}
