package com.contoso.sitebackup.filter;

import java.util.List;

/**
 * Include and exclude patterns over relative paths (forward slashes), each a {@link Glob}: {@code *} stays within
 * a folder, {@code **} crosses folders, a {@code **}{@code /} segment also matches no folder at all
 * ({@code **}{@code /*.html} takes a top-level {@code index.html}), and a pattern without a slash also matches the
 * file name alone, as in rclone and AzCopy ({@code *.log}). A file is taken when it matches some include pattern
 * (or there are none) and no exclude pattern.
 *
 * <p>Bounded whoever sends the patterns (the starter, or anyone through Durable's own HTTP API): at most
 * {@value Glob#MAX_PATTERNS} patterns per list, {@value Glob#MAX_PATTERN_LENGTH} characters each, and matching
 * costs time linear in the path's length ({@link Glob}).
 */
public final class PathFilter {
    private final List<Glob> includes;
    private final List<Glob> excludes;

    private PathFilter(List<Glob> includes, List<Glob> excludes) {
        this.includes = includes;
        this.excludes = excludes;
    }

    /**
     * A filter from the patterns; null lists are empty.
     *
     * @throws IllegalArgumentException naming the list and the first pattern {@link Glob#compileAll} refuses
     */
    public static PathFilter of(List<String> include, List<String> exclude) {
        return new PathFilter(Glob.compileAll("include", include), Glob.compileAll("exclude", exclude));
    }

    /** Whether the file at {@code relativePath} (its names as text, joined by '/') is part of the job. */
    public boolean accepts(String relativePath) {
        boolean included = includes.isEmpty() || includes.stream().anyMatch(g -> g.matches(relativePath));
        return included && excludes.stream().noneMatch(g -> g.matches(relativePath));
    }
}
