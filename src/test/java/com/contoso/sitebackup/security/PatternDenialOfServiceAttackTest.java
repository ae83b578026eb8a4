package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.filter.Glob;
import com.contoso.sitebackup.testing.DeepPaths;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 5: denial of service through patterns. The two worst cases of the issue run over 100,000
 * paths of depth 25 in well under the time the JDK's matcher needs for a few hundred of them (printed), and
 * the flood of 300,000 patterns is refused before any is compiled.
 */
class PatternDenialOfServiceAttackTest {

    @Test
    void matches_issuesWorstPatternsOver100000PathsOfDepth25_seconds() {
        List<String> paths = DeepPaths.generate(100_000, 25, 7);
        double total = 0;
        for (String pattern : List.of("**/**/**/**/**/**/**.zip", "*a*a*a*a*a*a*a*a*a*a*a*b")) {
            Glob glob = Glob.compile("include", pattern);
            long start = System.nanoTime();
            int matched = 0;
            for (String path : paths) {
                matched += glob.matches(path) ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            total += seconds;
            System.out.printf("%s over 100,000 paths of depth 25: %.3f s, %,d matched%n", pattern, seconds, matched);
        }
        // The JDK's matcher: about 45 ms per path for the first (75 min here), seconds per name for the second.
        assertTrue(total < 20, total + " s");
    }

    @Test
    void compileAll_300000Patterns_refusedAtOnce() {
        List<String> flood = Collections.nCopies(300_000, "**/**/**/**/**/**/**.zip");
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.compileAll("include", flood));
        double millis = (System.nanoTime() - start) / 1e6;
        System.out.printf("300,000 patterns refused in %.1f ms%n", millis);
        assertEquals("include has 300000 patterns; at most 64 are allowed", e.getMessage());
        assertTrue(millis < 1000, millis + " ms");
    }

    @Test
    void compile_patternOf8Megabytes_refusedWithoutParsing() {
        String huge = "*a".repeat(4 << 20);
        long start = System.nanoTime();
        assertThrows(IllegalArgumentException.class, () -> Glob.compile("include", huge));
        assertTrue((System.nanoTime() - start) / 1e6 < 1000);
    }
}
