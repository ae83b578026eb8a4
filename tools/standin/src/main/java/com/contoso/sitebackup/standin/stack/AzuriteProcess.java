package com.contoso.sitebackup.standin.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Azurite blob service on a loopback port, started from the project's pinned npm package
 * ({@code node_modules/azurite}, installed by {@code npm ci}; {@code AZURITE_HOME} names another), in memory or
 * persisting to a folder. When it is not installed {@link #start} throws {@link MissingTool}.
 */
public final class AzuriteProcess implements AutoCloseable {
    /** Azurite's well-known development account and key (public, documented by Microsoft; local use only). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final int port;
    private final Path location;
    /** Azurite's debug log ({@code --debug}), or null: every request with its container and operation. */
    private final Path debugLog;
    private Process process;

    private AzuriteProcess(int port, Path location) {
        this(port, location, null);
    }

    private AzuriteProcess(int port, Path location, Path debugLog) {
        this.port = port;
        this.location = location;
        this.debugLog = debugLog;
    }

    /**
     * A new, empty in-memory instance on a free port that writes its debug log to {@code debugLog}: the benchmark
     * counts storage requests from it.
     */
    public static AzuriteProcess startInMemoryLogged(Path debugLog) {
        AzuriteProcess azurite = new AzuriteProcess(freePort(), null, debugLog.toAbsolutePath());
        azurite.start();
        return azurite;
    }

    /** A new, empty in-memory instance on a free port. */
    public static AzuriteProcess startInMemory() {
        return startInMemory(freePort());
    }

    /** A new, empty in-memory instance on {@code port} (a process whose settings were fixed before it started). */
    public static AzuriteProcess startInMemory(int port) {
        AzuriteProcess azurite = new AzuriteProcess(port, null);
        azurite.start();
        return azurite;
    }

    /** A new instance on a free port that persists to {@code location}, so it can be stopped and started again. */
    public static AzuriteProcess startOnDisk(Path location) {
        return startOnDisk(location, freePort());
    }

    /** A new instance on {@code port} that persists to {@code location}. */
    public static AzuriteProcess startOnDisk(Path location, int port) {
        AzuriteProcess azurite = new AzuriteProcess(port, location);
        azurite.start();
        return azurite;
    }

    /** An instance that is not started yet (the caller decides when). */
    public static AzuriteProcess inMemory(int port) {
        return new AzuriteProcess(port, null);
    }

    /** An instance on {@code port} persisting to {@code location}, not started yet (the caller decides when). */
    public static AzuriteProcess onDisk(Path location, int port) {
        return new AzuriteProcess(port, location);
    }

    public int port() {
        return port;
    }

    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public String connectionString() {
        return connectionString(blobEndpoint());
    }

    /** The development account's connection string for a blob endpoint (Azurite's, or a proxy's in front of it). */
    public static String connectionString(String blobEndpoint) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + DEV_KEY
                + ";BlobEndpoint=" + blobEndpoint + ";";
    }

    /** The running process, if any. */
    public synchronized Optional<ProcessHandle> handle() {
        return process == null ? Optional.empty() : Optional.of(process.toHandle());
    }

    /** Starts the process (again, after {@link #stop()}) and waits until it accepts connections (30 s at most). */
    public synchronized void start() {
        launch();
        awaitListening();
    }

    /**
     * Starts the process (again, after {@link #stop()}) without waiting for it: {@link #awaitListening} does, so a
     * caller can start other processes during the second Node takes to start Azurite.
     */
    public synchronized void launch() {
        Path executable = executable();
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--loose"));
        if (location == null) {
            command.add("--inMemoryPersistence");
        } else {
            command.addAll(List.of("--location", location.toString()));
        }
        if (debugLog != null) {
            command.addAll(List.of("--debug", debugLog.toString()));
        }
        try {
            if (location != null) {
                Files.createDirectories(location);
            }
            process = new ProcessBuilder(Detached.command(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Azurite at " + executable, e);
        }
    }

    /**
     * Waits until the process {@link #launch} started accepts connections (30 s at most): throws when it exits first,
     * and stops it and throws when it does not listen by then.
     */
    public synchronized void awaitListening() {
        if (process == null) {
            throw new IllegalStateException("Azurite is not started");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with code " + process.exitValue()
                        + (port == 10000 ? " (is another Azurite using port 10000?)" : ""));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        stop();
        throw new IllegalStateException("Azurite did not listen on port " + port + " within 30 s");
    }

    /** Stops the process (SIGTERM, SIGKILL after 10 s); its port stays reserved for a later {@link #start()}. */
    public synchronized void stop() {
        stop(Duration.ofSeconds(10));
    }

    /** Stops the process with SIGTERM, then SIGKILL once {@code grace} has passed. */
    public synchronized void stop(Duration grace) {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The azurite-blob command of the project's npm package; {@link MissingTool} when it is not installed. */
    public static Path executable() {
        String home = System.getenv("AZURITE_HOME");
        Path module = home == null || home.isBlank() ? Project.root().resolve("node_modules").resolve("azurite")
                : Path.of(home);
        Path bin = module.resolveSibling(".bin").resolve("azurite-blob").toAbsolutePath();
        if (!Files.isExecutable(bin)) {
            throw new MissingTool("Azurite is not installed at " + bin + ": run `npm ci` in the project root");
        }
        return bin;
    }

    /** A free loopback port. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
