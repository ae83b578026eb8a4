package com.contoso.sitebackup.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * The Durable Task engine for tests: the pinned durabletask-go sidecar ({@code scripts/sidecar.sh} builds it
 * once into {@code .tools/bin}) on a loopback port with a SQLite task hub of its own. It can be stopped,
 * killed and started again on the same port and the same task hub.
 *
 * <p>When Go is missing the test is skipped locally; under CI ({@code CI=true}) it fails.
 */
public final class Sidecar implements AutoCloseable {
    private final Path binary;
    private final Path directory;
    private final List<String> flags;
    private int port;
    private Process process;

    private Sidecar(Path binary, Path directory, List<String> flags) {
        this.binary = binary;
        this.directory = directory;
        this.flags = List.copyOf(flags);
    }

    /**
     * Starts a sidecar whose task hub is {@code directory/hub.sqlite} on a free loopback port; {@code flags} are
     * passed on (for example {@code --lock-timeout 10s}).
     */
    public static Sidecar start(Path directory, String... flags) {
        Sidecar sidecar = new Sidecar(install(), directory, List.of(flags));
        sidecar.start();
        return sidecar;
    }

    /** Builds the sidecar unless it is current (through the project's script) and answers its path. */
    public static Path install() {
        Path script = projectRoot().resolve("scripts").resolve("sidecar.sh");
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
                if (!"true".equalsIgnoreCase(System.getenv("CI")) && message.contains("Go is not installed")) {
                    Assumptions.abort(message);
                }
                throw new IllegalStateException(message + ("true".equalsIgnoreCase(System.getenv("CI"))
                        ? " (CI=true: sidecar tests may not be skipped)" : ""));
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return Path.of(out.lines().reduce((a, b) -> b).orElseThrow(
                () -> new IllegalStateException(script + " install printed no path")));
    }

    /** The project folder (Maven runs tests there, or {@code -Dsitebackup.project}); holds scripts/ and tools/. */
    public static Path projectRoot() {
        // The local runner runs in the caller's directory and names the project with this property.
        String named = System.getProperty("sitebackup.project");
        if (named != null) {
            return Path.of(named).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts").resolve("sidecar.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no scripts/sidecar.sh in " + dir + " or above: run from the project");
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
            process = new ProcessBuilder(command)
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
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
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
