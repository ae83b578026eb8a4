package com.contoso.sitebackup.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameOrderTest {
    /** Characters from every range where UTF-8 and UTF-16 order could part: ASCII, Latin, CJK, U+E000 up, emoji. */
    private static final int[] CODE_POINTS = {'/', '.', '-', '0', 'A', 'a', 'z', 0xE9, 0x65E5, 0xD7FF, 0xE000, 0xF900,
        0xFF08, 0xFFFD, 0x10000, 0x1F600, 0x10FFFF};

    @Test
    void compare_randomNamesFromEveryRange_signOfUtf8ByteComparison() {
        Random random = new Random(15);
        for (int i = 0; i < 200_000; i++) {
            String a = randomName(random);
            String b = randomName(random);
            int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Integer.signum(NameOrder.compare(a, b)), a + " vs " + b);
        }
    }

    @Test
    void compare_emojiAgainstFullWidthParenthesis_utf8OrderNotStringCompareTo() {
        String emoji = "\uD83D\uDE00.txt";
        String fullWidth = "\uFF08x\uFF09.txt";

        assertTrue(NameOrder.compare(emoji, fullWidth) > 0, "U+1F600 sorts after U+FF08 in UTF-8");
        assertTrue(emoji.compareTo(fullWidth) < 0, "String.compareTo (UTF-16 units) puts it first");
    }

    @Test
    void siblingKey_folderAmongLookAlikeFiles_sortsWhereItsFilesGo() {
        List<String> keys = new ArrayList<>(List.of(NameOrder.siblingKey("a0", false), NameOrder.siblingKey("a", true),
                NameOrder.siblingKey("a.txt", false), NameOrder.siblingKey("a-b", false)));
        keys.sort(NameOrder.PATHS);

        assertEquals(List.of("a-b", "a.txt", "a/", "a0"), keys);
        List<String> fullPaths = new ArrayList<>(List.of("a0", "a/x", "a/y/z", "a.txt", "a-b"));
        fullPaths.sort(NameOrder.PATHS);
        assertEquals(List.of("a-b", "a.txt", "a/x", "a/y/z", "a0"), fullPaths);
    }

    @Test
    void isOrderSensitive_namesBelowAndAboveTheSurrogates_onlyTheHighOnes() {
        for (String plain : List.of("index.html", "café crème/été.txt", "日本語/ファイル.txt", "\uD7FF")) {
            assertFalse(NameOrder.isOrderSensitive(plain), plain);
        }
        for (String sensitive : List.of("\uD83D\uDE00.txt", "docs/\uFF081\uFF09.txt", "\uE000", "\uFFFD")) {
            assertTrue(NameOrder.isOrderSensitive(sensitive), sensitive);
        }
    }

    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        int length = 1 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            name.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
        }
        return name.toString();
    }
}
