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
 * {@value Glob#MAX_PATTERNS} patterns per list, {@value Glob#MAX_PATTERN_LENGTH} characters each, matching costs
 * time linear in the path's length ({@link Glob}), and includes and excludes together cost at most
 * {@value Glob#MAX_STEPS_PER_CHARACTER} matching steps per path character ({@link Glob#checkBudget}): a request over
 * that budget is refused where its filter is made, before any path is matched.
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
        List<Glob> includes = Glob.compileAll("include", include);
        List<Glob> excludes = Glob.compileAll("exclude", exclude);
        Glob.checkBudget("include and exclude patterns", includes, excludes);
        return new PathFilter(includes, excludes);
    }

    /** Whether the file at {@code relativePath} (its names as text, joined by '/') is part of the job. */
    public boolean accepts(String relativePath) {
        boolean included = includes.isEmpty() || includes.stream().anyMatch(g -> g.matches(relativePath));
        return included && excludes.stream().noneMatch(g -> g.matches(relativePath));
    }

    /** The matching steps all patterns together cost per path character at most ({@link Glob#cost()}). */
    public int cost() {
        return includes.stream().mapToInt(Glob::cost).sum() + excludes.stream().mapToInt(Glob::cost).sum();
    }

    /**
     * The matching steps {@link #accepts} takes on {@code relativePath} ({@link Glob#steps}), the patterns it skips
     * once its answer is known not counted: at most {@link #cost()} per character. For tests that count work.
     */
    public long steps(String relativePath) {
        long steps = 0;
        boolean included = includes.isEmpty();
        for (Glob glob : includes) {
            long run = glob.run(relativePath);
            steps += run >>> 1;
            if ((run & 1) != 0) {
                included = true;
                break;
            }
        }
        if (included) {
            for (Glob glob : excludes) {
                long run = glob.run(relativePath);
                steps += run >>> 1;
                if ((run & 1) != 0) {
                    break;
                }
            }
        }
        return steps;
    }
}
