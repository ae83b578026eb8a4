package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The problems a listing activity finds, written to the run's {@link ProblemReport} in batches of
 * {@value #BATCH} as they come, so memory holds one batch however many there are; counted exactly, and the
 * first few kept for the plan. Batch keys are {@code <key> 1}, {@code <key> 2}, ...: a listing that runs
 * again (a retry, a duplicate delivery) walks in the same order and adds no batch twice.
 */
public final class ProblemLog {
    /** Problems per batch (one block of the report). */
    public static final int BATCH = 1_000;

    private final ProblemReport reports;
    private final String report;
    private final String key;
    private final int listed;
    private final List<FileProblem> first = new ArrayList<>();
    private final List<FileProblem> pending = new ArrayList<>();
    private long count;
    private int batches;

    /**
     * @param report the run's report, or null to write none (a request sent without one)
     * @param key names this listing's batches in the report
     * @param listed how many of the first problems {@link #first} keeps
     */
    public ProblemLog(ProblemReport reports, String report, String key, int listed) {
        this.reports = Objects.requireNonNull(reports, "reports");
        this.report = report;
        this.key = Objects.requireNonNull(key, "key");
        if (listed < 0) {
            throw new IllegalArgumentException("listed must not be negative: " + listed);
        }
        this.listed = listed;
    }

    /** Counts {@code problem} and writes it with its batch. */
    public void add(FileProblem problem) {
        count++;
        if (first.size() < listed) {
            first.add(problem);
        }
        if (report != null) {
            pending.add(problem);
            if (pending.size() == BATCH) {
                flush();
            }
        }
    }

    /** Writes the problems not written yet. */
    public void flush() {
        if (!pending.isEmpty()) {
            reports.append(report, key + " " + ++batches, pending);
            pending.clear();
        }
    }

    /** Every problem added, exact. */
    public long count() {
        return count;
    }

    /** The first problems added, as many as the log keeps. */
    public List<FileProblem> first() {
        return List.copyOf(first);
    }
}
