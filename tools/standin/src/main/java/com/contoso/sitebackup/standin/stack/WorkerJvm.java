package com.contoso.sitebackup.standin.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the Functions host starts the Java worker's JVM, which the bridge stands in for: the worker's own JVM arguments
 * (those of azure-functions-java-worker's {@code worker.config.json}: C1 compiler only, IPv4; its {@code -noverify}
 * is left out, Java 17 ignores it with a warning), then the app setting {@value #JAVA_OPTS} split at white space, as
 * the host expands {@code %JAVA_OPTS%}. So a bridge, and the benchmark's worker JVM in process, run with the flags
 * and the heap a deployed worker gets from the same app setting (local.settings.json for {@code func start}, the
 * app settings in infra/app/function.bicep on Azure).
 */
public final class WorkerJvm {
    /** The app setting the host appends to the worker's JVM arguments. */
    public static final String JAVA_OPTS = "JAVA_OPTS";
    /** The Java worker's own JVM arguments (its worker.config.json), before {@value #JAVA_OPTS}. */
    public static final List<String> WORKER_ARGUMENTS = List.of(
            "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true");

    private WorkerJvm() {
    }

    /** The JVM options of a worker with {@code appSettings}: the worker's own, then {@value #JAVA_OPTS}'s. */
    public static List<String> options(Map<String, String> appSettings) {
        List<String> options = new ArrayList<>(WORKER_ARGUMENTS);
        String extra = appSettings.get(JAVA_OPTS);
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.strip().split("\\s+")));
        }
        return List.copyOf(options);
    }

    /** {@value #JAVA_OPTS} as the project ships it (local.settings.json's Values), or null when it sets none. */
    public static String shippedJavaOpts() {
        try {
            JsonNode value = new ObjectMapper().readTree(Project.root().resolve("local.settings.json").toFile())
                    .path("Values").path(JAVA_OPTS);
            return value.isTextual() ? value.asText() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read local.settings.json", e);
        }
    }
}
