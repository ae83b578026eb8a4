package com.contoso.sitebackup.standin.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.e2e.TreeCheck;
import com.contoso.sitebackup.standin.stack.Project;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner as a user runs it: {@code scripts/site-backup} (the jar of tools/standin, never the test classes),
 * in the caller's directory, on the packaged app, with the allowed roots from its environment and a state folder of
 * the test's. {@code SITE_BACKUP_NO_BUILD} makes the script fail rather than build: it runs what this build made.
 */
@EndToEndTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SiteBackupRunnerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private Path root;
    private Path state;
    /** Every command this test ran to its end, in order. */
    private final List<Run> finished = new ArrayList<>();

    /** One finished runner: exit code, stdout and stderr. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(work.resolve("root"));
        state = work.resolve("state");
    }

    @Test
    void help_andVersion_printWithoutBuildingOrStartingAnything() throws Exception {
        Run help = run(root, "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("Usage: site-backup"), help.out());
        for (String command : List.of("backup", "restore", "verify", "snapshots", "retention", "status")) {
            Run commandHelp = run(root, command, "--help");
            assertEquals(0, commandHelp.exit());
            assertTrue(commandHelp.out().startsWith("Usage: site-backup " + command), commandHelp.out());
        }
        assertEquals(run(root, "restore", "--help").out(), run(root, "help", "restore").out());
        Run version = run(root, "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().matches("site-backup \\S+\\n"), version.out());
        assertFalse(Files.exists(state), "nothing may start for help");

        Run none = run(root);
        assertEquals(2, none.exit(), "no command is a command line not understood");
        assertTrue(none.err().contains("a command is required"), none.err());
    }

    @Test
    void roundTrip_treeWithLinksAndModes_backupSnapshotsRestoreAsOfVerifyRetentionExactly() throws Exception {
        Path site = Files.createDirectories(root.resolve("site/sous dossier"));
        for (int i = 0; i < 30; i++) {
            Path file = (i % 2 == 0 ? site : site.getParent()).resolve("fichier-é-" + i + ".txt");
            Files.write(file, ("contenu " + i).repeat(i).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(i % 3 == 0 ? "rwx------"
                    : i % 3 == 1 ? "rw-r-----" : "r--r--r--"));
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T03:04:05.678Z").plusSeconds(i)));
        }
        Files.createSymbolicLink(site.resolve("lien"), Path.of("../fichier-é-1.txt"));
        Files.createSymbolicLink(site.getParent().resolve("dangling"), Path.of("nowhere/at/all"));
        Files.setPosixFilePermissions(site, PosixFilePermissions.fromString("rwxr-x---"));
        Path tree = root.resolve("site");
        Map<String, String> before = describe(tree);

        Run backup = run(root, "backup", "--root-directory", "site", "--blob-prefix", "p", "--state-dir", "../state");
        assertEquals(0, backup.exit(), backup.err());
        assertTrue(backup.out().startsWith("backup COMPLETED"), backup.out());
        assertTrue(Pattern.compile("files \\d+/\\d+ \\(\\d+%\\)  bytes .*/s .*files/s  ETA").matcher(backup.err()).find(),
                "progress with files, bytes, rate and ETA: " + backup.err());
        Instant afterFirst = Instant.now();
        Thread.sleep(1_100); // snapshot ids have millisecond precision: the second is strictly later
        Files.writeString(site.resolve("fichier-é-0.txt"), "changed after the first backup");
        Run second = run(root, "backup", "--root-directory", "site", "--blob-prefix", "p", "--state-dir", "../state",
                "--json");
        assertEquals(0, second.exit(), second.err());
        assertEquals("COMPLETED", second.json().at("/customStatus/phase").asText());

        Run snapshots = run(root, "snapshots", "--blob-prefix", "p", "--state-dir", "../state", "--json");
        assertEquals(0, snapshots.exit(), snapshots.err());
        assertEquals(2, snapshots.json().path("snapshots").size(), snapshots.out());

        Run latest = run(root, "restore", "--blob-prefix", "p", "--snapshot", "latest", "--target", "latest",
                "--state-dir", "../state");
        assertEquals(0, latest.exit(), latest.err());
        assertEquals(describe(tree), describe(root.resolve("latest")), "the latest snapshot, exactly");

        Run asOf = run(root, "restore", "--blob-prefix", "p", "--as-of", afterFirst.toString(), "--target-directory",
                "first", "--state-dir", "../state");
        assertEquals(0, asOf.exit(), asOf.err());
        assertEquals(before, describe(root.resolve("first")), "the first snapshot, exactly: links, modes, mtimes");

        Run verify = run(root, "verify", "--root-directory", "latest", "--blob-prefix", "p", "--compare-content",
                "--snapshot", "latest", "--state-dir", "../state");
        assertEquals(0, verify.exit(), verify.err());
        assertTrue(verify.out().contains("no difference"), verify.out());
        Run verifyFirst = run(root, "verify", "--root-directory", "first", "--blob-prefix", "p", "--as-of",
                afterFirst.toString(), "--state-dir", "../state");
        assertEquals(0, verifyFirst.exit(), verifyFirst.err());

        // Issue 26: the stored data alone, without the source: every version the latest snapshot names read back.
        Run readData = run(root, "verify", "--read-data", "--blob-prefix", "p", "--state-dir", "../state", "--json");
        assertEquals(0, readData.exit(), readData.err());
        long versions;
        try (var walk = Files.walk(tree)) {
            versions = walk.filter(path -> Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    || Files.isSymbolicLink(path)).count();
        }
        assertEquals(versions, readData.json().at("/output/dataChecked").asLong(), readData.out());
        assertEquals(0, readData.json().at("/output/dataDamagedCount").asLong(), readData.out());

        Run retention = run(root, "retention", "--blob-prefix", "p", "--keep-last", "1", "--dry-run", "--state-dir",
                "../state");
        assertEquals(0, retention.exit(), retention.err());
        String firstId = snapshots.json().path("snapshots").get(0).path("id").asText();
        assertTrue(retention.out().contains("would delete " + firstId), retention.out());
        // The table, as a person reads it.
        Run after = run(root, "snapshots", "--blob-prefix", "p", "--state-dir", "../state");
        assertTrue(after.out().contains("2 snapshot(s) of container 'backups', prefix 'p'"),
                "a dry run deletes nothing: " + after.out());

        String id = second.json().path("instanceId").asText();
        Run status = run(root, "status", "--instance-id", id, "--state-dir", "../state", "--json");
        assertEquals(0, status.exit(), status.err());
        assertEquals("COMPLETED", status.json().at("/customStatus/phase").asText());

        // The terminal gets the runner's own lines only: no logging library's complaint (SLF4J without a binding).
        assertEquals(11, finished.size());
        for (Run each : finished) {
            assertFalse(each.err().contains("SLF4J:"), "no SLF4J lines: " + each.err());
        }
    }

    /**
     * A command that ended on its own with exit 1 (here the app answers 400: a listing needs a prefix) keeps its run
     * folder for its logs and is recorded as ended: the next command removes that folder without calling it a run
     * that ended without finishing (that is for a runner that was killed).
     */
    @Test
    void snapshots_refusedByTheApp_keepsItsLogsAndTheNextRunRemovesThemQuietly() throws Exception {
        Run refused = run(root, "snapshots", "--state-dir", "../state");
        assertEquals(1, refused.exit(), refused.err());
        assertTrue(refused.err().contains("the app answered HTTP 400"), refused.err());
        Matcher kept = Pattern.compile("the run's logs are in (\\S+) \\(until the next run\\)").matcher(refused.err());
        assertTrue(kept.find(), refused.err());
        Path folder = Path.of(kept.group(1));
        assertTrue(Files.isRegularFile(folder.resolve("bridge/bridge.log")), "its logs are kept: " + folder);

        Run next = run(root, "snapshots", "--blob-prefix", "p", "--state-dir", "../state");
        assertEquals(0, next.exit(), next.err());
        assertFalse(next.err().contains("without finishing"), "the refused run ended normally: " + next.err());
        assertFalse(Files.exists(folder), "the next run removes the kept folder: " + folder);
        assertFalse(Files.exists(state.resolve("records")), "no instance was started, none is recorded");
    }

    @Test
    void main_unknownOption_exitsTwoAndStartsNothing() throws Exception {
        Run run = run(root, "backup", "--root-directory", "site", "--no-such-option", "--state-dir", "../state");

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--no-such-option"), run.err());
        assertFalse(Files.exists(state), "nothing may start for a bad command line");
    }

    @Test
    void backup_linkToADirectoryOutsideTheRoots_refusedBeforeAnythingStartsNamingTheSetting() throws Exception {
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));

        Run run = run(root, "backup", "--root-directory", "etc", "--state-dir", "../state");

        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("refused before anything started") && run.err().contains("HTTP 400")
                && run.err().contains("is not a directory this app may read"), run.err());
        assertTrue(run.err().contains("set BACKUP_READ_ROOTS"), "names the setting to change: " + run.err());
        assertFalse(run.err().contains("engine durabletask-go"), "no stack started: " + run.err());
        assertFalse(Files.exists(state.resolve("runs")), "no run started");
    }

    @Test
    void restore_targetOutsideTheWriteRoots_refusedNamingBackupWriteRoots() throws Exception {
        Run run = run(root, "restore", "--blob-prefix", "p", "--target", work.resolve("elsewhere").toString(),
                "--state-dir", "../state");

        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("set BACKUP_WRITE_ROOTS"), run.err());
        assertFalse(Files.exists(state.resolve("runs")), "no run started");
    }

    @Test
    void backup_socketInTheTree_exitsOneAndWritesEveryProblemToTheFileItNames() throws Exception {
        Path site = Files.createDirectories(root.resolve("site"));
        Files.writeString(site.resolve("a.txt"), "a");
        // Links, named pipes and devices are recorded now (issue 26); a socket is not: a problem.
        try (java.nio.channels.ServerSocketChannel socket = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(site.resolve("passwd")));

            Run run = run(root, "backup", "--root-directory", "site", "--problems", "problems.jsonl", "--state-dir",
                    "../state", "--json");

            assertEquals(1, run.exit(), run.err());
            assertEquals("COMPLETED_WITH_PROBLEMS", run.json().at("/customStatus/phase").asText());
            assertTrue(run.err().contains(root.resolve("problems.jsonl").toString()), run.err());
            JsonNode problem = JSON.readTree(Files.readString(root.resolve("problems.jsonl")).strip());
            assertEquals("passwd", problem.get("path").asText());

            // It ended with its problems: the next command (status sweeps too) says nothing of a run left unfinished.
            String id = run.json().path("instanceId").asText();
            Run status = run(root, "status", "--instance-id", id, "--state-dir", "../state", "--json");
            assertEquals(1, status.exit(), status.err());
            assertFalse(status.err().contains("without finishing"), status.err());
            assertEquals("COMPLETED_WITH_PROBLEMS", status.json().at("/customStatus/phase").asText(), status.out());
        }
    }

    /**
     * An endpoint that accepts connections and never answers: the runner gives up on its own clock (its probe's
     * time limit) and names the endpoint. The test asserts that the runner's limit fired, not how long it took.
     */
    @Test
    void backup_endpointThatNeverAnswers_failsOnTheRunnersTimeLimitNamingTheEndpoint() throws Exception {
        Files.createDirectories(root.resolve("site"));
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String nowhere = "http://127.0.0.1:" + silent.getLocalPort() + "/devstoreaccount1";

            Run run = run(root, "backup", "--root-directory", "site", "--state-dir", "../state", "--connection-string",
                    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=" + nowhere);

            assertEquals(1, run.exit(), run.err());
            assertTrue(run.err().contains("the backup storage endpoint " + nowhere + " cannot be reached"), run.err());
            assertTrue(run.err().contains("timed out"), "the runner's own time limit ended the wait: " + run.err());
        }
    }

    /**
     * Ctrl-C: the run's instance is terminated through the engine, every process the runner started is gone, the
     * runner exits 130, and by its own clock it stopped within the 5 s it promises.
     */
    @Test
    void backup_interruptedWithSigint_terminatesTheInstanceAndStopsEverythingWithinFiveSeconds() throws Exception {
        Path site = tree("site", 3_000);
        Process runner = start(root, "backup", "--root-directory", "site", "--state-dir", "../state");
        String id = awaitStarted(runner);
        List<ProcessHandle> children = runner.descendants().toList();
        assertTrue(children.size() >= 3, "Azurite, the sidecar and the bridge: " + children.size());

        new ProcessBuilder("kill", "-INT", Long.toString(runner.pid())).start().waitFor();

        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner did not exit after SIGINT");
        String err = Files.readString(work.resolve("runner.err"));
        assertEquals(130, runner.exitValue(), err);
        assertTrue(err.contains(id + " is TERMINATED"), "the engine recorded it terminated: " + err);
        Matcher stopped = Pattern.compile("stopped (\\d+\\.\\d) s after the interrupt").matcher(err);
        assertTrue(stopped.find(), err);
        System.out.println("[e2e] runner after SIGINT: exit " + runner.exitValue() + ", " + stopped.group() + " (its own"
                + " clock), " + id + " TERMINATED, " + children.size() + " processes it started");
        assertTrue(Double.parseDouble(stopped.group(1)) < 5.0, "the runner's own clock: " + stopped.group());
        assertFalse(err.contains("did not stop in time"), err);
        assertNoneLeft(children);
        JsonNode record = JSON.readTree(state.resolve("records").resolve(RunState.safe(id) + ".json").toFile());
        assertEquals("Terminated", record.path("runtimeStatus").asText(), record.toString());
        assertTrue(Files.exists(site));
    }

    /**
     * A runner killed with SIGKILL leaves no stack that blocks the next run: its bridge exits with it, the next run
     * stops the engine and Azurite it left and removes its task hub, and the same backup then runs to its end.
     */
    @Test
    void backup_afterARunnerKilledWithSigkill_stopsWhatItLeftAndRuns() throws Exception {
        tree("site", 3_000);
        Process runner = start(root, "backup", "--root-directory", "site", "--blob-prefix", "k", "--state-dir",
                "../state");
        String id = awaitStarted(runner);
        List<ProcessHandle> children = runner.descendants().toList();

        runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        Run next = run(root, "backup", "--root-directory", "site", "--blob-prefix", "k", "--state-dir", "../state");
        assertEquals(0, next.exit(), next.err());
        assertTrue(next.err().contains("ended without finishing (runner pid " + runner.pid() + ", " + id + ")"),
                next.err());
        assertNoneLeft(children);
        Run status = run(root, "status", "--instance-id", id, "--state-dir", "../state");
        assertEquals(0, status.exit(), "the last run of the target completed: " + status.err());
    }

    /**
     * Issue 21: two runner backups at once, to two storage accounts, with the same container and prefix and one state
     * folder: each run has a task hub of its own, so each account holds exactly its own tree.
     */
    @Test
    void backup_twoRunsAtOnceToTwoAccounts_eachAccountHoldsExactlyItsOwnTree() throws Exception {
        Path a = tree("site-a", 400);
        Path b = tree("site-b", 300);
        Files.writeString(b.resolve("only-in-b.txt"), "b");
        try (Azurite accountA = Azurite.startInMemory(); Azurite accountB = Azurite.startInMemory()) {
            Process first = startNamed(root, "runner-a", "backup", "--root-directory", "site-a", "--blob-prefix", "same",
                    "--state-dir", "../state", "--connection-string", accountA.connectionString());
            Process second = startNamed(root, "runner-b", "backup", "--root-directory", "site-b", "--blob-prefix", "same",
                    "--state-dir", "../state", "--connection-string", accountB.connectionString());
            assertTrue(first.waitFor(5, TimeUnit.MINUTES) && second.waitFor(5, TimeUnit.MINUTES), "runs did not end");
            assertEquals(0, first.exitValue(), Files.readString(work.resolve("runner-a.err")));
            assertEquals(0, second.exitValue(), Files.readString(work.resolve("runner-b.err")));

            TreeCheck.assertBlobsHoldFiles(a, accountA.client().getBlobContainerClient("backups"), "same");
            TreeCheck.assertBlobsHoldFiles(b, accountB.client().getBlobContainerClient("backups"), "same");
            assertNotEquals(taskHub(work.resolve("runner-a.err")), taskHub(work.resolve("runner-b.err")));
        }
    }

    private static String taskHub(Path err) throws IOException {
        Matcher hub = Pattern.compile("task hub (\\S+hub\\.sqlite)").matcher(Files.readString(err));
        assertTrue(hub.find(), "names its task hub: " + Files.readString(err));
        return hub.group(1);
    }

    private Path tree(String name, int files) throws IOException {
        Path site = Files.createDirectories(root.resolve(name));
        for (int i = 0; i < files; i++) {
            Files.writeString(site.resolve("f" + i), name + " " + "x".repeat(i % 100));
        }
        return site;
    }

    private String awaitStarted(Process runner) throws Exception {
        Path err = work.resolve("runner.err");
        Pattern started = Pattern.compile("started BackupSiteContent (\\S+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Matcher m = started.matcher(Files.readString(err));
            if (m.find()) {
                return m.group(1);
            }
            assertTrue(runner.isAlive() && System.nanoTime() < deadline, "the backup did not start: "
                    + Files.readString(err));
            Thread.sleep(200);
        }
    }

    private static void assertNoneLeft(List<ProcessHandle> children) {
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException | InterruptedException stillRunning) {
                break; // named below
            }
        }
        List<ProcessHandle> left = children.stream().filter(ProcessHandle::isAlive).toList();
        left.forEach(ProcessHandle::destroyForcibly); // never left behind for the next test
        assertEquals(List.of(), left.stream().map(p -> p.info().command().orElse("?")).toList(), "left running");
    }

    /**
     * Every entry under {@code tree} (links not followed), by relative path: its type, permission bits, and a file's
     * size, MD5 and mtime, or a link's target.
     */
    private static Map<String, String> describe(Path tree) throws Exception {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.toList()) {
                String name = tree.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    entries.put(name, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(name, "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                } else {
                    MessageDigest md5 = MessageDigest.getInstance("MD5");
                    try (InputStream in = Files.newInputStream(p)) {
                        md5.update(in.readAllBytes());
                    }
                    entries.put(name, "file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                            + " " + Files.size(p) + " " + java.util.HexFormat.of().formatHex(md5.digest()) + " "
                            + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis());
                }
            }
        }
        entries.remove("");
        return entries;
    }

    private Run run(Path directory, String... args) throws Exception {
        Process process = start(directory, args);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the runner did not end: " + Files.readString(work.resolve("runner.err")));
        }
        Run run = new Run(process.exitValue(), Files.readString(work.resolve("runner.out")),
                Files.readString(work.resolve("runner.err")));
        finished.add(run);
        return run;
    }

    private Process start(Path directory, String... args) throws IOException {
        return startNamed(directory, "runner", args);
    }

    /** Starts {@code scripts/site-backup ARGS} in {@code directory}; its output goes to {@code work/<name>.out|err}. */
    private Process startNamed(Path directory, String name, String... args) throws IOException {
        // As from a terminal: SIGINT at its default (a build started in the background, `mvn ... &`, passes SIGINT on
        // ignored, and a JVM never handles a signal it was started with ignored). env execs the script, which execs
        // the runner's JVM: one process, whose pid the tests signal.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Project.root().resolve("scripts/site-backup").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(work.resolve(name + ".out").toFile()).redirectError(work.resolve(name + ".err").toFile());
        // Only what a user's shell would give, and the roots: failsafe's own app settings must not leak in.
        Map<String, String> inherited = Map.copyOf(builder.environment());
        builder.environment().clear();
        for (String variable : List.of("PATH", "HOME", "JAVA_HOME")) {
            if (inherited.containsKey(variable)) {
                builder.environment().put(variable, inherited.get(variable));
            }
        }
        builder.environment().put("SITE_BACKUP_NO_BUILD", "1");
        builder.environment().put("BackupStorage", "UseDevelopmentStorage=true");
        builder.environment().put("BACKUP_READ_ROOTS", root.toString());
        builder.environment().put("BACKUP_WRITE_ROOTS", root.toString());
        return builder.start();
    }
}
