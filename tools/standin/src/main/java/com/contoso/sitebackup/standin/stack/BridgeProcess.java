package com.contoso.sitebackup.standin.stack;

import com.contoso.sitebackup.standin.host.SidecarBridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SidecarBridge} in a JVM of its own, as the host runs the worker in a process of its own, with the
 * worker's JVM options ({@link WorkerJvm}: the Java worker's own, then the app setting JAVA_OPTS): the app's
 * settings are that process's environment (only those given, plus PATH, HOME, TMPDIR and LANG), and it can be
 * killed (SIGKILL) and started again. Its stderr goes to {@code bridge.log} and its metrics to
 * {@code metrics.jsonl} in its folder, both kept across restarts. Its standard input is a pipe from this JVM: the
 * bridge exits when it closes, so a bridge never outlives the JVM that started it, even one killed with SIGKILL.
 */
public final class BridgeProcess implements AutoCloseable {
    private final Path appDir;
    private final String sidecarAddress;
    private final Map<String, String> environment;
    private final Path directory;
    private int httpPort;
    private Process process;
    /** The first line of the process {@link #launch} started, read as soon as it comes. */
    private CompletableFuture<String> firstLine;

    private BridgeProcess(Path appDir, String sidecarAddress, Map<String, String> environment, Path directory) {
        this.appDir = appDir;
        this.sidecarAddress = sidecarAddress;
        this.environment = Map.copyOf(environment);
        this.directory = directory;
    }

    /**
     * Starts a bridge for the packaged app in {@code appDir} on the sidecar at {@code sidecarAddress}, with
     * {@code environment} as the app settings; its files go to {@code directory}.
     */
    public static BridgeProcess start(Path appDir, String sidecarAddress, Map<String, String> environment,
                                      Path directory) {
        return start(appDir, sidecarAddress, environment, directory, 0);
    }

    /** Like {@link #start(Path, String, Map, Path)}, its HTTP front on loopback port {@code httpPort} (0: a free one). */
    public static BridgeProcess start(Path appDir, String sidecarAddress, Map<String, String> environment,
                                      Path directory, int httpPort) {
        BridgeProcess bridge = launch(appDir, sidecarAddress, environment, directory, httpPort);
        bridge.awaitReady();
        return bridge;
    }

    /**
     * Like {@link #start(Path, String, Map, Path, int)} without waiting for the bridge to serve: {@link #awaitReady}
     * does, so a caller can start the sidecar meanwhile (the bridge retries its connection to it).
     */
    public static BridgeProcess launch(Path appDir, String sidecarAddress, Map<String, String> environment,
                                       Path directory, int httpPort) {
        BridgeProcess bridge = new BridgeProcess(appDir, sidecarAddress, environment, directory);
        bridge.httpPort = httpPort;
        bridge.launch();
        return bridge;
    }

    /** Starts the process (again, after {@link #kill()}), on the HTTP port it had before, and waits until it serves. */
    public synchronized void start() {
        launch();
        awaitReady();
    }

    /** Starts the process without waiting for it to serve. */
    private synchronized void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the bridge is running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>(Launch.java(SidecarBridge.class.getName(),
                WorkerJvm.options(environment).toArray(String[]::new)));
        command.addAll(List.of("--app", appDir.toString(), "--sidecar", sidecarAddress,
                "--http-port", Integer.toString(httpPort), "--metrics", metricsFile().toString(),
                "--exit-with-parent"));
        ProcessBuilder builder = new ProcessBuilder(Detached.command(command))
                .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
        // The app settings are exactly `environment`, as on the host: nothing of this JVM's own app settings
        // (failsafe sets some for the packaged-app check) leaks in.
        Map<String, String> inherited = Map.copyOf(builder.environment());
        builder.environment().clear();
        for (String name : List.of("PATH", "HOME", "TMPDIR", "LANG")) {
            if (inherited.containsKey(name)) {
                builder.environment().put(name, inherited.get(name));
            }
        }
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(directory);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the bridge JVM", e);
        }
        Process started = process;
        // A thread of its own: the read blocks until the bridge serves, and several bridges start at once.
        firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> {
            Thread reader = new Thread(task, "bridge-ready");
            reader.setDaemon(true);
            reader.start();
        });
    }

    /**
     * Waits until the process {@link #launch} started serves (60 s at most), and learns its HTTP port; kills it and
     * throws when it exits first or does not say it is ready in time.
     */
    public synchronized void awaitReady() {
        if (process == null || firstLine == null) {
            throw new IllegalStateException("the bridge is not started");
        }
        String line;
        try {
            line = firstLine.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            kill();
            throw new IllegalStateException("the bridge did not start within 60 s; see " + log(), e);
        }
        if (line == null || !line.startsWith("bridge ready: ")) {
            kill();
            throw new IllegalStateException("the bridge exited at start (" + line + "); see " + log());
        }
        httpPort = URI.create(line.substring("bridge ready: ".length()).strip()).getPort();
    }

    /** Kills the JVM at once (SIGKILL): no shutdown hook runs, work items in flight are lost. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Stops the JVM as a service manager does (SIGTERM, SIGKILL after 30 s). */
    public synchronized void stop() {
        stop(java.time.Duration.ofSeconds(30));
    }

    /** Stops the JVM with SIGTERM, then SIGKILL once {@code grace} has passed. */
    public synchronized void stop(java.time.Duration grace) {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** The running process, if any. */
    public synchronized java.util.Optional<ProcessHandle> handle() {
        return process == null ? java.util.Optional.empty() : java.util.Optional.of(process.toHandle());
    }

    /** {@code http://127.0.0.1:<port>}: the host's HTTP front. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public Path metricsFile() {
        return directory.resolve("metrics.jsonl");
    }

    public Path log() {
        return directory.resolve("bridge.log");
    }

    @Override
    public void close() {
        stop();
    }
}
