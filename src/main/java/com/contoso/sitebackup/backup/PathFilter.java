package com.contoso.sitebackup.backup;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Include and exclude glob patterns over relative paths (forward slashes), in the syntax of
 * {@link java.nio.file.FileSystem#getPathMatcher}: {@code *} stays within a folder, {@code **} crosses folders.
 * A file is taken when it matches some include pattern (or there are none) and no exclude pattern.
 * A pattern without a slash also matches the file name alone, as in rclone and AzCopy ({@code *.log}).
 */
public final class PathFilter {
    private final List<PathMatcher> includes;
    private final List<PathMatcher> excludes;
    private final List<PathMatcher> includeNames;
    private final List<PathMatcher> excludeNames;

    private PathFilter(List<String> include, List<String> exclude) {
        this.includes = compile("include", include, false);
        this.excludes = compile("exclude", exclude, false);
        this.includeNames = compile("include", include, true);
        this.excludeNames = compile("exclude", exclude, true);
    }

    /** A filter from the patterns; throws IllegalArgumentException naming the first invalid pattern. */
    public static PathFilter of(List<String> include, List<String> exclude) {
        return new PathFilter(include == null ? List.of() : include, exclude == null ? List.of() : exclude);
    }

    /** Whether the file at {@code relativePath} is part of the backup. */
    public boolean accepts(String relativePath) {
        Path path = Path.of(relativePath);
        Path name = path.getFileName();
        boolean included = includes.isEmpty() || matches(includes, includeNames, path, name);
        return included && !matches(excludes, excludeNames, path, name);
    }

    private static boolean matches(List<PathMatcher> full, List<PathMatcher> names, Path path, Path name) {
        return full.stream().anyMatch(m -> m.matches(path)) || names.stream().anyMatch(m -> m.matches(name));
    }

    private static List<PathMatcher> compile(String argument, List<String> patterns, boolean nameOnly) {
        return patterns.stream()
                .filter(p -> !nameOnly || !p.contains("/"))
                .map(p -> compile(argument, p))
                .toList();
    }

    private static PathMatcher compile(String argument, String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException(argument + " patterns must not be blank");
        }
        if (pattern.startsWith("/")) {
            throw new IllegalArgumentException(argument + " pattern '" + pattern
                    + "' must be relative to the root (no leading '/')");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argument + " pattern '" + pattern + "' is not a valid glob: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
