package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.text.Printable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlobNamesTest {

    @ParameterizedTest
    @CsvSource({
            "/home/site/wwwroot, home/site/wwwroot",
            "/home//site/wwwroot/, home/site/wwwroot",
            "C:\\inetpub\\wwwroot, C/inetpub/wwwroot",
            "/, ''"})
    void defaultPrefix_absoluteRoot_pathWithoutLeadingSlashOrDriveColon(String root, String expected) {
        assertEquals(expected, BlobNames.defaultPrefix(root));
    }

    @Test
    void blobName_prefixAndEncodedPath_joinedWithOneSlash() {
        assertEquals("home/site/café/a%5Cb.txt", BlobNames.blobName("home/site", PathCodec.encode("café/a\\b.txt")));
    }

    @Test
    void blobName_emptyPrefix_isTheEncodedPath() {
        assertEquals("a/b.txt", BlobNames.blobName("", "a/b.txt"));
    }

    @Test
    void encodedPath_blobUnderPrefix_isTheRestOfTheName() {
        assertEquals("a/b%0A.txt", BlobNames.encodedPath("p/q", "p/q/a/b%0A.txt"));
        assertEquals("a/b.txt", BlobNames.encodedPath("", "a/b.txt"));
    }

    @Test
    void encodedPath_blobUnderSiblingWithSamePrefixText_isNull() {
        assertNull(BlobNames.encodedPath("p/q", "p/qq/a.txt"));
        assertNull(BlobNames.encodedPath("p/q", "p/q"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "backups", "a-b-c", "0backups9", "azure-webjob", "my-azure-webjobs-x",
            "a23456789012345678901234567890123456789012345678901234567890123"})
    void checkContainer_validName_doesNotThrow(String name) {
        BlobNames.checkContainer("container", name, "backup-manifests");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "ab", "Backups", "back_ups", "-abc", "abc-", "a--b", "my container", "café",
            "$root", "$web", "$logs", "a234567890123456789012345678901234567890123456789012345678901234"})
    void checkContainer_invalidName_throwsNamingArgumentAndValue(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkContainer("container", name, "backup-manifests"));
        assertTrue(e.getMessage().startsWith("container '" + name + "' is not a valid container name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup-manifests", "azure-webjobs-hosts", "azure-webjobs-secrets", "azure-webjobs-x"})
    void checkContainer_reservedContainer_refusedAsReserved(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkContainer("container", name, "backup-manifests"));
        assertEquals("container '" + name + "' is reserved (the Functions host's state, or this app's plans and"
                + " reports); choose another container for backups", e.getMessage());
    }

    @Test
    void checkContainer_controlCharacterInName_escapedInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkContainer("container", "ab\ncd", "backup-manifests"));
        assertTrue(e.getMessage().startsWith("container 'ab\\u000Acd'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"site", "home/site/wwwroot", "café/日本", "a.b/c", "100%", "a b/\uD83D\uDE00"})
    void checkPrefix_usablePrefix_doesNotThrow(String prefix) {
        BlobNames.checkPrefix("blobPrefix", prefix);
    }

    /** Issue 21: a backup at the container's root holds every other backup of the container under its prefix. */
    @Test
    void checkPrefix_empty_refusedSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkPrefix("blobPrefix", ""));
        assertEquals("blobPrefix must not be empty: a backup at the container's root would hold every other backup of"
                + " the container, and its retention would see their blobs as its own; name a folder, such as the root"
                + " directory's path", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"sites, sites/main, true", "sites/main, sites, true", "sites, sites, true", "'', sites, true",
            "sites, '', true", "site, site2, false", "site, sites/main, false", "a/b, a/c, false", "a/b/c, a/b, true"})
    void overlap_sameInsideAboveOrEmpty(String a, String b, boolean expected) {
        assertEquals(expected, BlobNames.overlap(a, b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "a\nb", "a\rb", "tab\there", "\u007F", "\u0085", "\u2028", "lone\uD800",
            "lone\uDC00x"})
    void checkPrefix_controlCharacterOrUnpairedSurrogate_refusedEscapedInTheMessage(String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkPrefix("blobPrefix", prefix));
        assertEquals("blobPrefix '" + Printable.quote(prefix) + "' must not hold control characters, line separators"
                + " or unpaired surrogates", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a./b", "a/b.", "a/.b.", "..."})
    void checkPrefix_segmentEndingWithADot_refused(String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkPrefix("blobPrefix", prefix));
        assertTrue(e.getMessage().contains("ends with '.'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "trailing/", "a//b", "a\\b", "a/../b", "./a", "a/.."})
    void checkPrefix_badSlashesOrDotSegments_throwsNamingArgument(String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkPrefix("blobPrefix", prefix));
        assertTrue(e.getMessage().startsWith("blobPrefix '" + prefix + "'"), e.getMessage());
    }

    @Test
    void checkPrefix_null_throwsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkPrefix("blobPrefix", null));
        assertEquals("blobPrefix is required", e.getMessage());
    }

    @Test
    void checkPrefix_longerThanHalfTheBlobNameLimit_throws() {
        String ok = "a".repeat(PathCodec.MAX_BLOB_NAME_LENGTH / 2);
        BlobNames.checkPrefix("blobPrefix", ok);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkPrefix("blobPrefix", ok + "a"));
        assertTrue(e.getMessage().contains("longer than 512"), e.getMessage());
    }
}
