package com.contoso.sitebackup.bench;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The benchmark's ceiling: plain parallel SDK uploads with no orchestration, {@code threads} files at a
 * time. Usage: {@code SdkUpload <dir> <connection string> <container> <threads>}; prints the bytes uploaded.
 */
public final class SdkUpload {
    private SdkUpload() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(args[1]).buildClient()
                .getBlobContainerClient(args[2]);
        container.createIfNotExists();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(args[3]));
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
        System.out.println(bytes.get());
    }
}
