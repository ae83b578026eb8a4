package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.filter.Glob;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.testing.DeepPaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Denial of service through patterns. Issue 10, item 5: the two worst cases of that issue run over 100,000 paths
 * of depth 25 in a number of steps linear in the paths' length, and the flood of 300,000 patterns is refused before
 * any is compiled. Issue 23, item 7: within those bounds, 64 patterns of 80 characters made each long path cost 574
 * times one {@code *.zip} (about 9 minutes of CPU for 100,000 deep paths); every request now has a matching budget
 * of {@value Glob#MAX_STEPS_PER_CHARACTER} steps per path character for all its patterns together, and a request
 * over it is refused before any path is matched. Work is counted in steps ({@link Glob#steps}), never timed; each
 * test has a time limit only so that a regression fails instead of hanging.
 */
@Timeout(120)
class PatternDenialOfServiceAttackTest {

    @Test
    void matches_issuesWorstPatternsOver100000PathsOfDepth25_stepsLinearInTheLength() {
        List<String> paths = DeepPaths.generate(100_000, 25, 7);
        long characters = paths.stream().mapToLong(String::length).sum();
        for (String pattern : List.of("**/**/**/**/**/**/**.zip", "*a*a*a*a*a*a*a*a*a*a*a*b")) {
            Glob glob = Glob.compile("include", pattern);
            long steps = 0;
            int matched = 0;
            for (String path : paths) {
                steps += glob.steps(path);
                matched += glob.matches(path) ? 1 : 0;
            }
            System.out.printf("%s over 100,000 paths of depth 25: cost %d, %,d steps for %,d characters (%.2f per"
                    + " character), %,d matched%n", pattern, glob.cost(), steps, characters, steps / (double) characters,
                    matched);
            // The JDK's matcher: about 45 ms per path for the first (75 min here), seconds per name for the second.
            assertTrue(steps <= (long) glob.cost() * characters, steps + " steps");
        }
    }

    /**
     * Issue 23, item 7: 64 patterns of 80 characters, each a double star and a group of 38 alternatives (every
     * alternative reachable at every character), as include and as exclude. Refused where the filter is made,
     * naming the budget; the same patterns, matched anyway, would take this many more steps than {@code *.zip}.
     */
    @Test
    void pathFilter_64PatternsOf80CharactersOfAlternatives_refusedOverTheBudget() {
        String pattern = "**{" + "a,".repeat(37) + "bb}";
        assertEquals(80, pattern.length());
        List<String> attack = Collections.nCopies(Glob.MAX_PATTERNS, pattern);

        IllegalArgumentException include = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(attack, List.of()));
        IllegalArgumentException exclude = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of("*.zip"), attack));
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(attack.subList(0, 1), attack.subList(0, 1)));
        assertTrue(include.getMessage().startsWith("include patterns would cost "), include.getMessage());
        assertTrue(exclude.getMessage().startsWith("exclude patterns would cost "), exclude.getMessage());
        assertTrue(split.getMessage().startsWith("include and exclude patterns would cost "), split.getMessage());
        assertTrue(include.getMessage().contains("at most " + Glob.MAX_STEPS_PER_CHARACTER + " are allowed"));

        // What the refused request would have cost, counted on 1,000 of the deep paths.
        List<String> paths = DeepPaths.generate(1_000, 25, 7);
        Glob one = Glob.compile("include", pattern);
        Glob zip = Glob.compile("include", "*.zip");
        long attackSteps = 0;
        long zipSteps = 0;
        for (String path : paths) {
            attackSteps += one.steps(path) * Glob.MAX_PATTERNS;
            zipSteps += zip.steps(path);
        }
        System.out.printf("64 patterns of 80 characters: cost %,d steps per character (budget %d), refused; matched"
                + " anyway %,d steps for 1,000 deep paths against %,d for *.zip (%,dx)%n", one.cost() * Glob.MAX_PATTERNS,
                Glob.MAX_STEPS_PER_CHARACTER, attackSteps, zipSteps, attackSteps / zipSteps);
        assertTrue(one.cost() * Glob.MAX_PATTERNS > Glob.MAX_STEPS_PER_CHARACTER);
    }

    /**
     * The costliest filters a request may still send (at the budget, in the shapes that keep every node active):
     * over 10,000 deep paths, never more than the budget's steps per character, counted.
     */
    @Test
    void pathFilter_costliestFiltersWithinTheBudget_stepsNeverAboveTheBudgetPerCharacter() {
        List<String> paths = DeepPaths.generate(10_000, 25, 11);
        long characters = paths.stream().mapToLong(String::length).sum();
        for (String shape : List.of("**{a,b}", "**{a,b,c,d,e,f,g}", "**x", "*a*a*a*a*a*a*a*a*a*a*a*b",
                "**[a-c][a-c][a-c]*")) {
            int each = Glob.compile("include", shape).cost();
            List<String> patterns = new ArrayList<>(Collections.nCopies(
                    Math.min(Glob.MAX_PATTERNS, Glob.MAX_STEPS_PER_CHARACTER / each), shape));
            PathFilter filter = PathFilter.of(patterns, List.of());
            long steps = 0;
            for (String path : paths) {
                steps += filter.steps(path);
            }
            System.out.printf("%d x %s: cost %d, %,d steps over 10,000 deep paths (%.1f per character)%n",
                    patterns.size(), shape, filter.cost(), steps, steps / (double) characters);
            assertTrue(filter.cost() <= Glob.MAX_STEPS_PER_CHARACTER);
            assertTrue(steps <= (long) Glob.MAX_STEPS_PER_CHARACTER * characters, steps + " steps");
        }
    }

    @Test
    void compileAll_300000Patterns_refusedAtOnce() {
        List<String> flood = Collections.nCopies(300_000, "**/**/**/**/**/**/**.zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.compileAll("include", flood));
        // The count is checked before any pattern is compiled: the message says so, with no pattern named.
        assertEquals("include has 300000 patterns; at most 64 are allowed", e.getMessage());
    }

    @Test
    void compile_patternOf8Megabytes_refusedWithoutParsing() {
        String huge = "*a".repeat(4 << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.compile("include", huge));
        assertTrue(e.getMessage().endsWith("is longer than 1024 characters"), e.getMessage());
    }
}
