package com.contoso.sitebackup.files;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Include and exclude glob patterns over relative paths (forward slashes), in the syntax of
 * {@link java.nio.file.FileSystem#getPathMatcher}: {@code *} stays within a folder, {@code **} crosses folders.
 * A file is taken when it matches some include pattern (or there are none) and no exclude pattern.
 * A pattern without a slash also matches the file name alone, as in rclone and AzCopy ({@code *.log}).
 * A {@code **}{@code /} segment also matches no folder at all, so {@code **}{@code /*.html} takes a top-level
 * {@code index.html} and {@code docs/**}{@code /*.md} takes {@code docs/a.md}.
 */
public final class PathFilter {
    /** Each {@code **}{@code /} doubles the matchers a pattern compiles to, so their number is capped. */
    static final int MAX_DOUBLE_STARS = 6;

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
        if (pattern.split("\\*\\*/", -1).length - 1 > MAX_DOUBLE_STARS) {
            throw new IllegalArgumentException(argument + " pattern '" + pattern + "' has more than "
                    + MAX_DOUBLE_STARS + " '**/' segments");
        }
        try {
            List<PathMatcher> matchers = new ArrayList<>();
            for (String variant : withoutDoubleStarSegments(pattern)) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + variant));
            }
            return path -> matchers.stream().anyMatch(m -> m.matches(path));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argument + " pattern '" + pattern + "' is not a valid glob: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * The pattern and every variant of it with some of its {@code **}{@code /} segments removed: the JDK's glob
     * needs at least one folder for {@code **}{@code /}, while users expect it to match zero or more.
     */
    private static Set<String> withoutDoubleStarSegments(String pattern) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(pattern);
        for (int i = pattern.indexOf("**/"); i >= 0; i = pattern.indexOf("**/", i + 1)) {
            if (i == 0 || pattern.charAt(i - 1) == '/') {
                variants.addAll(withoutDoubleStarSegments(pattern.substring(0, i) + pattern.substring(i + 3)));
            }
        }
        return variants;
    }
}
