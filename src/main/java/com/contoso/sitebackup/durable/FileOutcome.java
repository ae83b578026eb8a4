package com.contoso.sitebackup.durable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one file activity did with one file: done, with the bytes it copied, restored or checked, possibly with
 * a {@code warning} that makes it worth listing (a restore whose content could not be verified); or not
 * done, for a reason that retrying would not change ({@code problem}). Unexpected failures are exceptions,
 * which the fan-out retries.
 *
 * <p>A result type: its constructor accepts whatever a serializer hands it and never throws, so a result
 * can always be read back (SDK 1.5.0 leaves an instance Running when it cannot deserialize a result).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FileOutcome {
    private final String path;
    private final long bytes;
    private final String problem;
    private final String warning;

    @JsonCreator
    public FileOutcome(@JsonProperty("path") String path,
                       @JsonProperty("bytes") long bytes,
                       @JsonProperty("problem") String problem,
                       @JsonProperty("warning") String warning) {
        this.path = path;
        this.bytes = bytes;
        this.problem = problem;
        this.warning = warning;
    }

    /** A file done in full. */
    public static FileOutcome done(String path, long bytes) {
        return new FileOutcome(path, bytes, null, null);
    }

    /** A file done, but with something its run must list ({@code warning}): it is counted done, and named. */
    public static FileOutcome doneWithWarning(String path, long bytes, String warning) {
        return new FileOutcome(path, bytes, null, warning == null ? "unknown warning" : warning);
    }

    /** A file not done, for a reason that retrying would not change. */
    public static FileOutcome notDone(String path, String problem) {
        return new FileOutcome(path, 0, problem == null ? "unknown problem" : problem, null);
    }

    /** The file, relative to its root. */
    public String getPath() {
        return path;
    }

    /** The bytes copied, restored or checked; 0 when not done. */
    public long getBytes() {
        return bytes;
    }

    /** Why the file was not done, or null when it was. */
    public String getProblem() {
        return problem;
    }

    /** What a done file's run must list about it, or null. */
    public String getWarning() {
        return warning;
    }

    /** Whether the file was done. */
    public boolean isDone() {
        return problem == null;
    }
}
