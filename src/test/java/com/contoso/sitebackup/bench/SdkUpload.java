package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.testing.Trees;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The benchmark's ceiling: plain parallel SDK uploads with no orchestration, {@code threads} files at a
 * time. Like {@link AppRun}, it warms up first and prints the upload's in-process time and CPU time
 * ({@code WORK_SECONDS}, {@code WORK_CPU_SECONDS}).
 * Usage: {@code SdkUpload <dir> <connection string> <container> <threads>}; prints the bytes uploaded.
 */
public final class SdkUpload {
    private SdkUpload() {
    }

    public static void main(String[] args) throws Exception {
        BlobServiceClient blobs = new BlobServiceClientBuilder().connectionString(args[1]).buildClient();
        int threads = Integer.parseInt(args[3]);
        Path warmUp = Files.createTempDirectory("warm-up");
        Trees.files(warmUp, 20, 1, 1024, 7);
        upload(warmUp, blobs.getBlobContainerClient("warm-up"), threads);

        TouchedMemory.asSet();
        long cpu = AppRun.cpuNanos();
        long started = System.nanoTime();
        long bytes = upload(Path.of(args[0]), blobs.getBlobContainerClient(args[2]), threads);
        System.out.printf(Locale.ROOT, "WORK_SECONDS %.3f%nWORK_CPU_SECONDS %.3f%n", (System.nanoTime() - started) / 1e9,
                (AppRun.cpuNanos() - cpu) / 1e9);
        System.out.println(bytes);
    }

    private static long upload(Path root, BlobContainerClient container, int threads) throws Exception {
        container.createIfNotExists();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> uploads = files.stream().<Future<?>>map(file -> pool.submit(() -> {
            String name = root.relativize(file).toString().replace('\\', '/');
            container.getBlobClient(name).uploadFromFile(file.toString(), true);
            try {
                bytes.addAndGet(Files.size(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })).toList();
        for (Future<?> upload : uploads) {
            upload.get();
        }
        pool.shutdown();
        return bytes.get();
    }
}
