package com.contoso.sitebackup.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@AzuriteTest
class PathCodecTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "index.html | index.html",
            "café/naïve 日本.txt | café/naïve 日本.txt",
            "a\\b.txt | a%5Cb.txt",
            "100%.txt | 100%25.txt",
            "dot. | dot%2E",
            "a../b.c. | a.%2E/b.c%2E",
            ".hidden/.x | .hidden/.x",
            "tab\there | tab%09here",
            "del\u007f | del%7F",
            "c1\u0085 | c1%C2%85",
            "pua\ue000 | pua%EE%80%80",
            "non\ufffe | non%EF%BF%BE",
            "non\ufdd0 | non%EF%B7%90",
            "replacement\ufffd | replacement\ufffd",
            "emoji 😀 | emoji 😀",
            "plane16 \udbff\udc00 | plane16 %F4%8F%B0%80",
            "#?&+=;@ ~! | #?&+=;@ ~!"})
    void encode_text_followsTheRule(String path, String encoded) {
        assertEquals(encoded, PathCodec.encode(path));
        assertEquals(path, PathCodec.decodeToString(encoded));
    }

    @Test
    void encode_newlineInAName_isEscaped() {
        assertEquals("new%0Aline", PathCodec.encode("new\nline"));
    }

    @Test
    void encode_bytesThatAreNotUtf8_eachEscaped() {
        byte[] latin1 = "caf\u00e9.txt".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("caf%E9.txt", PathCodec.encode(latin1));
        assertEquals("caf\u00e9.txt", PathCodec.encode("caf\u00e9.txt"));
        // Overlong '/', an encoded surrogate, a lone continuation byte, a truncated sequence at the end.
        byte[] bad = {(byte) 0xC0, (byte) 0xAF, '/', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '/', (byte) 0x80, 'x',
                (byte) 0xE2, (byte) 0x82};
        assertEquals("%C0%AF/%ED%A0%80/%80x%E2%82", PathCodec.encode(bad));
        assertArrayEquals(bad, PathCodec.decode("%C0%AF/%ED%A0%80/%80x%E2%82"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a//b", ".", "a/./b", "..", "../etc/passwd", "a/..", "nul\u0000"})
    void encode_notARelativePathOfNames_throws(String path) {
        assertThrows(IllegalArgumentException.class, () -> PathCodec.encode(path));
    }

    @Test
    void encode_unpairedSurrogate_throwsSayingNoFileNameCan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathCodec.encode("a\ud800b"));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        assertTrue(e.getMessage().contains("a\\uD800b"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%", "%4", "%zz", "%2e", "%41", "a\\b", "dot.", "a./b", "%2E", ".%2E", "..", ".",
            "a//b", "/a", "a/", "%00", "a%2Fb", "%E9%", "caf%C3%A9", "tab\tx", "a\ud800", "%5c"})
    void decode_notExactlyAnEncoding_throws(String encoded) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathCodec.decode(encoded));
        assertFalse(e.getMessage().contains("\t"), e.getMessage());
    }

    @Test
    void decodeToString_nameThatIsNotUtf8_throwsPointingToDecodePath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathCodec.decodeToString("bad%FF"));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    /** Random names over bytes the rule treats specially: encode then decode gives the same bytes. */
    @Test
    void decode_randomByteNames_roundTrip() {
        Random random = new Random(11);
        for (int n = 0; n < 50_000; n++) {
            byte[] path = randomPath(random);
            String encoded = PathCodec.encode(path);
            assertArrayEquals(path, PathCodec.decode(encoded), encoded);
            assertSafe(encoded);
        }
    }

    /** No two different names encode to the same blob name (checked over a large random set). */
    @Test
    void encode_randomByteNames_noTwoShareAnEncoding() {
        Random random = new Random(12);
        Map<String, byte[]> seen = new HashMap<>();
        int distinct = 0;
        for (int n = 0; n < 100_000; n++) {
            byte[] path = randomPath(random);
            byte[] earlier = seen.putIfAbsent(PathCodec.encode(path), path);
            if (earlier == null) {
                distinct++;
            } else {
                assertArrayEquals(earlier, path, "two names share " + PathCodec.encode(path));
            }
        }
        assertTrue(distinct > 50_000, distinct + " distinct names");
    }

    /** The encoded form never holds a backslash, a control character, a private-use character or a final dot. */
    private static void assertSafe(String encoded) {
        assertFalse(encoded.contains("\\"), encoded);
        for (String name : encoded.split("/", -1)) {
            assertFalse(name.isEmpty() || name.endsWith("."), encoded);
        }
        encoded.codePoints().forEach(c -> {
            assertFalse(c < 0x20 || (c >= 0x7F && c <= 0x9F), encoded);
            assertFalse(Character.getType(c) == Character.PRIVATE_USE || Character.getType(c) == Character.SURROGATE,
                    encoded);
        });
    }

    private static byte[] randomPath(Random random) {
        byte[][] pieces = {
                "a".getBytes(UTF_8), "B".getBytes(UTF_8), ".".getBytes(UTF_8), "%".getBytes(UTF_8),
                "\\".getBytes(UTF_8), "\n".getBytes(UTF_8), "\u007f".getBytes(UTF_8), "é".getBytes(UTF_8),
                "日".getBytes(UTF_8), "😀".getBytes(UTF_8), "\ue000".getBytes(UTF_8), "\ufffd".getBytes(UTF_8),
                "25".getBytes(UTF_8), "2E".getBytes(UTF_8), {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xA9},
                {(byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, " ".getBytes(UTF_8)};
        ByteBuffer out = ByteBuffer.allocate(256);
        int names = 1 + random.nextInt(3);
        for (int n = 0; n < names; n++) {
            if (n > 0) {
                out.put((byte) '/');
            }
            int start = out.position();
            for (int k = 1 + random.nextInt(5); k > 0; k--) {
                out.put(pieces[random.nextInt(pieces.length)]);
            }
            int length = out.position() - start;
            boolean dots = (length == 1 && out.get(start) == '.')
                    || (length == 2 && out.get(start) == '.' && out.get(start + 1) == '.');
            if (dots) {
                out.put((byte) 'x');
            }
        }
        byte[] path = new byte[out.position()];
        out.flip().get(path);
        return path;
    }

    /**
     * A file whose name is not UTF-8, made by another process (so Java's own conversion is not what made it):
     * listed, encoded, decoded to a path, read back.
     */
    @Test
    void encodePath_listedNameThatIsNotUtf8_roundTripsToTheSameFile() throws Exception {
        Process python = new ProcessBuilder("python3", "-c",
                "import sys; open(sys.argv[1].encode() + b'/bad\\xff\\xfe.txt', 'wb').write(b'latin')",
                tmp.toString()).inheritIO().start();
        assertEquals(0, python.waitFor());
        Files.writeString(tmp.resolve("ok\ufffd.txt"), "replacement");
        Map<String, String> encoded = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                String name = PathCodec.encode(entry.getFileName());
                encoded.put(name, Files.readString(tmp.resolve(PathCodec.decodePath(name))));
            }
        }
        assertEquals(Map.of("bad%FF%FE.txt", "latin", "ok\ufffd.txt", "replacement"), encoded);
        // The display string loses the bytes: it names no file.
        assertFalse(Files.exists(tmp.resolve("bad\ufffd\ufffd.txt")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/etc/passwd|/etc/passwd", "../x|.%2E/x", "./x|%2E/x", "a/../b|a/.%2E/b", "/|/", "..|.%2E",
            "dir/file.|dir/file%2E", "100%|100%25", "a\\b|a%5Cb", "caf\u00e9/\u65e5|caf\u00e9/\u65e5"})
    void encodeLinkTarget_absoluteRelativeAndDotNames_theRulesEscapesAndDecodedBack(String target, String encoded) {
        assertEquals(encoded, PathCodec.encodeLinkTarget(Path.of(target)));
        assertEquals(Path.of(target), PathCodec.decodeLinkTarget(encoded));
    }

    @Test
    void encodeLinkTarget_relativeTargetWithoutDotNames_encodedExactlyAsAPath() {
        Path target = Path.of("sub dir/na\u00efve%.txt");
        assertEquals(PathCodec.encode(target), PathCodec.encodeLinkTarget(target));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a//b", "a/", "//a", "%00", "a%00b", "%41", "%E9%", "caf%C3%A9", "a%2Fb", "a%2Eb",
            "tab\tx"})
    void decodeLinkTarget_notExactlyAnEncoding_throws(String encoded) {
        assertThrows(IllegalArgumentException.class, () -> PathCodec.decodeLinkTarget(encoded));
    }

    /**
     * Links whose targets are not UTF-8, made by another process: read, encoded, decoded, and made again, they hold
     * the same bytes.
     */
    @Test
    void encodeLinkTarget_targetsThatAreNotUtf8_roundTripToTheSameBytes() throws Exception {
        Process python = new ProcessBuilder("python3", "-c", String.join("\n",
                "import os, sys",
                "d = sys.argv[1].encode()",
                "os.symlink(b'../caf\\xe9/x', d + b'/rel')",
                "os.symlink(b'/abs/\\xff\\xfe', d + b'/abs')"), tmp.toString()).inheritIO().start();
        assertEquals(0, python.waitFor());
        Map<String, String> encoded = new TreeMap<>();
        for (String name : List.of("rel", "abs")) {
            Path target = Files.readSymbolicLink(tmp.resolve(name));
            String text = PathCodec.encodeLinkTarget(target);
            encoded.put(name, text);
            Path again = Files.createSymbolicLink(tmp.resolve(name + "-again"), PathCodec.decodeLinkTarget(text));
            assertEquals(target, Files.readSymbolicLink(again), "the same bytes");
        }
        assertEquals(Map.of("rel", ".%2E/caf%E9/x", "abs", "/abs/%FF%FE"), encoded);
        Process check = new ProcessBuilder("python3", "-c",
                "import os, sys; sys.exit(os.readlink(sys.argv[1].encode()) != b'/abs/\\xff\\xfe')",
                tmp.resolve("abs-again").toString()).inheritIO().start();
        assertEquals(0, check.waitFor(), "the link made from the decoded target holds the original bytes");
    }

    @Test
    void decodePath_nestedNames_resolvesUnderADirectory() throws IOException {
        Path relative = PathCodec.decodePath("x%FF/y%5C.t%2E");
        assertFalse(relative.isAbsolute());
        assertEquals(2, relative.getNameCount());
        Files.createDirectories(tmp.resolve(relative).getParent());
        Files.writeString(tmp.resolve(relative), "nested");
        assertEquals("x%FF/y%5C.t%2E", PathCodec.encode(tmp.relativize(tmp.resolve(relative))));
        assertEquals("y\\.t.", tmp.resolve(relative).getFileName().toString());
    }

    @Test
    void isStorable_lengthAndSegmentLimits_asTheServiceSets() {
        assertTrue(PathCodec.isStorable("p/" + "a".repeat(1022)));
        assertFalse(PathCodec.isStorable("p/" + "a".repeat(1023)));
        assertTrue(PathCodec.isStorable("a/".repeat(253) + "a"));
        assertFalse(PathCodec.isStorable("a/".repeat(254) + "a"));
        assertFalse(PathCodec.isStorable(""));
        assertFalse(PathCodec.isStorable(null));
    }

    /** Why the backslash is escaped: unencoded, {@code a\b.txt} and {@code a/b.txt} end up as one blob. */
    @Test
    void encode_skipped_backslashAndSlashShareOneBlobOnAzurite() {
        BlobContainerClient container = Azurite.shared().client()
                .createBlobContainer("codec-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            container.getBlobClient("p/a\\b.txt").upload(BinaryData.fromString("backslash"));
            container.getBlobClient("p/a/b.txt").upload(BinaryData.fromString("slash"), true);
            List<String> listed = container.listBlobs().stream().map(BlobItem::getName).toList();
            assertEquals(List.of("p/a/b.txt"), listed);
        } finally {
            container.delete();
        }
    }

    /**
     * Against the storage service (Azurite): names that collided or were mangled before each get their own blob,
     * listed back under their encoded names and decoded to the original names, with their own content.
     */
    @Test
    void encode_namesThatCollidedBefore_eachOwnBlobOnAzurite() {
        BlobContainerClient container = Azurite.shared().client()
                .createBlobContainer("codec-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            List<byte[]> names = new ArrayList<>();
            for (String name : List.of("a\\b.txt", "a/b.txt", "dot.", "dot", "new\nline", "100%.txt",
                    "100%25.txt", "a../b", "tab\t", "pua\ue000", "non\uffff", "c1\u0085", "emoji 😀", "sp ace ",
                    "#?&+=;@", "replacement\ufffd", "café")) {
                names.add(name.getBytes(UTF_8));
            }
            names.add(new byte[] {'b', 'a', 'd', (byte) 0xFF, (byte) 0xFE});
            names.add(new byte[] {'c', 'a', 'f', (byte) 0xE9});
            String prefix = "home/site/wwwroot";
            Map<String, byte[]> uploaded = new TreeMap<>();
            for (byte[] name : names) {
                String blobName = prefix + "/" + PathCodec.encode(name);
                assertTrue(PathCodec.isStorable(blobName));
                container.getBlobClient(blobName).upload(BinaryData.fromBytes(name));
                uploaded.put(HexFormat.of().formatHex(name), name);
            }
            Map<String, byte[]> listed = new TreeMap<>();
            for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(prefix + "/"), null)) {
                byte[] name = PathCodec.decode(blob.getName().substring(prefix.length() + 1));
                assertNull(listed.put(HexFormat.of().formatHex(name), name), blob.getName());
                assertArrayEquals(name, container.getBlobClient(blob.getName()).downloadContent().toBytes(),
                        blob.getName());
            }
            assertEquals(uploaded.keySet(), listed.keySet());
            assertEquals(names.size(), listed.size());
        } finally {
            container.delete();
        }
    }
}
