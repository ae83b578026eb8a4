package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.standin.stack.AzuriteProcess;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import reactor.core.publisher.Flux;

/**
 * What a Put Blob's body costs, by the kind of body the SDK is handed: {@code files} files of {@code MiB} each sent
 * at once in one Put Blob apiece, each way on its own fresh in-memory Azurite (after one small warm-up upload, so no
 * way pays Azurite's first large upload), the ways in a rotated order each round. Prints per way the median time,
 * its spread, this process's CPU seconds, Azurite's, and the most direct-buffer memory this process held meanwhile
 * (sampled every 10 ms, without a collection: what was allocated and not yet freed). Run it with the worker's JIT
 * ({@code -XX:TieredStopAtLevel=1}) to see what a worker pays.
 *
 * <ul>
 *   <li>{@code sdk}: {@code uploadFromFile}, the benchmark's ceiling ({@link SdkUpload}); a file up to 256 MiB goes in
 *       one Put Blob of {@code BinaryData.fromFile}, which Netty sends with {@code sendfile} over HTTP.</li>
 *   <li>{@code stream}: a mark-supporting {@link InputStream}, the kind of body the copier's {@code FileBody} is: the
 *       SDK's Netty client reads it in 8 KiB chunks ({@code ChunkedStream}'s default, not settable).</li>
 *   <li>{@code flux}: a {@code Flux} of 64 KiB direct buffers read from the file, on a client whose retry policy
 *       makes one try (with more tries the storage retry policy makes a body that is not replayable replayable by
 *       reading it whole into memory first: {@code RequestRetryPolicy}, {@code toReplayableBinaryData}). Cheap on
 *       CPU. reactor-netty's {@code MonoSendMany} keeps at most 128 pieces written and not yet sent; the direct
 *       buffers column counts more, because a direct buffer is freed only by a collection, sent or not.</li>
 *   <li>{@code direct}: the whole file read into one direct buffer first, then sent by the retrying client
 *       ({@code BinaryData.fromByteBuffer}, replayable; Netty writes the buffer without a copy). Half the stream's CPU
 *       and the SDK's time, for memory the size of every file in flight.</li>
 * </ul>
 *
 * <p>Usage: {@code UploadBodyProbe <work dir> <rounds> <files> <MiB> [ways]}, e.g. {@code target/probe 5 8 32
 * sdk,stream,flux,direct}.
 */
public final class UploadBodyProbe {
    private static final int PIECE = 64 * 1024;

