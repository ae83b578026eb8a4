package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.testing.Trees;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * Usage: {@code SdkUpload <dir> <connection string> <container> <threads> [handle]}; prints the bytes uploaded.
 *
 * <p>By default each file goes through {@code uploadFromFile}, which hands the HTTP client the file's path (one Put
 * Blob up to 256 MiB, sent with {@code sendfile} over HTTP). With {@code handle} (the benchmark's {@code sdk-handle},
 * no goal) each file is opened once and sent in one Put Blob whose body is read through that handle, as the app's
 * copier must (it never opens a file by name twice): a mark-supporting {@link InputStream} reading pieces of
 * {@value HandleBody#PIECE} bytes, the kind of body the copier's {@code FileBody} is, so the SDK sends it in Netty's
 * 8 KiB chunks. The app's share of this one says what is left to it beyond what that rule costs. That upload first
 * warms up on the tree itself, as the app does on a copy of it.
 */
public final class SdkUpload {
    private SdkUpload() {
    }

    public static void main(String[] args) throws Exception {
        BlobServiceClient blobs = new BlobServiceClientBuilder().connectionString(args[1]).buildClient();
        int threads = Integer.parseInt(args[3]);
        boolean handle = args.length > 4 && args[4].equals("handle");
        Path warmUp = Files.createTempDirectory("warm-up");
        Trees.files(warmUp, 20, 1, 1024, 7);
        upload(warmUp, blobs.getBlobContainerClient("warm-up"), threads, handle);
        if (handle) {
            // A body read in Java is compiled as it runs: warm it on the tree itself, as the app's runs warm up on a
            // copy of theirs (AppRun); its blobs go before the timed upload. (uploadFromFile sends from the kernel,
            // and an added warm-up like this one did not change its time: docs/benchmark.md.)
            upload(Path.of(args[0]), blobs.getBlobContainerClient("warm-up-like"), threads, true);
            blobs.deleteBlobContainer("warm-up-like");
        }

        TouchedMemory.asSet();
        long cpu = AppRun.cpuNanos();
        long started = System.nanoTime();
        long bytes = upload(Path.of(args[0]), blobs.getBlobContainerClient(args[2]), threads, handle);
        System.out.printf(Locale.ROOT, "WORK_SECONDS %.3f%nWORK_CPU_SECONDS %.3f%n", (System.nanoTime() - started) / 1e9,
                (AppRun.cpuNanos() - cpu) / 1e9);
        System.out.println(bytes);
    }

    private static long upload(Path root, BlobContainerClient container, int threads, boolean handle)
            throws Exception {
        container.createIfNotExists();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> uploads = files.stream().<Future<?>>map(file -> pool.submit(() -> {
            String name = root.relativize(file).toString().replace('\\', '/');
            if (handle) {
                try (FileChannel channel = FileChannel.open(file)) {
                    long size = channel.size();
                    container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
                            new BlockBlobSimpleUploadOptions(BinaryData.fromStream(new HandleBody(channel, size), size)),
                            null, Context.NONE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                container.getBlobClient(name).uploadFromFile(file.toString(), true);
            }
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

    /** A body read through one open file in pieces, from any position it was marked at, as the copier's is. */
    static final class HandleBody extends InputStream {
        static final int PIECE = 256 * 1024;

        private final FileChannel channel;
        private final long size;
        private final ByteBuffer piece;
        private long position;
        private long mark;

        HandleBody(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
            this.piece = ByteBuffer.allocate((int) Math.min(PIECE, Math.max(1, size)));
            piece.limit(0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] destination, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!piece.hasRemaining()) {
                if (position >= size) {
                    return -1;
                }
                piece.clear().limit((int) Math.min(piece.capacity(), size - position));
                while (piece.hasRemaining()) {
                    if (channel.read(piece, position + piece.position()) < 0) {
                        throw new IOException("the file shrank while it was sent");
                    }
                }
                piece.flip();
            }
            int count = Math.min(length, piece.remaining());
            piece.get(destination, offset, count);
            position += count;
            return count;
        }

        /**
         * The bytes of the piece not yet handed out. Netty's {@code ChunkedStream} sizes each chunk by it (at most
         * 8 KiB): a stream that answers 0 is sent a byte at a time.
         */
        @Override
        public int available() {
            return piece.remaining();
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int limit) {
            mark = position;
        }

        @Override
        public synchronized void reset() {
            position = mark;
            piece.limit(0);
        }
    }
}
