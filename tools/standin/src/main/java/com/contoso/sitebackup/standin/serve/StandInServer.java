package com.contoso.sitebackup.standin.serve;

import com.contoso.sitebackup.standin.stack.Project;
import com.contoso.sitebackup.standin.stack.StandIn;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code scripts/stand-in.sh} ({@code npm start} without Core Tools): the packaged app on the stand-in, serving the
 * README's HTTP calls on {@code http://localhost:7071} until Ctrl-C. App settings are local.settings.json's Values,
 * as with {@code func}; {@code UseDevelopmentStorage=true} gets an Azurite on port 10000 with its data in
 * {@code .azurite/}. Each start has a task hub of its own ({@code .tools/run/stand-in/}): nothing of an earlier
 * session runs again. The script holds {@code .tools/run/local.lock}, so a second start is refused before it
 * builds anything.
 */
public final class StandInServer {
    private StandInServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "7071"));
        Path project = Project.root();
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            new ObjectMapper().readTree(project.resolve("local.settings.json").toFile()).path("Values").fields()
                    .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read local.settings.json", e);
        }
        String storage = settings.remove("BackupStorage");
        Path folder = project.resolve(".tools/run/stand-in");
        deleteTree(folder);
        StandIn.Builder builder = StandIn.in(folder).settings(settings).httpPort(port);
        if (storage == null || storage.replace(" ", "").equalsIgnoreCase("UseDevelopmentStorage=true")) {
            builder.azuriteOnDisk(project.resolve(".azurite"), 10000);
        } else {
            builder.storage(storage);
        }
        StandIn stack = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stack.stop(Duration.ofSeconds(10)), "stand-in-stop"));
        System.err.println("stand-in: the Functions host and Java worker are played by the stand-in bridge (not func);"
                + " engine durabletask-go on " + stack.sidecar().address() + " (task hub "
                + stack.sidecar().database() + ")" + stack.azurite().map(a -> ", Azurite at " + a.blobEndpoint())
                .orElse(""));
        System.out.println("stand-in ready: http://localhost:" + port + " (POST /orchestrators/{functionName},"
                + " GET /runtime/webhooks/durabletask/instances/{id}); Ctrl-C stops it");
        new CountDownLatch(1).await();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
