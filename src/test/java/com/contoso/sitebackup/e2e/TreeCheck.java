package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a backup or a restored tree back and compares it with its source, byte for byte. */
public final class TreeCheck {
    private TreeCheck() {
    }

    /**
     * Asserts the blobs under {@code prefix} are exactly the regular files under {@code root}, each holding the
     * file's bytes (compared by the MD5 of what is downloaded); answers the total bytes.
     */
    public static long assertBlobsHoldFiles(Path root, BlobContainerClient container, String prefix) {
        Map<String, Path> files = files(root);
        Map<String, BlobItem> blobs = new TreeMap<>();
        for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(prefix + "/"), null)) {
            blobs.put(blob.getName().substring(prefix.length() + 1), blob);
        }
        assertSameNames(files.keySet(), blobs.keySet(), "blobs under " + prefix);
        long bytes = 0;
        for (Map.Entry<String, Path> file : files.entrySet()) {
            try (InputStream blob = container.getBlobClient(prefix + "/" + file.getKey()).openInputStream();
                 InputStream source = Files.newInputStream(file.getValue())) {
                assertArrayEquals(md5(source), md5(blob), "bytes of " + file.getKey());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes += blobs.get(file.getKey()).getProperties().getContentLength();
        }
        return bytes;
    }

    /**
     * Asserts {@code actual} holds exactly the regular files of {@code expected}, with the same names and bytes,
     * and, if {@code sameMtime}, the same modification times (to the millisecond).
     */
    public static void assertSameTree(Path expected, Path actual, boolean sameMtime) {
        Map<String, Path> want = files(expected);
        Map<String, Path> got = files(actual);
        assertFalse(want.isEmpty(), "nothing under " + expected);
        assertSameNames(want.keySet(), got.keySet(), actual.toString());
        try {
            for (String name : want.keySet()) {
                try (InputStream a = Files.newInputStream(want.get(name));
                     InputStream b = Files.newInputStream(got.get(name))) {
                    assertArrayEquals(md5(a), md5(b), "bytes of " + name);
                }
                if (sameMtime) {
                    assertEquals(Files.getLastModifiedTime(want.get(name)).toMillis(),
                            Files.getLastModifiedTime(got.get(name)).toMillis(), "mtime of " + name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts two sets of names are equal; the message counts and names (the first 20) what is missing or extra. */
    public static void assertSameNames(Set<String> expected, Set<String> actual, String where) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            fail(where + ": " + missing.size() + " missing " + first(missing) + ", " + extra.size() + " extra "
                    + first(extra));
        }
    }

    private static String first(Set<String> names) {
        return names.stream().limit(20).toList() + (names.size() > 20 ? " ..." : "");
    }

    /** The regular files under {@code root} (links not followed), by path relative to it. */
    public static Map<String, Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .collect(Collectors.toMap(p -> root.relativize(p).toString(), p -> p, (a, b) -> a, TreeMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] md5(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }
}
