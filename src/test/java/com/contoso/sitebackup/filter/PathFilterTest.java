package com.contoso.sitebackup.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathFilterTest {

    @Test
    void accepts_noPatterns_acceptsEverything() {
        PathFilter filter = PathFilter.of(List.of(), List.of());
        assertAll(
                () -> assertTrue(filter.accepts("index.html")),
                () -> assertTrue(filter.accepts("a/b/c.txt")),
                () -> assertTrue(filter.accepts(".hidden")));
    }

    @Test
    void of_nullLists_actsAsNoPatterns() {
        assertTrue(PathFilter.of(null, null).accepts("x/y.z"));
    }

    @Test
    void accepts_patternWithoutSlash_matchesFileNameAtAnyDepth() {
        PathFilter filter = PathFilter.of(List.of("*.html"), List.of());
        assertAll(
                () -> assertTrue(filter.accepts("index.html")),
                () -> assertTrue(filter.accepts("a/b/page.html")),
                () -> assertFalse(filter.accepts("a/b/page.htm")),
                () -> assertFalse(filter.accepts("html/readme.txt")));
    }

    @Test
    void accepts_patternWithSlash_matchesWholeRelativePathOnly() {
        PathFilter filter = PathFilter.of(List.of("docs/*.md"), List.of());
        assertAll(
                () -> assertTrue(filter.accepts("docs/a.md")),
                () -> assertFalse(filter.accepts("a.md")),
                () -> assertFalse(filter.accepts("other/docs/a.md")),
                () -> assertFalse(filter.accepts("docs/sub/a.md")));
    }

    @Test
    void accepts_doubleStarSlashPrefix_alsoMatchesFilesAtTheRoot() {
        // The documented example include ["**/*.html"] must not leave out the site's top-level index.html.
        PathFilter filter = PathFilter.of(List.of("**/*.html"), List.of());
        assertAll(
                () -> assertTrue(filter.accepts("index.html")),
                () -> assertTrue(filter.accepts("a/index.html")),
                () -> assertTrue(filter.accepts("a/b/c/index.html")),
                () -> assertFalse(filter.accepts("a/b/c/index.txt")));
    }

    @Test
    void accepts_doubleStarInTheMiddle_matchesZeroOrMoreFolders() {
        PathFilter filter = PathFilter.of(List.of("docs/**/*.md"), List.of());
        assertAll(
                () -> assertTrue(filter.accepts("docs/a.md")),
                () -> assertTrue(filter.accepts("docs/x/y/a.md")),
                () -> assertFalse(filter.accepts("src/a.md")));
    }

    @Test
    void accepts_excludeWinsOverInclude_fileLeftOut() {
        PathFilter filter = PathFilter.of(List.of("**"), List.of("*.tmp", "cache/**"));
        assertAll(
                () -> assertTrue(filter.accepts("a/keep.txt")),
                () -> assertFalse(filter.accepts("a/b/drop.tmp")),
                () -> assertFalse(filter.accepts("drop.tmp")),
                () -> assertFalse(filter.accepts("cache/x/y.bin")));
    }

    @Test
    void accepts_unicodeAndSpaces_matchedLikeAnyOtherName() {
        PathFilter filter = PathFilter.of(List.of("café/*.txt"), List.of("* copy.txt"));
        assertAll(
                () -> assertTrue(filter.accepts("café/naïve 日本.txt")),
                () -> assertFalse(filter.accepts("café/naïve copy.txt")),
                () -> assertFalse(filter.accepts("cafe/naïve 日本.txt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[abc", "{a,{b}}", "a\\"})
    void of_invalidGlob_throwsNamingThePattern(String pattern) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of("ok/*.txt"), List.of(pattern)));
        assertTrue(e.getMessage().contains("exclude pattern '" + pattern + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("not a valid glob"), e.getMessage());
    }

    @Test
    void of_blankPattern_throwsNamingTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of(" "), List.of()));
        assertTrue(e.getMessage().startsWith("include"), e.getMessage());
    }

    @Test
    void of_nullPattern_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> PathFilter.of(Arrays.asList((String) null), List.of()));
    }

    @Test
    void of_absolutePattern_throwsSayingItMustBeRelative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of("/etc/*"), List.of()));
        assertTrue(e.getMessage().contains("relative"), e.getMessage());
    }

    @Test
    void of_moreThan64PatternsInAList_refusedNamingTheList() {
        List<String> many = java.util.Collections.nCopies(Glob.MAX_PATTERNS + 1, "*.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathFilter.of(List.of(), many));
        assertTrue(e.getMessage().equals("exclude has 65 patterns; at most 64 are allowed"), e.getMessage());
        assertTrue(PathFilter.of(many.subList(0, Glob.MAX_PATTERNS), List.of()).accepts("a.txt"));
    }

    @Test
    void of_patternLongerThan1024Characters_refusedNamingTheList() {
        String longest = "a".repeat(Glob.MAX_PATTERN_LENGTH - 1) + "*";
        assertTrue(PathFilter.of(List.of(longest), List.of()).accepts("a".repeat(Glob.MAX_PATTERN_LENGTH + 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of(longest + "x"), List.of()));
        assertTrue(e.getMessage().startsWith("include"), e.getMessage());
    }

    /**
     * The pattern of seven '**' segments, refused by the JDK-based filter, is cheap with Glob: its matching
     * steps grow with the path's length, never more than its cost per character (counted, not timed).
     */
    @Test
    void accepts_manyDoubleStarSegmentsOnADeepPath_matchesInLinearTime() {
        String pattern = "**/**/**/**/**/**/**.zip";
        PathFilter filter = PathFilter.of(List.of(pattern), List.of());
        Glob glob = Glob.compile("include", pattern);
        long previous = 0;
        for (int depth : new int[] {25, 50, 100, 200}) {
            String deep = "d/".repeat(depth) + "x.zip";
            assertTrue(filter.accepts(deep));
            assertFalse(filter.accepts(deep + "x"));
            long steps = Math.max(glob.steps(deep), glob.steps(deep + "x"));
            assertTrue(steps <= (long) glob.cost() * (deep.length() + 1), depth + " folders: " + steps + " steps");
            if (previous > 0) {
                assertTrue(steps <= 2 * previous + glob.cost(), "twice the path, at most twice the steps: "
                        + previous + " then " + steps);
            }
            previous = steps;
        }
    }
}
