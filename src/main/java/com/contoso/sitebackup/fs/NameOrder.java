package com.contoso.sitebackup.fs;

import java.util.Comparator;

/**
 * The one order in which a job meets names: relative paths compared as their UTF-8 bytes (the same as by
 * Unicode code points), which is the order of the blob names the storage service lists under a prefix. A
 * walk that sorts each folder's entries by {@link #siblingKey} (a folder {@code a} as {@code a/}) meets its
 * files in exactly this order, so a walk and a listing can be merged in one pass ({@link OrderedMerge}).
 *
 * <p>Java's own {@link String#compareTo} compares UTF-16 units, which differs from this order only where a
 * character above U+FFFF (a surrogate pair, such as an emoji) meets one from U+E000 to U+FFFF (full-width
 * forms, private use). Which of the two a storage service (or Azurite, whose JavaScript sorts UTF-16 units)
 * uses is not documented, so {@link #isOrderSensitive} marks the names whose place could differ.
 */
public final class NameOrder {
    /** Relative paths, single names and {@link #siblingKey sibling keys} in UTF-8 byte order. */
    public static final Comparator<String> PATHS = NameOrder::compare;

    private NameOrder() {
    }

    /** Compares {@code a} and {@code b} by code points, which is the order of their UTF-8 bytes. */
    public static int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // Below the surrogates, and above them, UTF-16 units and code points agree; a surrogate stands
                // for a code point above U+FFFF, so it sorts after every unit from U+E000 up.
                boolean xSurrogate = Character.isSurrogate(x);
                if (xSurrogate != Character.isSurrogate(y) && (x >= '\uE000' || y >= '\uE000')) {
                    return xSurrogate ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /**
     * The key a walk sorts a folder's entry by: its name, and a folder's name followed by {@code /}, so that
     * {@code a.txt} (a full stop sorts before {@code /}) comes before every file under folder {@code a}, and
     * {@code a0} after them, as in the full paths.
     */
    public static String siblingKey(String name, boolean directory) {
        return directory ? name + "/" : name;
    }

    /**
     * Whether the place of {@code path} among other names may differ between UTF-8 order and UTF-16 order: it
     * holds a surrogate or a character from U+E000 up. Two names can only be ordered differently by the two
     * rules when both hold such a character, so every other name has the same neighbours in both.
     */
    public static boolean isOrderSensitive(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) >= '\uD800') {
                return true;
            }
        }
        return false;
    }
}
