package com.contoso.sitebackup.testing;

import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.DurableTaskGrpcClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Durable Task engine for tests: the durabletask-go sidecar, started on a free loopback port with a
 * SQLite task hub in {@code directory}, which the SDK's gRPC client and worker talk to as they talk to the
 * Durable extension's local endpoint. The binary is {@code $DURABLETASK_GO}, else
 * {@code /tmp/gotools/bin/durabletask-go} (built by the engine work; the project's own install script and
 * {@code Sidecar} helper replace this one when they land). Missing, the test is skipped locally and fails
 * under CI ({@code CI=true}).
 */
public final class DurableEngine implements AutoCloseable {
    private static final Path DEFAULT_BINARY = Path.of("/tmp/gotools/bin/durabletask-go");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;

    private DurableEngine(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts an engine whose task hub and log are in {@code directory}; returns once it accepts connections. */
    public static DurableEngine start(Path directory) {
        String configured = System.getenv("DURABLETASK_GO");
        Path binary = configured == null || configured.isBlank() ? DEFAULT_BINARY : Path.of(configured);
        if (!Files.isExecutable(binary)) {
            String message = "no durabletask-go sidecar at " + binary + " (set DURABLETASK_GO)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; CI=true: engine tests may not be skipped");
            }
            Assumptions.abort(message);
        }
        try {
            Files.createDirectories(directory);
            int port = freePort();
            Path log = directory.resolve("sidecar.log");
            Process process = new ProcessBuilder(binary.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--db", directory.resolve("hub.sqlite").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            DurableEngine engine = new DurableEngine(process, port, log);
            engine.awaitListening();
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the sidecar exited at start: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("the sidecar did not listen on port " + port + " within " + START_TIMEOUT);
    }

    /** The loopback port the engine listens on, for {@code DurableTaskGrpcClientBuilder().port(...)}. */
    public int port() {
        return port;
    }

    /** A new client of this engine; close it. */
    public DurableTaskClient client() {
        return new DurableTaskGrpcClientBuilder().port(port).build();
    }

    /**
     * A {@code DurableClientContext} as the Functions host binds it for {@code @DurableClientInput} (JSON read
     * with Gson, as the Java worker reads it): its client talks to this engine.
     */
    public com.microsoft.durabletask.azurefunctions.DurableClientContext clientContext() {
        String json = "{\"rpcBaseUrl\": \"http://127.0.0.1:" + port + "/\", \"taskHubName\": \"SiteBackupHub\","
                + " \"requiredQueryStringParameters\": \"code=test-system-key\"}";
        return new com.google.gson.Gson().fromJson(json, com.microsoft.durabletask.azurefunctions.DurableClientContext.class);
    }

    /** Stops the engine (this process only) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
