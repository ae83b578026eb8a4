package com.contoso.sitebackup.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Deterministic directory trees for tests and the benchmark: the same seed gives the same names and bytes. */
public final class Trees {
    private Trees() {
    }

    /** {@code count} files of {@code minBytes}..{@code maxBytes} spread over nested folders. */
    public static long files(Path root, int count, int minBytes, int maxBytes, long seed) {
        Random random = new Random(seed);
        long total = 0;
        try {
            for (int i = 0; i < count; i++) {
                Path dir = root.resolve("d" + (i % 10)).resolve("e" + (i % 37)).resolve("f" + (i % 5));
                Files.createDirectories(dir);
                int size = minBytes + (maxBytes > minBytes ? random.nextInt(maxBytes - minBytes + 1) : 0);
                byte[] content = new byte[size];
                random.nextBytes(content);
                Files.write(dir.resolve("file " + i + ".bin"), content);
                total += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /** {@code count} files of {@code bytes} each, written in 1 MiB chunks. */
    public static long bigFiles(Path root, int count, long bytes, long seed) {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try {
            Files.createDirectories(root);
            for (int i = 0; i < count; i++) {
                try (OutputStream out = Files.newOutputStream(root.resolve("big-" + i + ".bin"))) {
                    for (long written = 0; written < bytes; written += chunk.length) {
                        random.nextBytes(chunk);
                        out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count * bytes;
    }

    /**
     * A tree of {@code count} files in nested folders whose names have spaces and non-ASCII letters, every
     * tenth file empty, the rest 1 byte to 4 KiB; plus, if {@code bigBytes} is positive, one file of that size.
     * Returns the total bytes.
     */
    public static long mixed(Path root, int count, long bigBytes, long seed) {
        Random random = new Random(seed);
        String[] folders = {"docs", "café crème", "日本語", "a b/c d", "ünïcödé/ñ", ".hidden"};
        long total = 0;
        try {
            for (int i = 0; i < count; i++) {
                Path dir = root.resolve(folders[i % folders.length]).resolve("level " + (i % 7));
                Files.createDirectories(dir);
                int size = i % 10 == 0 ? 0 : 1 + random.nextInt(4096);
                byte[] content = new byte[size];
                random.nextBytes(content);
                String name = (i % 3 == 0 ? "fichier été " : i % 3 == 1 ? "файл " : "file-") + i + (i % 4 == 0 ? "" : ".txt");
                Files.write(dir.resolve(name), content);
                total += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bigBytes > 0) {
            total += bigFiles(root.resolve("big"), 1, bigBytes, seed + 1);
        }
        return total;
    }

    /** Generates a tree from the command line: {@code small|large|tiny:<n> <dir>}. */
    public static void main(String[] args) {
        Path root = Path.of(args[1]);
        long bytes = switch (args[0].split(":")[0]) {
            case "small" -> files(root, 2_000, 1024, 16 * 1024, 42);
            case "large" -> bigFiles(root, 8, 32L << 20, 43);
            case "tiny" -> files(root, Integer.parseInt(args[0].split(":")[1]), 0, 16, 44);
            default -> throw new IllegalArgumentException("tree must be small, large or tiny:<n>, not " + args[0]);
        };
        System.out.println(bytes);
    }
}
