package com.contoso.sitebackup.files;

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
    void blobName_prefixAndRelativePath_joinedWithOneSlash() {
        assertEquals("home/site/café/naïve 日本.txt", BlobNames.blobName("home/site", "café/naïve 日本.txt"));
    }

    @Test
    void blobName_emptyPrefix_isTheRelativePath() {
        assertEquals("a/b.txt", BlobNames.blobName("", "a/b.txt"));
    }

    @Test
    void relativePath_blobUnderPrefix_isTheRestOfTheName() {
        assertEquals("a/b.txt", BlobNames.relativePath("p/q", "p/q/a/b.txt"));
        assertEquals("a/b.txt", BlobNames.relativePath("", "a/b.txt"));
    }

    @Test
    void relativePath_blobUnderSiblingWithSamePrefixText_isNull() {
        assertNull(BlobNames.relativePath("p/q", "p/qq/a.txt"));
        assertNull(BlobNames.relativePath("p/q", "p/q"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "backups", "a-b-c", "0backups9",
            "a23456789012345678901234567890123456789012345678901234567890123"})
    void checkContainer_validName_doesNotThrow(String name) {
        BlobNames.checkContainer("container", name);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "ab", "Backups", "back_ups", "-abc", "abc-", "a--b", "my container", "café",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void checkContainer_invalidName_throwsNamingArgumentAndValue(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkContainer("container", name));
        assertTrue(e.getMessage().startsWith("container '" + name + "' is not a valid container name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "site", "home/site/wwwroot", "café/日本"})
    void checkPrefix_usablePrefix_doesNotThrow(String prefix) {
        BlobNames.checkPrefix("blobPrefix", prefix);
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
        String ok = "a".repeat(BlobNames.MAX_BLOB_NAME_LENGTH / 2);
        BlobNames.checkPrefix("blobPrefix", ok);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobNames.checkPrefix("blobPrefix", ok + "a"));
        assertTrue(e.getMessage().contains("longer than 512"), e.getMessage());
    }
}
