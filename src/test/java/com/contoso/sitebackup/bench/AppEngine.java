package com.contoso.sitebackup.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What runs this app's orchestrations in the benchmark: the in-process harness ({@link HarnessEngine}, the SDK's
 * replay engine with the real activities, tool {@code app}) and the real engine ({@link SidecarEngine}, the packaged
 * app on the durabletask-go sidecar, tool {@code app-sidecar}). Each class implementing this interface with a public
 * no-argument constructor, listed in {@code src/test/resources/META-INF/services/} under this interface's name, is
 * found by {@link ServiceLoader} and measured as a tool of its own in every table of {@link Benchmark}, beside
 * rclone. {@code BENCH_ENGINES} (names, comma-separated) limits the engines measured.
 */
public interface AppEngine {
    /** The engine's short name: {@code harness} is measured as tool {@code app}, any other as {@code app-<name>}. */
    String name();

    /**
     * Runs {@code orchestrator} of this app with {@code input} until it ends, its activities using the storage
     * account {@code connectionString} names and {@code allowedRoot} as read and write root.
     */
    Outcome run(String orchestrator, Object input, String connectionString, Path allowedRoot);

    /** How a run ended: runtime status ({@code Completed}...), output and custom status as JSON. */
    record Outcome(String runtimeStatus, String output, String customStatus) {
    }

    /** The engines found on the class path, limited to {@code BENCH_ENGINES} when it is set. */
    static List<AppEngine> available() {
        String wanted = System.getenv("BENCH_ENGINES");
        Set<String> names = wanted == null || wanted.isBlank() ? null
                : Set.of(wanted.split(",")).stream().map(String::trim).collect(Collectors.toSet());
        return ServiceLoader.load(AppEngine.class).stream().map(ServiceLoader.Provider::get)
                .filter(engine -> names == null || names.contains(engine.name())).toList();
    }

    /** The engine named {@code name}. */
    static AppEngine named(String name) {
        return ServiceLoader.load(AppEngine.class).stream().map(ServiceLoader.Provider::get)
                .filter(engine -> engine.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no AppEngine named '" + name + "' on the class path"));
    }

    /** The tool name this engine's runs have in the tables. */
    default String tool() {
        return name().equals("harness") ? "app" : "app-" + name();
    }
}
