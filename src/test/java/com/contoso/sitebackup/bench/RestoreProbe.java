package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.restore.BlobRestorer;
import com.contoso.sitebackup.restore.RestoreJob;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
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
 * in batches of 256 (4 batches at a time on one transfer pool of {@code PROBE_POOL}, 16 unless set), printing each
 * round's wall seconds, the JVM's CPU seconds (user and system) and Azurite's (its processes' in {@code /proc}); then
 * {@code rclone copy --transfers 16} of the same blobs as many times, with Azurite's CPU seconds for each.
 * {@code PROBE_TOOLS=app} or {@code rclone} runs one of the two; {@code PROBE_SIZE_KIB} gives every file that size. Run under {@code strace -c -f} with 1 and with 3
 * rounds, the difference over {@code 2 x files} is the syscalls per file. Run the JVM as the Functions host runs the
 * worker's ({@code -XX:TieredStopAtLevel=1} and the shipped {@code JAVA_OPTS}) to see what a worker pays.
 *
 * <pre>java -XX:TieredStopAtLevel=1 -Xms64m -XX:+UseSerialGC \
 *     -cp target/test-classes:target/classes:$(cat target/bench.classpath) \
 *     com.contoso.sitebackup.bench.RestoreProbe 2000 3 /tmp/probe</pre>
 */
public final class RestoreProbe {
    /** {@code PROBE_SIZE_KIB}: every file this size instead (e.g. 32768 for the benchmark's large files). */
    private static final int SIZE_KIB = Integer.parseInt(System.getenv().getOrDefault("PROBE_SIZE_KIB", "0"));

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
                int size = SIZE_KIB > 0 ? SIZE_KIB * 1024 : 1024 + random.nextInt(15 * 1024);
                String path = "d" + (i % 20) + "/file-" + i + ".txt";
                String content = "x".repeat(size);
                made.add(uploads.submit(() -> snapshot.file(path, content, 0644, 1_600_000_000_123_456_789L)));
            }
            for (Future<FileEntry> entry : made) {
                entries.add(entry.get());
            }
            uploads.shutdown();
            ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(
                    System.getenv().getOrDefault("PROBE_POOL", "16")));
            ExecutorService batches = Executors.newFixedThreadPool(4);
            String tools = System.getenv().getOrDefault("PROBE_TOOLS", "app,rclone");
            for (int round = 0; round < (tools.contains("app") ? rounds : 0); round++) {
                Path target = Files.createDirectories(work.resolve("r" + round + "-" + UUID.randomUUID()));
                BlobRestorer restorer = new BlobRestorer(azurite.client(), SecureRoots.forWriting("BACKUP_WRITE_ROOTS",
                        List.of(work), List.of()), "manifests");
                RestoreJob job = new RestoreJob(target.toString(), "probe", "p", run, false, null);
                String manifest = UUID.randomUUID().toString();
                long cpu0 = cpu();
                double node0 = azuriteCpu();
                double[] self0 = selfCpu();
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
                System.out.printf(Locale.ROOT, "round %d: %d/%d files restored in %.3f s wall, %.3f s CPU, Azurite"
                        + " %.3f s CPU%n", round, ok, files, (System.nanoTime() - t0) / 1e9, (cpu() - cpu0) / 1e9,
                        azuriteCpu() - node0);
                double[] self1 = selfCpu();
                System.out.printf(Locale.ROOT, "   JVM user %.2f s, system %.2f s%n", self1[0] - self0[0],
                        self1[1] - self0[1]);
            }
            pool.shutdown();
            batches.shutdown();
            BlobContainerClient container = azurite.client().getBlobContainerClient("probe");
            String sas = container.getBlobContainerUrl() + "?" + container.generateSas(new BlobServiceSasSignatureValues(
                    OffsetDateTime.now().plusHours(2), BlobContainerSasPermission.parse("racwdl")));
            for (int round = 0; round < (tools.contains("rclone") ? rounds : 0); round++) {
                Path target = work.resolve("rclone" + round + "-" + UUID.randomUUID());
                ProcessBuilder rclone = new ProcessBuilder("rclone", "copy", "az:probe/p", target.toString(),
                        "--transfers", "16", "--config", "/dev/null").inheritIO();
                rclone.environment().put("RCLONE_CONFIG_AZ_TYPE", "azureblob");
                rclone.environment().put("RCLONE_CONFIG_AZ_SAS_URL", sas);
                double node0 = azuriteCpu();
                long t0 = System.nanoTime();
                int exit = rclone.start().waitFor();
                System.out.printf(Locale.ROOT, "rclone round %d: exit %d in %.3f s wall, Azurite %.3f s CPU%n", round,
                        exit, (System.nanoTime() - t0) / 1e9, azuriteCpu() - node0);
            }
        }
    }

    /** The CPU seconds so far of the processes whose command line names Azurite. */
    private static double azuriteCpu() throws IOException {
        double seconds = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    if (new String(Files.readAllBytes(proc.resolve("cmdline"))).contains("azurite")) {
                        double[] cpu = cpuOf(proc);
                        seconds += cpu[0] + cpu[1];
                    }
                } catch (IOException gone) {
                    // The process ended while it was read.
                }
            }
        }
        return seconds;
    }

    /** This JVM's user and system CPU seconds so far. */
    private static double[] selfCpu() throws IOException {
        return cpuOf(Path.of("/proc/self"));
    }

    /** The user and system CPU seconds of the process {@code proc} ({@code /proc/<pid>/stat}, 100 ticks a second). */
    private static double[] cpuOf(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new double[] {Long.parseLong(fields[11]) / 100.0, Long.parseLong(fields[12]) / 100.0};
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
