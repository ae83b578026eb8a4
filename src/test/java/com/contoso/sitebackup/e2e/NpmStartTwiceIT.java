package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.standin.stack.Project;
import com.contoso.sitebackup.testing.EndToEndTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: {@code npm start} while the app it started earlier still runs from this folder is refused at once, saying
 * so: it neither rebuilds {@code target/} under the running app nor starts a second engine (nor hangs on a port in
 * use). The first start is the real stand-in ({@code scripts/stand-in.sh}, what {@code npm start} runs without Core
 * Tools), serving on a port of the test's; the second is {@code npm start} itself.
 */
@EndToEndTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NpmStartTwiceIT {
    @TempDir
    Path work;

    @Test
    void npmStart_whileTheStandInRuns_refusedBuildingAndStartingNothing() throws Exception {
        Path project = Project.root();
        Path appJar;
        try (Stream<Path> jars = Files.list(project.resolve("target/azure-functions/site-backup-func"))) {
            appJar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        int port = freePort();
        Process first = start(project, List.of(project.resolve("scripts/stand-in.sh").toString()), port, "first");
        try {
            awaitReady(first);
            FileTime built = Files.getLastModifiedTime(appJar);
            List<ProcessHandle> running = first.descendants().toList();

            Process second = start(project, List.of("npm", "start"), freePort(), "second");
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second npm start did not end: "
                    + Files.readString(work.resolve("second.err")));
            String err = Files.readString(work.resolve("second.err"));
            System.out.println("[e2e] npm start while the stand-in runs: exit " + second.exitValue() + ": "
                    + err.strip().lines().reduce((a, b) -> b).orElse(""));

            assertEquals(1, second.exitValue(), err);
            assertTrue(err.contains("already running from this folder") && err.contains("Nothing was built or started"),
                    err);
            assertFalse(err.contains("building"), "nothing was built: " + err);
            assertEquals(built, Files.getLastModifiedTime(appJar), "target/ was rebuilt under the running app");
            assertEquals(running.stream().map(ProcessHandle::pid).toList(),
                    first.descendants().map(ProcessHandle::pid).toList(), "the running app's processes, unchanged");
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/runtime/webhooks/durabletask/instances/none"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, status.statusCode(), "the first app still answers: " + status.body());
        } finally {
            List<ProcessHandle> children = first.descendants().toList();
            // SIGTERM, which the stand-in's shutdown hook handles like Ctrl-C (SIGINT may have been passed on ignored).
            new ProcessBuilder("kill", "-TERM", Long.toString(first.pid())).start().waitFor();
            if (!first.waitFor(60, TimeUnit.SECONDS)) {
                first.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.onExit().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitReady(Process first) throws Exception {
        Path out = work.resolve("first.out");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.readString(out).contains("stand-in ready")) {
            assertTrue(first.isAlive() && System.nanoTime() < deadline, "the stand-in did not start: "
                    + Files.readString(work.resolve("first.err")));
            Thread.sleep(250);
        }
    }

    /** Starts {@code command} in the project with a user's environment; output to {@code work/<name>.out|err}. */
    private Process start(Path project, List<String> command, int httpPort, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectOutput(work.resolve(name + ".out").toFile()).redirectError(work.resolve(name + ".err").toFile());
        Map<String, String> inherited = Map.copyOf(builder.environment());
        builder.environment().clear();
        for (String variable : List.of("PATH", "HOME", "JAVA_HOME")) {
            if (inherited.containsKey(variable)) {
                builder.environment().put(variable, inherited.get(variable));
            }
        }
        builder.environment().put("SITE_BACKUP_NO_BUILD", "1");
        builder.environment().put("HTTP_PORT", Integer.toString(httpPort));
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
