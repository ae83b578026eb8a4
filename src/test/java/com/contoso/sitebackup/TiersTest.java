package com.contoso.sitebackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The test tiers (README "Tests") as tags: failsafe's {@code *IT} classes are the end-to-end tier and carry the tag
 * {@code e2e} ({@code testing/EndToEndTest}), surefire's {@code *Test} classes never do, and no class is in two tiers.
 * The storage tier's tag is held at run time instead: in the unit tier Azurite refuses to start.
 */
class TiersTest {
    private static final Set<String> TIERS = Set.of("storage", "e2e");

    @Test
    void testClasses_eachInOneTier_everyITEndToEnd() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(TiersTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(f -> classes.relativize(f).toString())
                    .filter(f -> f.endsWith("Test.class") || f.endsWith("IT.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
        Set<String> wrong = new TreeSet<>();
        int endToEnd = 0;
        for (String name : names) {
            Class<?> type = Class.forName(name, false, TiersTest.class.getClassLoader());
            if (type.isAnnotation()) {
                continue; // the tier annotations themselves (AzuriteTest, EndToEndTest)
            }
            Set<String> tiers = AnnotationSupport.findRepeatableAnnotations(type, Tag.class).stream().map(Tag::value)
                    .filter(TIERS::contains).collect(Collectors.toCollection(TreeSet::new));
            boolean it = name.endsWith("IT");
            endToEnd += it ? 1 : 0;
            if (it ? !tiers.equals(Set.of("e2e")) : tiers.contains("e2e") || tiers.size() > 1) {
                wrong.add(name + " " + tiers);
            }
        }
        assertTrue(endToEnd > 0, "no *IT class found under " + classes);
        assertEquals(Set.of(), wrong, "*IT classes carry exactly the tag e2e (@EndToEndTest); *Test classes never do");
    }
}
