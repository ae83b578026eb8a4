package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.restore.BlobRestorer;
import com.contoso.sitebackup.restore.RestoreJob;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A focused probe of the restore's per-file cost, without orchestration: {@code files} small files (1-16 KiB in 20
 * folders) on an in-memory Azurite, restored {@code rounds} times into fresh folders by {@link BlobRestorer#restoreAll}
 * in batches of 256 (4 batches at a time on one transfer pool of 16), printing each round's wall and CPU seconds. Run
 * under {@code strace -c -f} with 1 and with 3 rounds, the difference over {@code 2 x files} is the syscalls per file.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench.classpath) \
 *     com.contoso.sitebackup.bench.RestoreProbe 2000 3 /tmp/probe</pre>
 */
public final class RestoreProbe {
    private RestoreProbe() {
    }

    public static void main(String[] args) throws Exception {
        int files = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        Files.createDirectories(work);
        String run = "20261201T100000.000Z";
        try (Azurite azurite = Azurite.startInMemory()) {
            HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(azurite.client(), "probe", "p", "manifests", run);
            Random random = new Random(22);
            List<FileEntry> entries = new ArrayList<>();
            ExecutorService uploads = Executors.newFixedThreadPool(16);
            List<Future<FileEntry>> made = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                int size = 1024 + random.nextInt(15 * 1024);
                String path = "d" + (i % 20) + "/file-" + i + ".txt";
                String content = "x".repeat(size);
                made.add(uploads.submit(() -> snapshot.file(path, content, 0644, 1_600_000_000_123_456_789L)));
            }
            for (Future<FileEntry> entry : made) {
                entries.add(entry.get());
            }
            uploads.shutdown();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            ExecutorService batches = Executors.newFixedThreadPool(4);
            for (int round = 0; round < rounds; round++) {
                Path target = Files.createDirectories(work.resolve("r" + round + "-" + UUID.randomUUID()));
                BlobRestorer restorer = new BlobRestorer(azurite.client(), SecureRoots.forWriting("BACKUP_WRITE_ROOTS",
                        List.of(work), List.of()), "manifests");
                RestoreJob job = new RestoreJob(target.toString(), "probe", "p", run, false, null);
                String manifest = UUID.randomUUID().toString();
                long cpu0 = cpu();
                long t0 = System.nanoTime();
                List<Future<List<BatchRunner.Result>>> done = new ArrayList<>();
                for (int b = 0; b * 256 < files; b++) {
                    List<BatchRunner.Item<FileEntry>> items = new ArrayList<>();
                    for (int i = b * 256; i < Math.min(files, (b + 1) * 256); i++) {
                        items.add(new BatchRunner.Item<>(b, i - b * 256, entries.get(i)));
                    }
                    done.add(batches.submit(() -> restorer.restoreAll(job, manifest, items, pool)));
                }
                int ok = 0;
                for (Future<List<BatchRunner.Result>> batch : done) {
                    for (BatchRunner.Result result : batch.get()) {
                        if (result.outcome() != null && result.outcome().isDone()) {
                            ok++;
                        } else {
                            System.out.println("not done: " + result.outcome() + " " + result.thrown());
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "round %d: %d/%d files restored in %.3f s wall, %.3f s CPU%n", round,
                        ok, files, (System.nanoTime() - t0) / 1e9, (cpu() - cpu0) / 1e9);
            }
            pool.shutdown();
            batches.shutdown();
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
