package com.contoso.sitebackup.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Relative paths for matcher tests and the glob benchmark: deterministic for a seed. */
public final class DeepPaths {
    private DeepPaths() {
    }

    /**
     * {@code count} paths of {@code depth} folders of 2-8 letters, mostly 'a' (the worst case for patterns
     * like {@code *a*a*b}); a third of the files end in {@code .zip}, a third are named with 30 'a's.
     */
    public static List<String> generate(int count, int depth, long seed) {
        Random random = new Random(seed);
        char[] letters = {'a', 'a', 'a', 'b', 'c', 'x'};
        List<String> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder path = new StringBuilder();
            for (int d = 0; d < depth; d++) {
                char[] name = new char[2 + random.nextInt(7)];
                for (int k = 0; k < name.length; k++) {
                    name[k] = letters[random.nextInt(letters.length)];
                }
                path.append(name).append('/');
            }
            path.append("file").append(i).append(i % 3 == 0 ? ".zip" : i % 3 == 1 ? ".txt" : "a".repeat(30));
            paths.add(path.toString());
        }
        return paths;
    }
}
