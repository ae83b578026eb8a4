package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupJob;
import com.contoso.sitebackup.backup.BlobCopier;
import com.contoso.sitebackup.backup.BlockStaging;
import com.contoso.sitebackup.backup.CopyEntry;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.standin.stack.AzuriteProcess;
import com.contoso.sitebackup.testing.Trees;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sweep behind {@link BlockStaging}'s block size and budget: {@code files} files of {@code MiB} each copied by
 * {@link BlobCopier} (all files at once, as the transfer pool runs a batch's files) with each (block size, budget)
 * pair, interleaved round by round with the ceiling, the SDK's {@code uploadFromFile} (default parallel transfer
 * options, the files in parallel), against a fresh in-memory Azurite each round (it keeps deleted blobs' memory). Prints, per configuration, the median of the
 * per-round ratios copier time / SDK time (the same round, so a busy machine moves both), the copier's requests
 * and the process CPU plus Azurite's CPU per run.
 *
 * <p>Usage: {@code LargeFileSweep <work dir> <rounds> <files> <MiB> <block MiB/budget MiB,...>}; e.g.
 * {@code target/sweep 3 8 32 4/16,4/128,8/64,16/128}.
 */
public final class LargeFileSweep {
    private LargeFileSweep() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0])).toRealPath();
        int rounds = Integer.parseInt(args[1]);
        int files = Integer.parseInt(args[2]);
        long bytes = Long.parseLong(args[3]) * 1024 * 1024;
        List<int[]> configs = new ArrayList<>();
        for (String pair : args[4].split(",")) {
            String[] parts = pair.split("/");
            configs.add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
        }
        Path tree = bigFilesTree(work, files, bytes);
        {
            SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(work));
            ExecutorService files8 = Executors.newFixedThreadPool(16);
            ExecutorService stagePool = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "sweep-stage");
                thread.setDaemon(true);
                return thread;
            });
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            int run = 0;
            for (int round = 0; round <= rounds; round++) {   // round 0 warms up, not counted
              try (AzuriteProcess azurite = AzuriteProcess.startInMemory()) {
                BlobServiceClient service = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                        .buildClient();
                ProcessHandle azuriteProcess = azurite.handle().orElseThrow();
                double sdk = 0;
                List<String> order = new ArrayList<>();
                order.add("sdk");
                configs.forEach(c -> order.add(c[0] + "/" + c[1]));
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                Map<String, double[]> thisRound = new LinkedHashMap<>();
                for (String name : order) {
                    BlobContainerClient container = service.getBlobContainerClient("sweep-" + run++);
                    container.create();
                    long cpu = AppRun.cpuNanos();
                    long azuriteCpu = cpuNanos(azuriteProcess);
                    long started = System.nanoTime();
                    List<Future<?>> copies = new ArrayList<>();
                    if (name.equals("sdk")) {
                        for (int i = 0; i < files; i++) {
                            Path file = tree.resolve("big-" + i + ".bin");
                            copies.add(files8.submit(() -> container.getBlobClient(file.getFileName().toString())
                                    .uploadFromFile(file.toString(), true)));
                        }
                    } else {
                        String[] parts = name.split("/");
                        BlockStaging staging = new BlockStaging(Integer.parseInt(parts[0]) << 20,
                                Integer.parseInt(parts[1]) << 20, stagePool);
                        BlobCopier copier = new BlobCopier(service, roots, "manifests", staging);
                        BackupJob job = new BackupJob(tree.toString(), container.getBlobContainerName(), "p", null,
                                null);
                        for (int i = 0; i < files; i++) {
                            String path = "big-" + i + ".bin";
                            copies.add(files8.submit(() -> {
                                FileOutcome outcome = copier.copy(job, new CopyEntry(path, 0, 0, EntryType.FILE, null));
                                if (!outcome.isDone()) {
                                    throw new IllegalStateException(outcome.getProblem());
                                }
                                return null;
                            }));
                        }
                    }
                    for (Future<?> copy : copies) {
                        copy.get();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double cpuSeconds = (AppRun.cpuNanos() - cpu) / 1e9;
                    double azuriteSeconds = (cpuNanos(azuriteProcess) - azuriteCpu) / 1e9;
                    container.delete();
                    thisRound.put(name, new double[] {seconds, cpuSeconds, azuriteSeconds});
                }
                sdk = thisRound.get("sdk")[0];
                if (round == 0) {
                    System.out.println("warm-up round done");
                    continue;
                }
                for (Map.Entry<String, double[]> e : thisRound.entrySet()) {
                    double[] r = e.getValue();
                    results.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(new double[] {r[0], sdk / r[0], r[1], r[2]});
                }
                System.out.printf(Locale.ROOT, "round %d done, load %s%n", round,
                        Files.readString(Path.of("/proc/loadavg")).trim());
              }
            }
            System.out.printf(Locale.ROOT, "%n%d files of %d MiB, %d rounds, load %s%n", files, bytes >> 20, rounds,
                    Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.println("| block MiB / budget MiB | median s | share of SDK ceiling (median of round ratios)"
                    + " | min-max | median app CPU s | median Azurite CPU s |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            results.forEach((name, rows) -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f-%.2f | %.2f | %.2f |%n",
                    name, median(rows, 0), median(rows, 1), min(rows, 1), max(rows, 1), median(rows, 2),
                    median(rows, 3)));
            files8.shutdown();
        }
        System.exit(0);
    }

    /** {@code work}'s tree of {@code files} random files of {@code bytes} each, made once and kept for later runs. */
    static Path bigFilesTree(Path work, int files, long bytes) {
        Path tree = work.resolve("tree-" + files + "x" + (bytes >> 20));
        if (!Files.isDirectory(tree)) {
            Trees.bigFiles(tree, files, bytes, 22);
        }
        return tree;
    }

    /** The CPU time of {@code process} so far. */
    static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** The median of {@code column} over {@code rows}. */
    static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static double min(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).min().orElse(0);
    }

    private static double max(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).max().orElse(0);
    }
}
