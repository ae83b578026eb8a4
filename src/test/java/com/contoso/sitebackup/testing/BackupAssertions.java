package com.contoso.sitebackup.testing;

import com.contoso.sitebackup.fs.PathCodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Checks a backup by reading it back: every file has a blob with identical content, and nothing else. */
public final class BackupAssertions {
    private BackupAssertions() {
    }

    /**
     * Asserts that the blobs under {@code prefix} are exactly the regular files under {@code root}, each under its
     * encoded path ({@link PathCodec}) with the same bytes (MD5 of the content downloaded, compared with the
     * file's) and a matching Content-MD5. Returns the number of bytes checked.
     */
    public static long assertBackedUp(Path root, BlobContainerClient container, String prefix) {
        Map<String, Path> files = new TreeMap<>();
        filesUnder(root).values().forEach(file -> files.put(PathCodec.encode(root.relativize(file)), file));
        Map<String, BlobItem> blobs = container.listBlobs(new ListBlobsOptions().setPrefix(prefix + "/"), null)
                .stream().collect(Collectors.toMap(b -> b.getName().substring(prefix.length() + 1), b -> b,
                        (a, b) -> a, TreeMap::new));
        assertEquals(files.keySet(), blobs.keySet(), "blobs under " + prefix + " are exactly the files");
        long bytes = 0;
        for (Map.Entry<String, Path> file : files.entrySet()) {
            byte[] expected;
            try (InputStream in = Files.newInputStream(file.getValue())) {
                expected = md5(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] actual;
            try (InputStream in = container.getBlobClient(prefix + "/" + file.getKey()).openInputStream()) {
                actual = md5(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertArrayEquals(expected, actual, "content of " + file.getKey());
            assertArrayEquals(expected, blobs.get(file.getKey()).getProperties().getContentMd5(),
                    "Content-MD5 of " + file.getKey());
            bytes += blobs.get(file.getKey()).getProperties().getContentLength();
        }
        return bytes;
    }

    /** Asserts that nothing was written under {@code prefix} (or the container does not exist). */
    public static void assertNothingUnder(BlobContainerClient container, String prefix) {
        assertTrue(!container.exists()
                || container.listBlobs(new ListBlobsOptions().setPrefix(prefix + "/"), null).stream().findAny().isEmpty(),
                "nothing under " + prefix);
    }

    /** The regular files under {@code root}, by relative path with forward slashes. */
    public static Map<String, Path> filesUnder(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .collect(Collectors.toMap(p -> root.relativize(p).toString().replace('\\', '/'), p -> p,
                            (a, b) -> a, TreeMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The total size of the regular files under {@code root}. */
    public static long sizeOf(Path root) {
        return filesUnder(root).values().stream().mapToLong(p -> p.toFile().length()).sum();
    }

    private static byte[] md5(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
