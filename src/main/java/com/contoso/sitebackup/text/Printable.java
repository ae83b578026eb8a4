package com.contoso.sitebackup.text;

/**
 * Makes caller-supplied text safe to put in a message, a log line, a status field or a report: each character
 * that could forge or hide part of a line is shown as {@code \}{@code uXXXX}:
 * <ul>
 *   <li>C0 and C1 controls (U+0000-U+001F, U+007F-U+009F): a newline forges a log line, ESC drives a terminal;</li>
 *   <li>the line and paragraph separators U+2028 and U+2029, which JSON readers and editors take as line ends;</li>
 *   <li>bidirectional controls: the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069, the marks
 *       U+200E, U+200F and U+061C, which reorder what is shown ({@code g\u202etxt.exe} reads as
 *       {@code gexe.txt});</li>
 *   <li>an unpaired surrogate, which no UTF-8 writer can write.</li>
 * </ul>
 * Everything else, backslashes included, is kept as it is, so a pattern or a name reads in a message as the caller
 * wrote it.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with every character that could forge, reorder or break a line escaped; "null" for null. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        if (isPrintable(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairedSurrogate) {
                out.append(c).append(text.charAt(++i));
            } else if (mustEscape(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code text} holds nothing {@link #quote} would escape. */
    public static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (mustEscape(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the character (not part of a surrogate pair) is escaped. */
    private static boolean mustEscape(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }
}