    private UploadBodyProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0])).toRealPath();
        int rounds = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        long bytes = Long.parseLong(args[3]) * 1024 * 1024;
        List<String> ways = List.of((args.length > 4 ? args[4] : "sdk,stream,flux").split(","));
        Path tree = LargeFileSweep.bigFilesTree(work, count, bytes);
        List<Path> files;
        try (var listing = Files.list(tree)) {
            files = listing.sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(files.size());
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {   // round 0 warms this JVM up, not counted
            List<String> order = new ArrayList<>(ways);
            Collections.rotate(order, round);
            for (String way : order) {
                try (AzuriteProcess azurite = AzuriteProcess.startInMemory()) {
                    String connection = azurite.connectionString();
                    BlobServiceClient service = new BlobServiceClientBuilder().connectionString(connection)
                            .buildClient();
                    BlobServiceClient oneTry = new BlobServiceClientBuilder().connectionString(connection)
                            .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null,
                                    null))
                            .buildClient();
                    BlobContainerClient container = service.createBlobContainer("probe");
                    container.getBlobClient("warm-up").upload(BinaryData.fromBytes(new byte[1024 * 1024]));
                    ProcessHandle azuriteProcess = azurite.handle().orElseThrow();
                    long cpu = ownCpuNanos();
                    long azuriteCpu = LargeFileSweep.cpuNanos(azuriteProcess);
                    AtomicLong peakDirect = new AtomicLong(directUsed());
                    AtomicBoolean sending = new AtomicBoolean(true);
                    Thread sampler = new Thread(() -> {
                        while (sending.get()) {
                            peakDirect.accumulateAndGet(directUsed(), Math::max);
                            LockSupport.parkNanos(10_000_000L);
                        }
                    }, "direct-sampler");
                    long directBefore = peakDirect.get();
                    sampler.start();
                    long started = System.nanoTime();
                    List<Future<?>> uploads = new ArrayList<>();
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        uploads.add(pool.submit(() -> {
                            upload(way, container.getBlobClient(name),
                                    oneTry.getBlobContainerClient("probe").getBlobClient(name).getBlockBlobClient(),
                                    file);
                            return null;
                        }));
                    }
                    for (Future<?> upload : uploads) {
                        upload.get();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    sending.set(false);
                    sampler.join();
                    double directMiB = (peakDirect.get() - directBefore) / 1048576.0;
                    double cpuSeconds = (ownCpuNanos() - cpu) / 1e9;
                    double azuriteSeconds = (LargeFileSweep.cpuNanos(azuriteProcess) - azuriteCpu) / 1e9;
                    for (Path file : files) {
                        long stored = container.getBlobClient(file.getFileName().toString()).getProperties()
                                .getBlobSize();
                        if (stored != Files.size(file)) {
                            throw new IllegalStateException(way + " stored " + stored + " bytes of " + file);
                        }
                    }
                    System.out.printf(Locale.ROOT, "round %d %-7s %.2f s, CPU %.2f s, Azurite CPU %.2f s, direct buffers"
                            + " up to %.0f MiB%n", round, way, seconds, cpuSeconds, azuriteSeconds, directMiB);
                    if (round > 0) {
                        results.computeIfAbsent(way, k -> new ArrayList<>())
                                .add(new double[] {seconds, cpuSeconds, azuriteSeconds, directMiB});
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%d files of %d MiB at once, one Put Blob each, %d rounds, load %s%n",
                files.size(), bytes >> 20, rounds, Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| body | median s | min-max s | median CPU s | median Azurite CPU s"
                + " | direct buffers held, max MiB |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        results.forEach((way, rows) -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f-%.2f | %.2f | %.2f | %.0f |%n",
                way, LargeFileSweep.median(rows, 0), rows.stream().mapToDouble(r -> r[0]).min().orElse(0),
                rows.stream().mapToDouble(r -> r[0]).max().orElse(0), LargeFileSweep.median(rows, 1), LargeFileSweep.median(rows, 2),
                rows.stream().mapToDouble(r -> r[3]).max().orElse(0)));
        pool.shutdown();
        System.exit(0);
    }

    private static void upload(String way, BlobClient blob, BlockBlobClient oneTry, Path file)
            throws IOException {
        long size = Files.size(file);
        switch (way) {
            case "sdk" -> blob.uploadFromFile(file.toString(), true);
            case "stream" -> {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), PIECE)) {
                    blob.getBlockBlobClient().uploadWithResponse(
                            new BlockBlobSimpleUploadOptions(BinaryData.fromStream(in, size)), null, null);
                }
            }
            case "flux" -> {
                try (FileChannel channel = FileChannel.open(file)) {
                    oneTry.uploadWithResponse(new BlockBlobSimpleUploadOptions(pieces(channel, size), size), null,
                            null);
                }
            }
            case "direct" -> {
                ByteBuffer whole = ByteBuffer.allocateDirect((int) size);
                try (FileChannel channel = FileChannel.open(file)) {
                    while (whole.hasRemaining() && channel.read(whole, whole.position()) >= 0) {
                        // read on
                    }
                }
                whole.flip();
                blob.getBlockBlobClient().uploadWithResponse(
                        new BlockBlobSimpleUploadOptions(BinaryData.fromByteBuffer(whole)), null, null);
            }
            default -> throw new IllegalArgumentException("no body kind " + way);
        }
    }

    /** The file as direct buffers of {@link #PIECE} bytes, each read when asked for. */
    private static Flux<ByteBuffer> pieces(FileChannel channel, long size) {
        return Flux.generate(() -> 0L, (position, sink) -> {
            ByteBuffer piece = ByteBuffer.allocateDirect((int) Math.min(PIECE, size - position));
            try {
                while (piece.hasRemaining()) {
                    if (channel.read(piece, position + piece.position()) < 0) {
                        throw new IOException("the file shrank");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sink.next(piece.flip());
            long next = position + piece.limit();
            if (next >= size) {
                sink.complete();
            }
            return next;
        });
    }

    /** This process's CPU time alone (Azurite is a child of it, which {@link AppRun#cpuNanos} would count). */
    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Direct-buffer memory this process has allocated and not yet freed. */
    private static long directUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
