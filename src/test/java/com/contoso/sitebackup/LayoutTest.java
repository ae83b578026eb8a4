package com.contoso.sitebackup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The house rules of the layout, checked on the compiled classes with ArchUnit, for the main tree and the test tree.
 *
 * <p>Main: each package depends only on packages of a lower layer (text, filter, fs, blob, config, durable, snapshot,
 * the features, starter, schedule; the features not on one another), so the shared packages never reach a feature
 * or an entry point, and there is no cycle. Tests: the test kit ({@code testing}) depends on no test package but
 * its own and the stand-in's ({@code standin}, the tools module compiled into the tests); unit and storage tests
 * (every class but an {@code *IT}) never reach the end-to-end stack ({@code e2e}) or the benchmark ({@code bench}),
 * so the fast tiers cannot start it by accident; no test of one feature reaches into another feature's tests.
 */
class LayoutTest {
    private static final String ROOT = "com.contoso.sitebackup";
    /** Each main package's layer: a package may depend only on packages of a lower layer. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(Map.entry("text", 0), Map.entry("filter", 1),
            Map.entry("fs", 2), Map.entry("blob", 3), Map.entry("config", 4), Map.entry("durable", 5),
            Map.entry("snapshot", 6), Map.entry("backup", 7), Map.entry("restore", 7), Map.entry("verify", 7),
            Map.entry("retention", 7), Map.entry("starter", 8), Map.entry("schedule", 9));
    private static final Set<String> FEATURES = Set.of("backup", "restore", "verify", "retention");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    private static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void mainPackages_haveTheirLayer() {
        Set<String> packages = MAIN.stream().map(JavaClass::getPackageName).filter(p -> !p.equals(ROOT))
                .map(LayoutTest::topPackage).collect(Collectors.toCollection(java.util.TreeSet::new));
        if (!LAYERS.keySet().equals(packages)) {
            throw new AssertionError("main packages " + packages + " vs the layers " + LAYERS.keySet());
        }
    }

    @Test
    void mainPackages_dependOnlyOnLowerLayers() {
        for (Map.Entry<String, Integer> layer : LAYERS.entrySet()) {
            String[] notBelow = LAYERS.entrySet().stream()
                    .filter(other -> !other.getKey().equals(layer.getKey()) && other.getValue() >= layer.getValue())
                    .map(other -> ROOT + "." + other.getKey() + "..").toArray(String[]::new);
            if (notBelow.length == 0) {
                continue;
            }
            ArchRule rule = noClasses().that().resideInAPackage(ROOT + "." + layer.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(notBelow)
                    .because(layer.getKey() + " is layer " + layer.getValue() + " of " + LAYERS);
            rule.check(MAIN);
        }
    }

    @Test
    void mainPackages_noCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void testKit_dependsOnNoOtherTestPackage() {
        noClasses().that().resideInAPackage(ROOT + ".testing..")
                .should().dependOnClassesThat(testClassOutside(Set.of("testing", "standin")))
                .because("every tier uses the kit; it must not pull in one tier's tests")
                .check(TESTS);
    }

    @Test
    void fastTiers_neverReachTheEndToEndStackOrTheBenchmark() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".e2e..", ROOT + ".bench..", ROOT + ".engine..")
                .and().haveSimpleNameNotEndingWith("IT").and().haveSimpleNameNotContaining("IT$")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".e2e..", ROOT + ".bench..")
                .because("unit and storage tests run in seconds, without the packaged app")
                .check(TESTS);
    }

    @Test
    void featureTests_doNotReachIntoAnotherFeaturesTests() {
        for (String feature : FEATURES) {
            List<String> others = FEATURES.stream().filter(f -> !f.equals(feature)).toList();
            noClasses().that().resideInAPackage(ROOT + "." + feature + "..")
                    .should().dependOnClassesThat(new com.tngtech.archunit.base.DescribedPredicate<JavaClass>(
                            "tests of " + others) {
                        @Override
                        public boolean test(JavaClass target) {
                            return TESTS.contain(target.getName()) && others.contains(topPackage(target.getPackageName()));
                        }
                    })
                    .check(TESTS);
        }
    }

    /** Classes of the test tree outside the packages {@code own} (the tools' classes are compiled into it too). */
    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> testClassOutside(Set<String> own) {
        return new com.tngtech.archunit.base.DescribedPredicate<>("test classes outside " + own) {
            @Override
            public boolean test(JavaClass target) {
                return TESTS.contain(target.getName()) && !own.contains(topPackage(target.getPackageName()))
                        && !MAIN.contain(target.getName());
            }
        };
    }

    private static String topPackage(String name) {
        String rest = name.equals(ROOT) ? "" : name.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
