package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.fs.FileProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tally of a comparison by listings while it runs: exact counts, the first {@link VerifyReport#MAX_LISTED}
 * of each kind of difference for the report, and every difference written to the run's problem report as it
 * is found, so memory does not grow with the number of differences.
 */
final class Differences {
    private final ProblemLog log;
    private final List<String> missing = new ArrayList<>();
    private final List<String> extra = new ArrayList<>();
    private final List<FileProblem> different = new ArrayList<>();
    private long identical;
    private long missingCount;
    private long extraCount;
    private long differentCount;

    Differences(ProblemLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    void identical() {
        identical++;
    }

    /** A file in the directory with no blob. */
    void missing(String path) {
        missingCount++;
        keep(missing, path);
        log.add(new FileProblem(path, VerifyReport.MISSING));
    }

    /** A blob with no file in the directory. */
    void extra(String path) {
        extraCount++;
        keep(extra, path);
        log.add(new FileProblem(path, VerifyReport.EXTRA));
    }

    /** A file whose blob differs, and how. */
    void different(FileProblem difference) {
        differentCount++;
        keep(different, difference);
        log.add(difference);
    }

    /** Writes what is left to the problem report and returns the report of the comparison. */
    VerifyReport finish() {
        log.flush();
        return new VerifyReport(identical, missingCount, extraCount, differentCount, missing, extra, different, null);
    }

    private static <T> void keep(List<T> list, T item) {
        if (list.size() < VerifyReport.MAX_LISTED) {
            list.add(item);
        }
    }
}
