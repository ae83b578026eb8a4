package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@AzuriteTest
@Timeout(60)
class DifferencesTest {
    private final ProblemReport reports = new ProblemReport(Azurite.shared().client(), "differences-" + System.nanoTime());

    @Test
    void finish_moreOfEachKindThanAReportNames_exactCountsFirstNamedEveryOneInTheProblemReport() {
        String report = ProblemReport.nameFor("differences", Instant.EPOCH);
        Differences differences = new Differences(new ProblemLog(reports, report, "listing", 0));
        int each = VerifyReport.MAX_LISTED + 50;
        for (int i = 0; i < each; i++) {
            differences.missing("m" + i);
            differences.extra("e" + i);
            differences.different(new FileProblem("d" + i, "size 1 here, 2 in the backup"));
            differences.identical();
        }

        VerifyReport result = differences.finish();

        assertEquals(each, result.getIdentical());
        assertEquals(each, result.getMissingCount());
        assertEquals(each, result.getExtraCount());
        assertEquals(each, result.getDifferentCount());
        assertEquals(VerifyReport.MAX_LISTED, result.getMissing().size());
        assertEquals("m0", result.getMissing().get(0));
        assertEquals(VerifyReport.MAX_LISTED, result.getExtra().size());
        assertEquals(VerifyReport.MAX_LISTED, result.getDifferent().size());
        List<FileProblem> written = reports.read(report);
        assertEquals(3 * each, written.size());
        assertEquals(new FileProblem("m0", VerifyReport.MISSING), written.get(0));
        assertEquals(new FileProblem("e0", VerifyReport.EXTRA), written.get(1));
        assertEquals(new FileProblem("d0", "size 1 here, 2 in the backup"), written.get(2));
    }
}
