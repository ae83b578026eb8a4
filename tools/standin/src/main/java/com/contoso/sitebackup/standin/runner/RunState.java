package com.contoso.sitebackup.standin.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the runner keeps in its state folder ({@code --state-dir}, default {@code .tools/run/runner}):
 * <ul>
 *   <li>{@code runs/<run>/}: one folder per run of the local stack, with a task hub of its own
 *       ({@code sidecar/hub.sqlite}), the worker's log and metrics, and {@code run.json} (the runner's pid, the
 *       processes it started, its instance and latest status). The runner holds {@code runs/<run>/lock} while it
 *       lives; the operating system lets go of it when the runner dies, even by SIGKILL, so the next run finds such a
 *       folder, stops the processes it names that still run, and removes it with its task hub: nothing of a killed
 *       run carries on, and no instance is left in a task hub to be refused 409 later. A run that ended on its own
 *       but not well (exit 1: refused, problems, a failure) keeps its folder for its logs, marked {@code finished};
 *       the next run removes it without a word.</li>
 *   <li>{@code targets/<instance id>@<account>.lock}: held while a run works on that target of that account (the
 *       app's instance id is fixed by the target), so two runs in one state folder never work on the same
 *       container and prefix of one account at once.</li>
 *   <li>{@code azurite/} (and {@code azurite.lock}): the data of the runner's own Azurite, for
 *       {@code UseDevelopmentStorage=true}; one run at a time uses it.</li>
 *   <li>{@code records/<instance id>.json}: how the last run of each instance ended ({@code status} reads it);
 *       {@code reports/}: problem files.</li>
 * </ul>
 */
final class RunState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS")
            .withZone(ZoneOffset.UTC);

    private final Path root;

    RunState(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path azurite() {
        return root.resolve("azurite");
    }

    Path reports() {
        return root.resolve("reports");
    }

    /**
     * Stops what runs that were killed left running and removes their folders; answers one line per such run. The
     * folder a run kept for its logs when it finished (exit 1) is removed quietly, unless a process it named still
     * runs (then that is stopped and said). A folder whose lock another live runner holds is left alone.
     */
    List<String> sweep() {
        Path runs = root.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        List<String> swept = new ArrayList<>();
        List<Path> folders;
        try (Stream<Path> list = Files.list(runs)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runs, e);
        }
        for (Path folder : folders) {
            try (Lock lock = Lock.tryAcquire(folder.resolve("lock"))) {
                if (lock == null) {
                    continue; // a live run
                }
                JsonNode record = readRecord(folder.resolve("run.json"));
                List<String> stopped = new ArrayList<>();
                for (JsonNode process : record.path("processes")) {
                    Optional<ProcessHandle> handle = ProcessHandle.of(process.path("pid").asLong());
                    if (handle.isPresent() && handle.get().isAlive() && process.path("start").asText().equals(
                            handle.get().info().startInstant().map(Instant::toString).orElse(""))) {
                        handle.get().destroyForcibly();
                        stopped.add(process.path("pid").asText() + " (" + process.path("what").asText() + ")");
                    }
                }
                String instance = record.path("instanceId").asText("");
                boolean ended = record.path("ended").asBoolean(false);
                if (record.path("finished").asBoolean(false)) {
                    if (!stopped.isEmpty()) {
                        swept.add("an earlier run (runner pid " + record.path("pid").asText() + ") left processes"
                                + " running, now stopped: " + String.join(", ", stopped));
                    }
                } else if (!ended && !record.isEmpty()) {
                    if (!instance.isEmpty()) {
                        recordAbandoned(instance, record, "ended without finishing this run; its task hub was"
                                + " removed, so nothing of it runs any more");
                    }
                    swept.add("a run that ended without finishing (runner pid " + record.path("pid").asText()
                            + (instance.isEmpty() ? "" : ", " + instance) + ") left "
                            + (stopped.isEmpty() ? "no process running" : "processes running, now stopped: "
                            + String.join(", ", stopped)) + "; its task hub is removed");
                }
            } catch (OverlappingFileLockException ours) {
                continue;
            }
            deleteTree(folder);
        }
        return swept;
    }

    /** Starts a run: its folder, locked for as long as this JVM lives (or until {@link Run#close}). */
    Run begin(String command) {
        Path folder = root.resolve("runs").resolve(RUN_ID.format(Instant.now()) + "-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
        Lock lock = Lock.tryAcquire(folder.resolve("lock"));
        if (lock == null) {
            throw new IllegalStateException("cannot lock " + folder);
        }
        Run run = new Run(this, folder, lock, command);
        run.save();
        return run;
    }

    /**
     * Holds the target {@code instanceId} in the storage account {@code account} (its blob endpoint) for this run, or
     * answers null with the other runner's pid in {@code holder}[0] when one holds it.
     */
    Lock lockTarget(String instanceId, String account, String[] holder) {
        return lockOwned(root.resolve("targets").resolve(safe(instanceId) + "@"
                + Integer.toHexString(account.hashCode()) + ".lock"), holder);
    }

    /** Holds the runner's own Azurite data, or answers null with the holder's pid in {@code holder}[0]. */
    Lock lockAzurite(String[] holder) {
        return lockOwned(root.resolve("azurite.lock"), holder);
    }

    private static Lock lockOwned(Path file, String[] holder) {
        try {
            Files.createDirectories(file.getParent());
            Lock lock = Lock.tryAcquire(file);
            Path owner = file.resolveSibling(file.getFileName() + ".pid");
            if (lock == null) {
                holder[0] = Files.exists(owner) ? Files.readString(owner).strip() : "?";
                return null;
            }
            Files.writeString(owner, Long.toString(ProcessHandle.current().pid()));
            return lock;
        } catch (OverlappingFileLockException ours) {
            holder[0] = Long.toString(ProcessHandle.current().pid());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** The record of the last run of {@code instanceId}: its final status, or what became of it. */
    Optional<JsonNode> record(String instanceId) {
        Path file = records().resolve(safe(instanceId) + ".json");
        return Files.isRegularFile(file) ? Optional.of(readRecord(file)) : Optional.empty();
    }

    /** The record of a live run working on {@code instanceId}, if one does. */
    Optional<JsonNode> live(String instanceId) {
        Path runs = root.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> list = Files.list(runs)) {
            for (Path folder : list.filter(Files::isDirectory).toList()) {
                JsonNode record = readRecord(folder.resolve("run.json"));
                if (instanceId.equals(record.path("instanceId").asText(null))
                        && !record.path("ended").asBoolean(false)
                        && ProcessHandle.of(record.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false)) {
                    return Optional.of(record);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    private Path records() {
        return root.resolve("records");
    }

    /**
     * Records {@code instance} as Abandoned, with its run's last status: "the runner (pid N) " and {@code what}
     * became of it.
     */
    private void recordAbandoned(String instance, JsonNode run, String what) {
        ObjectNode abandoned = JSON.createObjectNode();
        abandoned.put("instanceId", instance);
        abandoned.put("runtimeStatus", "Abandoned");
        abandoned.put("message", "the runner (pid " + run.path("pid").asText() + ") " + what);
        abandoned.set("lastStatus", run.path("status"));
        writeJson(records().resolve(safe(instance) + ".json"), abandoned);
    }

    /** One run of the local stack: its folder and record. */
    static final class Run implements AutoCloseable {
        private final RunState state;
        private final Path folder;
        private final Lock lock;
        private final ObjectNode record = JSON.createObjectNode();

        private Run(RunState state, Path folder, Lock lock, String command) {
            this.state = state;
            this.folder = folder;
            this.lock = lock;
            record.put("pid", ProcessHandle.current().pid());
            record.put("command", command);
            record.putArray("processes");
        }

        Path folder() {
            return folder;
        }

        /** Records a process the run started (to be stopped if this runner is killed). */
        synchronized void process(ProcessHandle handle) {
            ObjectNode entry = ((ArrayNode) record.get("processes")).addObject();
            entry.put("pid", handle.pid());
            entry.put("start", handle.info().startInstant().map(Instant::toString).orElse(""));
            entry.put("what", handle.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?"));
            save();
        }

        synchronized void instance(String instanceId) {
            record.put("instanceId", instanceId);
            save();
        }

        /** The latest status of the run's instance. */
        synchronized void status(JsonNode status) {
            record.set("status", status);
            save();
        }

        /** The run's final status: kept as the instance's record. */
        synchronized void ended(JsonNode status) {
            record.set("status", status);
            record.put("ended", true);
            save();
            String instance = record.path("instanceId").asText("");
            if (!instance.isEmpty()) {
                writeJson(state.records().resolve(safe(instance) + ".json"), status);
            }
        }

        synchronized void save() {
            writeJson(folder.resolve("run.json"), record);
        }

        /**
         * The runner is done with this run, on its own (not killed): marks the run {@code finished}, so the next
         * sweep removes a kept folder quietly; an instance it started that did not end (the runner stopped following
         * it on an error) is recorded as abandoned, since its task hub goes with the folder. Then {@link #close}.
         */
        void finished(boolean keep, String reason) {
            synchronized (this) {
                String instance = record.path("instanceId").asText("");
                if (!instance.isEmpty() && !record.path("ended").asBoolean(false)) {
                    state.recordAbandoned(instance, record, "stopped following this run before it ended ("
                            + reason + "); its task hub is removed by the next run, so nothing of it runs any more");
                }
                record.put("finished", true);
                if (keep) {
                    save();
                }
            }
            close(keep);
        }

        /** Lets go of the run's folder; with {@code keep} false also removes it (its task hub and logs). */
        void close(boolean keep) {
            if (!keep) {
                deleteTree(folder);
            }
            lock.close();
        }

        @Override
        public void close() {
            close(false);
        }
    }

    /** An exclusive lock on a file, held by this JVM; the operating system releases it when the JVM dies. */
    static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        /** The lock, or null when another process holds it. */
        static Lock tryAcquire(Path file) {
            FileChannel channel = null;
            try {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    return null;
                }
                return new Lock(channel, lock);
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
                throw e;
            } catch (IOException e) {
                closeQuietly(channel);
                throw new UncheckedIOException("cannot lock " + file, e);
            }
        }

        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                // Released when the channel closes.
            }
            closeQuietly(channel);
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Nothing to do.
                }
            }
        }
    }

    private static JsonNode readRecord(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode(); // cut short by a kill: nothing to go on
        }
    }

    private static void writeJson(Path file, JsonNode value) {
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** An instance id as a file name (ids are letters, digits, '-' and ':'). */
    static String safe(String instanceId) {
        return instanceId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("site-backup: could not remove " + dir + ": " + e);
        }
    }
}
