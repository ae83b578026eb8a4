package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fan-out of copies achieved: files and bytes copied, files not copied for an expected reason
 * ({@code problems}) and files whose copy failed after every retry ({@code failures}). The result of a
 * {@code BackupSlice} sub-orchestration.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class CopySummary {
    private final long filesCopied;
    private final long bytesCopied;
    private final List<FileProblem> problems;
    private final List<FileProblem> failures;

    @JsonCreator
    public CopySummary(@JsonProperty("filesCopied") long filesCopied,
                       @JsonProperty("bytesCopied") long bytesCopied,
                       @JsonProperty("problems") List<FileProblem> problems,
                       @JsonProperty("failures") List<FileProblem> failures) {
        this.filesCopied = filesCopied;
        this.bytesCopied = bytesCopied;
        this.problems = problems == null ? List.of() : List.copyOf(problems);
        this.failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** Nothing copied yet. */
    public static CopySummary empty() {
        return new CopySummary(0, 0, List.of(), List.of());
    }

    /** The sum of this summary and {@code other}. */
    public CopySummary plus(CopySummary other) {
        List<FileProblem> allProblems = new ArrayList<>(getProblems());
        allProblems.addAll(other.getProblems());
        List<FileProblem> allFailures = new ArrayList<>(getFailures());
        allFailures.addAll(other.getFailures());
        return new CopySummary(filesCopied + other.filesCopied, bytesCopied + other.bytesCopied,
                allProblems, allFailures);
    }

    public long getFilesCopied() {
        return filesCopied;
    }

    public long getBytesCopied() {
        return bytesCopied;
    }

    public List<FileProblem> getProblems() {
        return problems == null ? List.of() : problems;
    }

    public List<FileProblem> getFailures() {
        return failures == null ? List.of() : failures;
    }
}
