package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.config.AppServices;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.Objects;

/** Activity: adds a fan-out's problems and failures to the run's report (see {@link ProblemReport}). */
public final class RecordProblems {
    public static final String NAME = "RecordProblems";

    private final ProblemReport reports;

    /** Used by the Functions worker: the process's services. */
    public RecordProblems() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public RecordProblems(AppServices services) {
        this(ProblemReport.from(services));
    }

    public RecordProblems(ProblemReport reports) {
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** Returns how many problems the batch held. */
    @FunctionName(NAME)
    public int run(@DurableActivityTrigger(name = "batch") ProblemBatch batch) {
        reports.append(batch.getReport(), batch.getKey(), batch.getProblems());
        return batch.getProblems().size();
    }
}
