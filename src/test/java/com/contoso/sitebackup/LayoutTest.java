package com.contoso.sitebackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules of the layout, read from the sources: the shared packages never import a feature, the
 * packages import one another in one direction only (no cycle), and each imports only the layers below it:
 * text, filter, fs, blob, config, durable, snapshot, the features, starter, schedule.
 */
class LayoutTest {
    private static final Path SOURCES = Path.of("src/main/java/com/contoso/sitebackup");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?com\\.contoso\\.sitebackup\\.([a-z]+)\\.");
    private static final Set<String> SHARED = Set.of("text", "filter", "fs", "blob", "durable", "config", "snapshot");
    private static final Set<String> FEATURES = Set.of("backup", "restore", "verify", "retention");
    /** Each package's layer: a package may import only packages of a lower layer. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(Map.entry("text", 0), Map.entry("filter", 1),
            Map.entry("fs", 2), Map.entry("blob", 3), Map.entry("config", 4), Map.entry("durable", 5),
            Map.entry("snapshot", 6), Map.entry("backup", 7), Map.entry("restore", 7), Map.entry("verify", 7),
            Map.entry("retention", 7), Map.entry("starter", 8), Map.entry("schedule", 9));

    /** Each package and the packages it imports. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path folder = SOURCES.relativize(file).getParent();
                if (folder == null) {
                    continue; // the root package (Functions) lists every function and may import them all
                }
                String from = folder.toString();
                Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void sharedPackages_importNoFeature() throws IOException {
        for (Map.Entry<String, Set<String>> p : imports().entrySet()) {
            if (SHARED.contains(p.getKey())) {
                assertEquals(Set.of(), intersection(p.getValue(), FEATURES), p.getKey() + " imports a feature");
                assertTrue(!p.getValue().contains("starter") && !p.getValue().contains("schedule"),
                        p.getKey() + " imports an entry point: " + p.getValue());
            }
        }
    }

    @Test
    void packages_importOnlyLowerLayers() throws IOException {
        for (Map.Entry<String, Set<String>> p : imports().entrySet()) {
            Integer layer = LAYERS.get(p.getKey());
            assertTrue(layer != null, "package " + p.getKey() + " has no layer in " + LAYERS);
            for (String imported : p.getValue()) {
                assertTrue(LAYERS.getOrDefault(imported, Integer.MAX_VALUE) < layer,
                        p.getKey() + " imports " + imported + ", which is not below it");
            }
        }
    }

    @Test
    void packages_noImportCycle() throws IOException {
        Map<String, Set<String>> graph = imports();
        for (String start : graph.keySet()) {
            assertTrue(!reaches(graph, start, start, new TreeSet<>()), "a cycle through " + start + ": " + graph);
        }
        assertTrue(graph.keySet().containsAll(List.of("backup", "restore", "verify", "durable", "fs", "filter", "blob",
                "text", "config", "snapshot", "starter")), "the packages of the layout: " + graph.keySet());
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
        for (String next : graph.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(graph, next, target, seen))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }
}
