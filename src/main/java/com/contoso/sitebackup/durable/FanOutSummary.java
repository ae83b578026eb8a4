package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fan-out achieved: files and bytes done; files not done for an expected reason ({@code problemCount});
 * files done with something to list about them ({@code warningCount}, counted among those done too); files that
 * still failed after every attempt ({@code failureCount}). Counts are exact; {@code problems} (problems and
 * warnings) and {@code failures} name at most {@link #MAX_LISTED} each, cut to a line, so the summary a group
 * returns into its parent's history has a bounded size whatever happened (the full lists are in the run's problem
 * report). {@code reportUnwritten} says some of them could not be written to the report.
 */
public record FanOutSummary(long filesDone, long bytesDone, long problemCount, long warningCount, long failureCount,
                            List<FileProblem> problems, List<FileProblem> failures, boolean reportUnwritten) {
    /** How many problems and how many failures a summary names, at most. */
    public static final int MAX_LISTED = 5;

    public FanOutSummary {
        if (filesDone < 0 || bytesDone < 0 || problemCount < 0 || warningCount < 0 || failureCount < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        problems = first(problems);
        failures = first(failures);
    }

    /** Nothing done yet. */
    public static FanOutSummary empty() {
        return new FanOutSummary(0, 0, 0, 0, 0, List.of(), List.of(), false);
    }

    /** What one batch activity achieved. */
    public static FanOutSummary of(BatchOutcome outcome) {
        return new FanOutSummary(outcome.filesDone(), outcome.bytesDone(), outcome.problemCount(),
                outcome.warningCount(), outcome.failureCount(), outcome.problems(), outcome.failures(),
                outcome.reportUnwritten());
    }

    /** {@code count} files that failed as a whole, for the reason {@code failure} names. */
    public static FanOutSummary failed(long count, FileProblem failure, boolean reportUnwritten) {
        return new FanOutSummary(0, 0, 0, 0, count, List.of(), List.of(failure), reportUnwritten);
    }

    /** The sum of this summary and {@code other}; the lists stay capped, so a long sum costs no more per step. */
    public FanOutSummary plus(FanOutSummary other) {
        return new FanOutSummary(filesDone + other.filesDone, bytesDone + other.bytesDone,
                problemCount + other.problemCount, warningCount + other.warningCount,
                failureCount + other.failureCount, concat(problems, other.problems), concat(failures, other.failures),
                reportUnwritten || other.reportUnwritten);
    }

    private static List<FileProblem> concat(List<FileProblem> a, List<FileProblem> b) {
        if (a.size() >= MAX_LISTED || b.isEmpty()) {
            return a;
        }
        List<FileProblem> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The first {@link #MAX_LISTED} of {@code list}, each cut to a line; none for null. */
    static List<FileProblem> first(List<FileProblem> list) {
        if (list == null) {
            return List.of();
        }
        return list.stream().filter(p -> p != null).limit(MAX_LISTED).map(FileProblem::clipped).toList();
    }
}
