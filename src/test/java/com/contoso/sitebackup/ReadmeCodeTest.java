package com.contoso.sitebackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "What it does" table and its "Where the code is" tree name the code as it is: every function once
 * and no other, every class in the package the tree puts it in. (Both were stale for a release: slices that no
 * longer existed, a batch group that was not named.)
 */
class ReadmeCodeTest {
    private static final Path README = Path.of("README.md");
    private static final Path MAIN = Path.of("src/main/java/com/contoso/sitebackup");

    @Test
    void functionTable_namesEveryFunctionOnce_andNoOther() throws IOException {
        String section = section("## What it does");
        section = section.substring(0, section.indexOf("### Where the code is"));
        List<String> rows = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\|").matcher(section);
        while (row.find()) {
            rows.add(row.group(1));
        }
        assertEquals(rows.size(), new TreeSet<>(rows).size(), "a function named twice: " + rows);
        assertEquals(FunctionsTest.byName().keySet(), new TreeSet<>(rows), "README function table vs Functions");
    }

    @Test
    void codeTree_namesOnlyClassesOfTheirPackage_andEveryFunctionClass() throws IOException {
        String section = section("### Where the code is");
        String tree = section.substring(section.indexOf("com.contoso.sitebackup\n"), section.indexOf("```", section.indexOf("com.contoso.sitebackup\n")));
        Pattern entry = Pattern.compile("(?m)^[├└]── ([a-z]+)/");
        Matcher packages = entry.matcher(tree);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (packages.find()) {
            names.add(packages.group(1));
            spans.add(new int[] {packages.start(), 0});
        }
        assertEquals(listPackages(), new TreeSet<>(names), "packages in the README tree vs src/main");
        Set<String> named = new TreeSet<>();
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < names.size() ? spans.get(i + 1)[0] : tree.length();
            String text = tree.substring(spans.get(i)[0], end);
            Set<String> classes = classesOf(names.get(i));
            Matcher word = Pattern.compile("\\b([A-Z][a-z]+(?:[A-Z][a-z]*)+)\\b").matcher(text);
            while (word.find()) {
                String name = word.group(1);
                if (name.equals("AzCopy")) {
                    continue;
                }
                assertTrue(classes.contains(name), "README tree puts " + name + " in " + names.get(i) + "/, which has "
                        + classes);
                named.add(name);
            }
        }
        for (Class<?> function : FunctionsTest.byName().values()) {
            assertTrue(named.contains(function.getSimpleName()), function.getSimpleName() + " is not in the README tree");
        }
    }

    private static Set<String> listPackages() throws IOException {
        try (Stream<Path> list = Files.list(MAIN)) {
            return list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> classesOf(String pkg) throws IOException {
        try (Stream<Path> list = Files.list(MAIN.resolve(pkg))) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The README from the heading {@code from} up to the next second-level heading. */
    private static String section(String from) throws IOException {
        return ReadmeRequestTablesTest.section(from);
    }

    @Test
    void contents_listEverySectionInOrder_withAnchorsThatResolve() throws IOException {
        String text = Files.readString(README);
        List<String> headings = new ArrayList<>();
        Matcher heading = Pattern.compile("(?m)^## (.+)$").matcher(text);
        while (heading.find()) {
            if (!heading.group(1).equals("Contents")) {
                headings.add(heading.group(1));
            }
        }
        List<String> listed = new ArrayList<>();
        Matcher entry = Pattern.compile("(?m)^- \\[(.+?)\\]\\(#([^)]+)\\)$").matcher(section("## Contents"));
        while (entry.find()) {
            listed.add(entry.group(1));
            assertEquals(anchor(entry.group(1)), entry.group(2), "the anchor of " + entry.group(1));
        }
        assertEquals(headings, listed, "README contents vs its sections");
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
    private static String anchor(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }
}
