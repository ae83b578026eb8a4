package com.contoso.sitebackup.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Deterministic directory trees for the benchmark: the same seed gives the same names and bytes. */
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
