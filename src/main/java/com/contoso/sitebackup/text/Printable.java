package com.contoso.sitebackup.text;

/**
 * Makes caller-supplied text safe to put in a message or a log line: a control character, a line or paragraph
 * separator or an unpaired surrogate would let a name forge log lines or break a JSON reader, so each is
 * shown as {@code \}{@code uXXXX}. Everything else, backslashes included, is kept as it is, so a pattern or a
 * name reads in a message as the caller wrote it.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with every character that could forge or break a line escaped; "null" for null. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairedSurrogate) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
