package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The input of {@link RecordProblems}: problems of one part of a run (its key) for the run's report. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class ProblemBatch {
    private final String report;
    private final String key;
    private final List<FileProblem> problems;

    @JsonCreator
    public ProblemBatch(@JsonProperty("report") String report,
                        @JsonProperty("key") String key,
                        @JsonProperty("problems") List<FileProblem> problems) {
        this.report = report;
        this.key = key;
        this.problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public String getReport() {
        return report;
    }

    /** Which part of the run these are (the same key twice adds them once). */
    public String getKey() {
        return key;
    }

    public List<FileProblem> getProblems() {
        return problems == null ? List.of() : problems;
    }
}
