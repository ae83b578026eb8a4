package com.contoso.sitebackup.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void quote_null_isTheWordNull() {
        assertEquals("null", Printable.quote(null));
    }
}
