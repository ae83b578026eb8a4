package com.contoso.sitebackup.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.engine.Sidecar;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner as a user runs it: its own JVM, in the caller's directory, on the packaged app (failsafe's
 * {@code functionAppDir}), with the allowed roots from its environment; exit codes, output, problem files, and
 * every process it started gone after Ctrl-C.
 */
@EndToEndTest
class SiteBackupRunnerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private Path root;

    /** One finished runner: exit code, stdout and stderr. */
    record Run(int exit, String out, String err) {
        JsonNode status() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(work.resolve("root"));
    }

    @Test
    void backupRestoreVerify_treeUnderRoots_exitZeroAndEveryByteRestored() throws Exception {
        Path site = Files.createDirectories(root.resolve("site/sous dossier"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Path file = (i % 2 == 0 ? site : site.getParent()).resolve("fichier-é-" + i + ".txt");
            Files.write(file, ("contenu " + i).repeat(i).getBytes(StandardCharsets.UTF_8));
            files.add(root.resolve("site").relativize(file));
        }

        Run backup = run(root, "backup", "--root-directory", "site", "--blob-prefix", "p");
        assertEquals(0, backup.exit(), backup.err());
        assertEquals("COMPLETED", backup.status().at("/customStatus/phase").asText());
        assertEquals(30, backup.status().at("/customStatus/filesDone").asLong());
        assertTrue(backup.err().contains("files/s"), "progress with a rate on stderr: " + backup.err());

        Run restore = run(root, "restore", "--blob-prefix", "p", "--target-directory", "restored");
        assertEquals(0, restore.exit(), restore.err());
        for (Path file : files) {
            assertArrayEquals(Files.readAllBytes(root.resolve("site").resolve(file)),
                    Files.readAllBytes(root.resolve("restored").resolve(file)), file.toString());
        }

        Run verify = run(root, "verify", "--root-directory", "restored", "--blob-prefix", "p", "--compare-content");
        assertEquals(0, verify.exit(), verify.err());

        // Issue 26: the stored data alone, without the source: every version read, none damaged.
        Run readData = run(root, "verify", "--read-data", "--blob-prefix", "p");
        assertEquals(0, readData.exit(), readData.err());
        assertEquals(30, readData.status().at("/output/dataChecked").asLong(), readData.status().toString());
        assertEquals(0, readData.status().at("/output/dataDamagedCount").asLong());
    }

    @Test
    void main_unknownOption_exitsTwoAndStartsNothing() throws Exception {
        Run run = run(root, "backup", "--root-directory", "site", "--no-such-option");

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--no-such-option"), run.err());
        assertFalse(Files.exists(work.resolve("state/sidecar")), "nothing may start for a bad command line");
    }

    @Test
    void backup_linkToADirectoryOutsideTheRoots_exitsOneAndIsRefusedByTheApp() throws Exception {
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));

        Run run = run(root, "backup", "--root-directory", "etc");

        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("HTTP 400") && run.err().contains("is not a directory this app may read"), run.err());
    }

    @Test
    void backup_socketInTheTree_exitsOneAndWritesEveryProblemToTheFileItNames() throws Exception {
        Path site = Files.createDirectories(root.resolve("site"));
        Files.writeString(site.resolve("a.txt"), "a");
        // Links, named pipes and devices are recorded now (issue 26); a socket is not: a problem.
        try (java.nio.channels.ServerSocketChannel socket = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(site.resolve("passwd")));

            Run run = run(root, "backup", "--root-directory", "site", "--problems", "problems.jsonl");

            assertEquals(1, run.exit(), run.err());
            assertEquals("COMPLETED_WITH_PROBLEMS", run.status().at("/customStatus/phase").asText());
            assertTrue(run.err().contains(root.resolve("problems.jsonl").toString()), run.err());
            JsonNode problem = JSON.readTree(Files.readString(root.resolve("problems.jsonl")).strip());
            assertEquals("passwd", problem.get("path").asText());
        }
    }

    /**
     * An endpoint that accepts connections and never answers: the runner gives up on its own clock (its probe's
     * time limit, well within the 30 s the README promises) and names the endpoint. The test asserts that the
     * runner's limit fired, not how long the run took; {@link #run} gives up on a runner that never ends.
     */
    @Test
    void backup_endpointThatNeverAnswers_failsOnTheRunnersTimeLimitNamingTheEndpoint() throws Exception {
        Files.createDirectories(root.resolve("site"));
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Connections complete in the backlog and are never read from or answered.
            String nowhere = "http://127.0.0.1:" + silent.getLocalPort() + "/devstoreaccount1";

            Run run = run(root, "backup", "--root-directory", "site", "--connection-string",
                    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=" + nowhere);

            assertEquals(1, run.exit(), run.err());
            assertTrue(run.err().contains("the backup storage endpoint " + nowhere + " cannot be reached"), run.err());
            assertTrue(run.err().contains("timed out"), "the runner's own time limit ended the wait: " + run.err());
        }
    }

    @Test
    void backup_interruptedWithSigint_stopsEveryProcessItStarted() throws Exception {
        Path site = Files.createDirectories(root.resolve("site"));
        for (int i = 0; i < 3_000; i++) {
            Files.writeString(site.resolve("f" + i), "x".repeat(i % 100));
        }
        Process runner = start(root, "backup", "--root-directory", "site");
        Path err = work.resolve("runner.err");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(err).contains("started BackupSiteContent")) {
            assertTrue(runner.isAlive() && System.nanoTime() < deadline, "the backup did not start: "
                    + Files.readString(err));
            Thread.sleep(200);
        }
        List<ProcessHandle> children = runner.descendants().toList();
        assertTrue(children.size() >= 3, "Azurite, the sidecar and the bridge: " + children.size());

        new ProcessBuilder("kill", "-INT", Long.toString(runner.pid())).start().waitFor();

        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner did not exit after SIGINT");
        assertEquals(130, runner.exitValue(), Files.readString(err));
        // Each child's exit is waited for (a minute at most), not slept for.
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                break; // named below
            }
        }
        List<ProcessHandle> left = children.stream().filter(ProcessHandle::isAlive).toList();
        // A failing run must not leave them behind for the next test either.
        left.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), left.stream().map(p -> p.info().command().orElse("?")).toList(), "left running");
    }

    private Run run(Path directory, String... args) throws Exception {
        Process process = start(directory, args);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the runner did not end: " + Files.readString(work.resolve("runner.err")));
        }
        return new Run(process.exitValue(), Files.readString(work.resolve("runner.out")),
                Files.readString(work.resolve("runner.err")));
    }

    private Process start(Path directory, String... args) throws IOException {
        String appDir = System.getProperty("functionAppDir");
        assertNotNull(appDir, "system property functionAppDir is not set (run through `mvn verify`)");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsitebackup.project=" + Sidecar.projectRoot(), "-Dsitebackup.app=" + appDir,
                "-Dsitebackup.state=" + work.resolve("state"),
                "-cp", System.getProperty("java.class.path"), SiteBackupRunner.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(work.resolve("runner.out").toFile()).redirectError(work.resolve("runner.err").toFile());
        // Only what a user's shell would give, and the roots: failsafe's own app settings must not leak in.
        String path = System.getenv("PATH");
        String azurite = System.getenv("AZURITE_HOME");
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().put("AZURITE_HOME", azurite);
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().put("BackupStorage", "UseDevelopmentStorage=true");
        builder.environment().put("BACKUP_READ_ROOTS", root.toString());
        builder.environment().put("BACKUP_WRITE_ROOTS", root.toString());
        return builder.start();
    }
}
