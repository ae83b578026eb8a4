package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The result of {@code CopyFileToBlob}: the bytes copied, or the reason a file was not copied when that is
 * an expected outcome (the file vanished or stopped being a regular file since it was listed). Unexpected
 * failures are exceptions, which the orchestrator's retry policy retries.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class CopyResult {
    private final String path;
    private final long bytes;
    private final String problem;

    @JsonCreator
    public CopyResult(@JsonProperty("path") String path,
                      @JsonProperty("bytes") long bytes,
                      @JsonProperty("problem") String problem) {
        this.path = Objects.requireNonNull(path, "path");
        this.bytes = bytes;
        this.problem = problem;
    }

    /** A file copied in full. */
    public static CopyResult copied(String path, long bytes) {
        return new CopyResult(path, bytes, null);
    }

    /** A file that was not copied, for a reason that retrying would not change. */
    public static CopyResult notCopied(String path, String problem) {
        return new CopyResult(path, 0, Objects.requireNonNull(problem, "problem"));
    }

    public String getPath() {
        return path;
    }

    /** The bytes uploaded; 0 when the file was not copied. */
    public long getBytes() {
        return bytes;
    }

    /** Why the file was not copied, or null when it was. */
    public String getProblem() {
        return problem;
    }
}
