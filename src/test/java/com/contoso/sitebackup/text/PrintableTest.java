package com.contoso.sitebackup.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void quote_ordinaryText_unchanged() {
        assertEquals("plain name.txt", Printable.quote("plain name.txt"));
        assertEquals("a\\b", Printable.quote("a\\b"));
        assertEquals("café 日本 😀", Printable.quote("café 日本 😀"));
    }

    @Test
    void quote_controlsSeparatorsAndLoneSurrogates_escaped() {
        assertEquals("new\\u000Aline", Printable.quote("new\nline"));
        assertEquals("cr\\u000Dnul\\u0000", Printable.quote("cr\rnul\u0000"));
        assertEquals("c1\\u0085 sep\\u2028", Printable.quote("c1\u0085 sep\u2028"));
        assertEquals("lone\\uD800", Printable.quote("lone\ud800"));
        assertEquals("\\uDC00x", Printable.quote("\udc00x"));
    }

    /** Issue 23, item 5: names that reorder what a reader sees, or drive a terminal, are shown escaped. */
    @Test
    void quote_bidirectionalControlsEscAndC1_escapedSoTheNameReadsAsStored() {
        assertEquals("g\\u202Etxt.exe", Printable.quote("g\u202etxt.exe"));
        for (char c : new char[] {'\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068',
                '\u2069', '\u200E', '\u200F', '\u061C', '\u2029', '\u001B', '\u009B', '\u007F'}) {
            String quoted = Printable.quote("a" + c + "b");
            assertEquals(String.format("a\\u%04Xb", (int) c), quoted);
            assertFalse(Printable.isPrintable("a" + c + "b"));
        }
        assertEquals("\\u001B[31mred", Printable.quote("\u001b[31mred"));
        // Joiners and ordinary right-to-left letters are text, not controls.
        assertEquals("\u200D \u05D0\u05D1", Printable.quote("\u200D \u05D0\u05D1"));
        assertTrue(Printable.isPrintable("café 日本 😀"));
    }

    @Test
    void quote_null_isTheWordNull() {
        assertEquals("null", Printable.quote(null));
    }
}
