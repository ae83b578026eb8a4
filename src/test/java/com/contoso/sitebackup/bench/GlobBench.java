package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.filter.Glob;
import com.contoso.sitebackup.testing.DeepPaths;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The glob worst cases of issue 10 over 100,000 paths of depth 25: prints the time {@link Glob} takes for each.
 * With {@code --jdk} it also times the JDK's matcher (as the filter used it before: every variant of the
 * pattern without some of its folder-start {@code **}{@code /}) on a small sample, since the whole set would
 * take hours and a running JDK match cannot be interrupted.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes com.contoso.sitebackup.bench.GlobBench [--jdk]}
 */
public final class GlobBench {
    private static final List<String> PATTERNS = List.of("**/**/**/**/**/**/**.zip", "*a*a*a*a*a*a*a*a*a*a*a*b");

    private GlobBench() {
    }

    public static void main(String[] args) {
        boolean jdk = List.of(args).contains("--jdk");
        List<String> paths = DeepPaths.generate(100_000, 25, 7);
        long chars = paths.stream().mapToLong(String::length).sum();
        System.out.printf("%,d paths of depth 25, %,d characters%n", paths.size(), chars);
        for (String pattern : PATTERNS) {
            Glob glob = Glob.compile("include", pattern);
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                int matched = 0;
                for (String path : paths) {
                    matched += glob.matches(path) ? 1 : 0;
                }
                System.out.printf("Glob  %-26s round %d: %7.3f s, %,d matched%n", pattern, round,
                        (System.nanoTime() - start) / 1e9, matched);
            }
        }
        if (jdk) {
            jdkSample(PATTERNS.get(0), paths.subList(0, 20));
            for (int as = 20; as <= 32; as += 4) {
                jdkSample(PATTERNS.get(1), List.of("x/" + "a".repeat(as)));
            }
        }
    }

    private static void jdkSample(String pattern, List<String> sample) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String variant : variants(pattern)) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + variant));
        }
        PathMatcher name = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        long start = System.nanoTime();
        for (String path : sample) {
            Path p = Path.of(path);
            if (matchers.stream().noneMatch(m -> m.matches(p)) && pattern.indexOf('/') < 0) {
                name.matches(p.getFileName());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("JDK   %-26s %d path(s), longest name %d: %8.3f s (%.4f s per path)%n", pattern,
                sample.size(), sample.stream().mapToInt(s -> s.length() - s.lastIndexOf('/') - 1).max().orElse(0),
                seconds, seconds / sample.size());
    }

    /** The pattern and every variant without some of its folder-start '**' + '/' (the filter's old expansion). */
    private static List<String> variants(String pattern) {
        List<String> variants = new ArrayList<>(List.of(pattern));
        for (int i = pattern.indexOf("**/"); i >= 0; i = pattern.indexOf("**/", i + 1)) {
            if (i == 0 || pattern.charAt(i - 1) == '/') {
                for (String shorter : variants(pattern.substring(0, i) + pattern.substring(i + 3))) {
                    if (!variants.contains(shorter)) {
                        variants.add(shorter);
                    }
                }
            }
        }
        return variants;
    }
}
