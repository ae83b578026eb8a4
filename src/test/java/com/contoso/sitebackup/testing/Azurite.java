package com.contoso.sitebackup.testing;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Azurite blob service on a free loopback port, started from the project's pinned npm package
 * (node_modules, installed by `npm ci` or by the Maven build). Tests share one in-memory instance through
 * {@link #shared()}; a test that stops and restarts storage uses its own {@link #startOnDisk(Path)}.
 *
 * <p>When Azurite is not installed a test is skipped locally, but under CI ({@code CI=true}) it fails.
 */
public final class Azurite implements AutoCloseable {
    /** Azurite's well-known development account and key (public, documented by Microsoft; local use only). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /** The test tier Maven runs (pom.xml's {@code tests.tier}); in the unit tier no Azurite may start. */
    static final String TIER_PROPERTY = "sitebackup.tier";
    static final String UNIT_TIER = "unit";

    private static Azurite shared;

    private final int port;
    private final Path location;
    /** Azurite's debug log ({@code --debug}), or null: every request with its container and operation. */
    private final Path debugLog;
    private Process process;

    private Azurite(int port, Path location) {
        this(port, location, null);
    }

    private Azurite(int port, Path location, Path debugLog) {
        this.port = port;
        this.location = location;
        this.debugLog = debugLog;
    }

    /** The in-memory instance shared by every test in this JVM, started on first use. */
    public static synchronized Azurite shared() {
        if (shared == null) {
            Azurite azurite = new Azurite(freePort(), null);
            azurite.start();
            Runtime.getRuntime().addShutdownHook(new Thread(azurite::stop));
            shared = azurite;
        }
        return shared;
    }

    /** A new, empty in-memory instance of its own (benchmarks give each run a fresh one). */
    public static Azurite startInMemory() {
        Azurite azurite = new Azurite(freePort(), null);
        azurite.start();
        return azurite;
    }

    /**
     * A new, empty in-memory instance of its own that writes its debug log to {@code debugLog}: the benchmark counts
     * storage requests from it ({@code bench.AzuriteRequestLog}).
     */
    public static Azurite startInMemoryLogged(Path debugLog) {
        Azurite azurite = new Azurite(freePort(), null, debugLog.toAbsolutePath());
        azurite.start();
        return azurite;
    }

    /**
     * A new, empty in-memory instance on {@code port}: for a process whose app settings were fixed before it
     * started (the packaged-app check reads its connection string from the environment failsafe sets).
     */
    public static Azurite startInMemory(int port) {
        Azurite azurite = new Azurite(port, null);
        azurite.start();
        return azurite;
    }

    /** A new instance that persists to {@code location}, so it can be stopped and started again. */
    public static Azurite startOnDisk(Path location) {
        Azurite azurite = new Azurite(freePort(), location);
        azurite.start();
        return azurite;
    }

    public int port() {
        return port;
    }

    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + DEV_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    public BlobServiceClient client() {
        return new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
    }

    /** Starts the process (again, after {@link #stop()}) and waits until it accepts connections. */
    public synchronized void start() {
        if (UNIT_TIER.equals(System.getProperty(TIER_PROPERTY))) {
            throw new IllegalStateException("the unit tier (mvn test -Punit) starts no Azurite: mark the test class"
                    + " @AzuriteTest, which tags it 'storage'");
        }
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
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Azurite at " + executable, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with code " + process.exitValue());
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

    /** Stops the process; its port stays reserved for a later {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
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
    }

    @Override
    public void close() {
        stop();
    }

    private static Path executable() {
        String home = System.getenv("AZURITE_HOME");
        Path bin = (home == null ? Path.of("node_modules", "azurite") : Path.of(home))
                .resolveSibling(".bin").resolve("azurite-blob").toAbsolutePath();
        if (!Files.isExecutable(bin)) {
            String message = "Azurite is not installed at " + bin + ": run `npm ci` in the project root";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + " (CI=true: Azurite tests may not be skipped)");
            }
            Assumptions.abort(message);
        }
        return bin;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
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
