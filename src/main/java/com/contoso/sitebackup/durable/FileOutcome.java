package com.contoso.sitebackup.durable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one file activity did with one file: done, with the bytes it copied, restored or checked; or not
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

    @JsonCreator
    public FileOutcome(@JsonProperty("path") String path,
                       @JsonProperty("bytes") long bytes,
                       @JsonProperty("problem") String problem) {
        this.path = path;
        this.bytes = bytes;
        this.problem = problem;
    }

    /** A file done in full. */
    public static FileOutcome done(String path, long bytes) {
        return new FileOutcome(path, bytes, null);
    }

    /** A file not done, for a reason that retrying would not change. */
    public static FileOutcome notDone(String path, String problem) {
        return new FileOutcome(path, 0, problem == null ? "unknown problem" : problem);
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

    /** Whether the file was done. */
    public boolean isDone() {
        return problem == null;
    }
}
