package com.contoso.sitebackup.standin.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Durable Task engine of the stand-in: the pinned durabletask-go sidecar ({@code scripts/sidecar.sh} builds it
 * once into {@code .tools/bin}) on a loopback port with a SQLite task hub of its own ({@code DIR/hub.sqlite}). It
 * can be stopped, killed and started again on the same port and the same task hub.
 *
 * <p>When Go is missing (the binary cannot be built) {@link #install} throws {@link MissingTool}: the runner says
 * what to install, a test decides whether to skip.
 */
public final class SidecarProcess implements AutoCloseable {
    private final Path binary;
    private final Path directory;
    private final List<String> flags;
    private int port;
    private Process process;

    private SidecarProcess(Path binary, Path directory, List<String> flags) {
        this.binary = binary;
        this.directory = directory;
        this.flags = List.copyOf(flags);
    }

    /**
     * Starts a sidecar whose task hub is {@code directory/hub.sqlite} on a free loopback port; {@code flags} are
     * passed on (for example {@code --lock-timeout 10s}).
     */
    public static SidecarProcess start(Path directory, String... flags) {
        return start(directory, 0, flags);
    }

    /**
     * Like {@link #start(Path, String...)} on loopback port {@code port} (0: a free one), for a caller that had to
     * name the address before the sidecar started (the bridges it launched meanwhile).
     */
    public static SidecarProcess start(Path directory, int port, String... flags) {
        SidecarProcess sidecar = new SidecarProcess(install(), directory, List.of(flags));
        sidecar.port = port;
        sidecar.start();
        return sidecar;
    }

    /** Builds the sidecar unless it is current (through the project's script) and answers its path. */
    public static Path install() {
        Path script = Project.root().resolve("scripts").resolve("sidecar.sh");
        Process install;
        try {
            install = new ProcessBuilder("bash", script.toString(), "install").start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        }
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(install.getErrorStream()));
        String out = read(install.getInputStream()).strip();
        try {
            int exit = install.waitFor();
            if (exit != 0) {
                String message = script + " install failed (exit " + exit + "): " + errors.get().strip();
                if (message.contains("Go is not installed")) {
                    throw new MissingTool(message);
                }
                throw new IllegalStateException(message);
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return Path.of(out.lines().reduce((a, b) -> b).orElseThrow(
                () -> new IllegalStateException(script + " install printed no path")));
    }

    /** Starts the process (again, after {@link #stop()} or {@link #kill()}), on the port it had before. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the sidecar is running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--db", database().toString()));
        command.addAll(flags);
        try {
            Files.createDirectories(directory);
            process = new ProcessBuilder(Detached.command(command))
                    .redirectError(ProcessBuilder.Redirect.appendTo(directory.resolve("sidecar.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        Process started = process;
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(),
                        StandardCharsets.UTF_8));
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = firstLine.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            kill();
            throw new IllegalStateException("the sidecar did not say where it listens within 30 s; see "
                    + directory.resolve("sidecar.log"), e);
        }
        if (line == null || !line.startsWith("listening on ")) {
            kill();
            throw new IllegalStateException("the sidecar exited at start (" + line + "); see "
                    + directory.resolve("sidecar.log"));
        }
        port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip());
    }

    /** Stops the process the way a service manager does (SIGTERM, then SIGKILL after 10 s). */
    public synchronized void stop() {
        stop(Duration.ofSeconds(10));
    }

    /** Stops the process with SIGTERM, then SIGKILL once {@code grace} has passed. */
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
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

    /** Kills the process at once (SIGKILL): no shutdown, as in a crash. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The running process, if any (for the record of a run's processes). */
    public synchronized Optional<ProcessHandle> handle() {
        return process == null ? Optional.empty() : Optional.of(process.toHandle());
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, for a gRPC channel. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The SQLite file that holds the task hub. */
    public Path database() {
        return directory.resolve("hub.sqlite");
    }

    /** The sidecar's log (stderr of every start). */
    public Path log() {
        return directory.resolve("sidecar.log");
    }

    @Override
    public void close() {
        stop();
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
