package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.testing.Trees;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyReport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * This app in the benchmark, one job per process: a backup of a tree, a restore of its backup into an empty
 * folder, or a verification of the tree against its backup (by listing, or by content). A Functions worker is a
 * long-lived, warm JVM, so a small backup, restore and verification run first, and the job itself is also timed
 * in-process ({@code WORK_SECONDS}, and the CPU time it used, {@code WORK_CPU_SECONDS}), beside the process's wall
 * time the benchmark measures; {@code PEAK_RSS_KIB} is the peak memory of this process plus that of the engine's
 * processes, if it started any (the real engine's sidecar and bridge JVM), whose CPU time is counted too. Exits with 1 unless
 * the job completed with nothing to report (every file copied, restored, or identical).
 *
 * <p>Usage: {@code AppRun <engine> backup|restore|verify|verify-content <tree> <connection string> <container>
 * <work dir> [<restore target>]}; the work dir is the allowed root, and holds the tree and the target.
 */
public final class AppRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppRun() {
    }

    public static void main(String[] args) throws Exception {
        AppEngine engine = AppEngine.named(args[0]);
        String mode = args[1];
        Path tree = Path.of(args[2]).toRealPath();
        String connection = args[3];
        String container = args[4];
        Path work = Path.of(args[5]).toRealPath();

        Path warmUp = Files.createTempDirectory(work, "warm-up");
        Trees.files(warmUp.resolve("tree"), 20, 1, 1024, 7);
        job(engine, "backup", warmUp.resolve("tree"), connection, "warm-up", work, null);
        job(engine, "restore", warmUp.resolve("tree"), connection, "warm-up", work, warmUp.resolve("restored"));
        job(engine, "verify-content", warmUp.resolve("tree"), connection, "warm-up", work, null);

        long started = System.nanoTime();
        long cpu = cpuNanos();
        AppEngine.Outcome outcome = job(engine, mode, tree, connection, container, work,
                args.length > 6 ? Path.of(args[6]) : null);
        System.out.printf(Locale.ROOT, "WORK_SECONDS %.3f%nWORK_CPU_SECONDS %.3f%nPEAK_RSS_KIB %d%n",
                (System.nanoTime() - started) / 1e9, (cpuNanos() - cpu) / 1e9, peakRssKiB());
        System.out.println(outcome);
        String problem = problem(mode, outcome);
        if (problem != null) {
            System.out.println("NOT CLEAN: " + problem);
            System.exit(1);
        }
    }

    private static AppEngine.Outcome job(AppEngine engine, String mode, Path tree, String connection, String container,
                                         Path work, Path target) {
        BackupRequest backup = BackupRequest.of(tree.toString()).withDefaults(container);
        Object input = switch (mode) {
            case "backup", "verify" -> backup;
            case "verify-content" -> new BackupRequest(backup.getRootDirectory(), container, backup.getBlobPrefix(),
                    null, null, false, true, null);
            case "restore" -> new RestoreRequest(container, BlobNames.defaultPrefix(tree.toString()), target.toString(),
                    false, null);
            default -> throw new IllegalArgumentException("mode must be backup, restore, verify or verify-content: " + mode);
        };
        String orchestrator = switch (mode) {
            case "backup" -> BackupSiteContent.NAME;
            case "restore" -> RestoreSiteContent.NAME;
            default -> VerifyBackup.NAME;
        };
        return engine.run(orchestrator, input, connection, work);
    }

    /**
     * CPU time so far (every thread, user and system), in nanoseconds, of this process and of the processes it
     * started that still run (an engine's stack, {@link SidecarEngine}).
     */
    static long cpuNanos() {
        long own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return own + ProcessHandle.current().descendants()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    /**
     * Peak resident memory in KiB of this process plus that of each process it started that still runs, each
     * from its {@code VmHWM}: what the whole job held at most, counted as if every peak came at once.
     */
    static long peakRssKiB() {
        return peakRssKiB("self") + ProcessHandle.current().descendants()
                .mapToLong(p -> peakRssKiB(Long.toString(p.pid()))).sum();
    }

    private static long peakRssKiB(String pid) {
        try {
            return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.substring("VmHWM:".length()).replace("kB", "").strip()))
                    .findFirst().orElse(0);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Why the job's outcome is not clean, or null. */
    private static String problem(String mode, AppEngine.Outcome outcome) throws Exception {
        if (!"Completed".equals(outcome.runtimeStatus())) {
            return "runtime status " + outcome.runtimeStatus();
        }
        JobProgress status = JSON.readValue(outcome.customStatus(), JobProgress.class);
        if (status.getPhase() != JobProgress.Phase.COMPLETED) {
            return "phase " + status.getPhase();
        }
        if (mode.startsWith("verify") && JSON.readValue(outcome.output(), VerifyReport.class).differenceCount() != 0) {
            return "differences found";
        }
        return null;
    }
}
