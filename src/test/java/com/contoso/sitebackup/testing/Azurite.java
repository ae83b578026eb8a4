package com.contoso.sitebackup.testing;

import com.contoso.sitebackup.standin.stack.AzuriteProcess;
import com.contoso.sitebackup.standin.stack.MissingTool;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Azurite for tests: the stand-in's launcher ({@link AzuriteProcess}) with what only tests need. Tests share
 * one in-memory instance through {@link #shared()}; a test that stops and restarts storage uses its own
 * {@link #startOnDisk(Path)}. In the unit tier ({@code -Punit}) none may start; when Azurite is not installed a test is
 * skipped locally, but under CI ({@code CI=true}) it fails.
 */
public final class Azurite implements AutoCloseable {
    /** Azurite's well-known development account and key (public, documented by Microsoft; local use only). */
    public static final String ACCOUNT = AzuriteProcess.ACCOUNT;
    public static final String DEV_KEY = AzuriteProcess.DEV_KEY;

    /** The test tier Maven runs (pom.xml's {@code tests.tier}); in the unit tier no Azurite may start. */
    static final String TIER_PROPERTY = "sitebackup.tier";
    static final String UNIT_TIER = "unit";

    private static Azurite shared;

    private final AzuriteProcess process;

    private Azurite(AzuriteProcess process) {
        this.process = process;
    }

    /** A test's view of an Azurite started elsewhere (a stack's). */
    public static Azurite of(AzuriteProcess process) {
        return new Azurite(process);
    }

    /** The in-memory instance shared by every test in this JVM, started on first use. */
    public static synchronized Azurite shared() {
        if (shared == null) {
            Azurite azurite = startInMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(azurite::stop));
            shared = azurite;
        }
        return shared;
    }

    /** A new, empty in-memory instance of its own (benchmarks give each run a fresh one). */
    public static Azurite startInMemory() {
        return new Azurite(guarded(AzuriteProcess::startInMemory));
    }

    /**
     * A new, empty in-memory instance of its own that writes its debug log to {@code debugLog}: the benchmark counts
     * storage requests from it ({@code bench.AzuriteRequestLog}).
     */
    public static Azurite startInMemoryLogged(Path debugLog) {
        return new Azurite(guarded(() -> AzuriteProcess.startInMemoryLogged(debugLog)));
    }

    /**
     * A new, empty in-memory instance on {@code port}: for a process whose app settings were fixed before it
     * started (the packaged-app check reads its connection string from the environment failsafe sets).
     */
    public static Azurite startInMemory(int port) {
        return new Azurite(guarded(() -> AzuriteProcess.startInMemory(port)));
    }

    /** A new instance that persists to {@code location}, so it can be stopped and started again. */
    public static Azurite startOnDisk(Path location) {
        return new Azurite(guarded(() -> AzuriteProcess.startOnDisk(location)));
    }

    /**
     * Checks that this tier may start Azurite and that it is installed (skipping the test locally when it is not),
     * then runs {@code start}.
     */
    public static <T> T guarded(Supplier<T> start) {
        if (UNIT_TIER.equals(System.getProperty(TIER_PROPERTY))) {
            throw new IllegalStateException("the unit tier (mvn test -Punit) starts no Azurite: mark the test class"
                    + " @AzuriteTest, which tags it 'storage'");
        }
        try {
            return start.get();
        } catch (MissingTool missing) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(missing.getMessage() + " (CI=true: Azurite tests may not be skipped)",
                        missing);
            }
            Assumptions.abort(missing.getMessage());
            throw missing;
        }
    }

    public int port() {
        return process.port();
    }

    public String blobEndpoint() {
        return process.blobEndpoint();
    }

    public String connectionString() {
        return process.connectionString();
    }

    public BlobServiceClient client() {
        return new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
    }

    /** Starts the process again after {@link #stop()}, on the same port. */
    public void start() {
        guarded(() -> {
            process.start();
            return process;
        });
    }

    /** Stops the process; its port stays reserved for a later {@link #start()}. */
    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
