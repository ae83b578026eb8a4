package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fan-out achieved: files and bytes done, files done with something to list about them
 * ({@code warnings}, counted among those done), files not done for an expected reason ({@code problems})
 * and files that still failed after every retry ({@code failures}). Counts are exact; the lists name at
 * most {@link #MAX_LISTED} of each, so the summary a slice returns into its parent's history has a fixed
 * size whatever happened (the full lists go to the run's problem report). The result of every slice.
 *
 * <p>A result type: its constructor never throws, whatever a serializer hands it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class FanOutSummary {
    /** How many problems and how many failures a summary names, at most. */
    public static final int MAX_LISTED = 5;

    private final long filesDone;
    private final long bytesDone;
    private final long problemCount;
    private final long failureCount;
    private final List<FileProblem> problems;
    private final List<FileProblem> failures;
    private final long warningCount;
    private final List<FileProblem> warnings;

    @JsonCreator
    public FanOutSummary(@JsonProperty("filesDone") long filesDone,
                         @JsonProperty("bytesDone") long bytesDone,
                         @JsonProperty("problemCount") long problemCount,
                         @JsonProperty("failureCount") long failureCount,
                         @JsonProperty("problems") List<FileProblem> problems,
                         @JsonProperty("failures") List<FileProblem> failures,
                         @JsonProperty("warningCount") long warningCount,
                         @JsonProperty("warnings") List<FileProblem> warnings) {
        this.filesDone = filesDone;
        this.bytesDone = bytesDone;
        this.problemCount = problemCount;
        this.failureCount = failureCount;
        this.problems = first(problems);
        this.failures = first(failures);
        this.warningCount = warningCount;
        this.warnings = first(warnings);
    }

    /** Nothing done yet. */
    public static FanOutSummary empty() {
        return new FanOutSummary(0, 0, 0, 0, List.of(), List.of(), 0, List.of());
    }

    /** A summary of full lists without warnings: exact counts, the first {@link #MAX_LISTED} of each named. */
    public static FanOutSummary of(long filesDone, long bytesDone, List<FileProblem> problems, List<FileProblem> failures) {
        return new FanOutSummary(filesDone, bytesDone, problems.size(), failures.size(), problems, failures, 0, List.of());
    }

    /** This summary with the full list of warnings about files it counts as done. */
    public FanOutSummary withWarnings(List<FileProblem> allWarnings) {
        return new FanOutSummary(filesDone, bytesDone, problemCount, failureCount, problems, failures,
                allWarnings.size(), allWarnings);
    }

    /** The sum of this summary and {@code other}; the lists stay capped, so a long sum costs no more per step. */
    public FanOutSummary plus(FanOutSummary other) {
        return new FanOutSummary(filesDone + other.filesDone, bytesDone + other.bytesDone,
                problemCount + other.problemCount, failureCount + other.failureCount,
                concat(getProblems(), other.getProblems()), concat(getFailures(), other.getFailures()),
                warningCount + other.warningCount, concat(getWarnings(), other.getWarnings()));
    }

    private static List<FileProblem> concat(List<FileProblem> a, List<FileProblem> b) {
        if (a.size() >= MAX_LISTED || b.isEmpty()) {
            return a;
        }
        List<FileProblem> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<FileProblem> first(List<FileProblem> list) {
        if (list == null) {
            return List.of();
        }
        List<FileProblem> kept = new ArrayList<>();
        for (FileProblem problem : list) {
            if (kept.size() == MAX_LISTED) {
                break;
            }
            if (problem != null) {
                kept.add(problem);
            }
        }
        return List.copyOf(kept);
    }

    public long getFilesDone() {
        return filesDone;
    }

    public long getBytesDone() {
        return bytesDone;
    }

    /** Files not done for an expected reason, exact. */
    public long getProblemCount() {
        return problemCount;
    }

    /** Files that failed after every retry, exact. */
    public long getFailureCount() {
        return failureCount;
    }

    /** The first problems, at most {@link #MAX_LISTED}. */
    public List<FileProblem> getProblems() {
        return problems == null ? List.of() : problems;
    }

    /** The first failures, at most {@link #MAX_LISTED}. */
    public List<FileProblem> getFailures() {
        return failures == null ? List.of() : failures;
    }

    /** Files done with something to list about them (counted in {@link #getFilesDone()} too), exact. */
    public long getWarningCount() {
        return warningCount;
    }

    /** The first warnings, at most {@link #MAX_LISTED}. */
    public List<FileProblem> getWarnings() {
        return warnings == null ? List.of() : warnings;
    }
}
