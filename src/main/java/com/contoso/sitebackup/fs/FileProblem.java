package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A file (path relative to its root, or a blob name) that a job could not take, and why. Part of results, so
 * its constructor accepts whatever a serializer hands it and never throws.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class FileProblem {
    /** How many characters of a path and of a reason {@link #clipped} keeps. */
    public static final int MAX_TEXT = 300;

    private final String path;
    private final String reason;

    @JsonCreator
    public FileProblem(@JsonProperty("path") String path, @JsonProperty("reason") String reason) {
        this.path = path == null ? "" : path;
        this.reason = reason == null ? "" : reason;
    }

    public String getPath() {
        return path;
    }

    public String getReason() {
        return reason;
    }

    /**
     * This problem fit for a status or a result: path and reason each made printable ({@link Printable#quote}) and
     * cut to {@value #MAX_TEXT} characters, so one very long path never crowds out the others.
     */
    public FileProblem clipped() {
        return new FileProblem(clip(Printable.quote(path)), clip(Printable.quote(reason)));
    }

    private static String clip(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileProblem p && p.path.equals(path) && p.reason.equals(reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, reason);
    }

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
