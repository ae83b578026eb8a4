package com.contoso.sitebackup.standin.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.durable.RequestSchema;
import com.contoso.sitebackup.standin.stack.Project;
import com.contoso.sitebackup.starter.StartRequestHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The runner's command line: its options against the app's request fields, its help files, its parsing. */
class CliTest {
    private static final Path CALLER = Path.of("/work/caller");

    /** The app's request schema: what the starter binds a body with, as the runner reads it from the app. */
    private static final Map<String, List<Map<String, Object>>> SCHEMAS = StartRequestHandler.requestSchemas();

    @Test
    void commands_takeExactlyTheFieldsTheStarterReads() {
        for (RunnerCommand command : RunnerCommand.values()) {
            if (!command.startsOrchestration()) {
                continue;
            }
            Class<?> type = StartRequestHandler.REQUESTS.get(command.function());
            assertEquals(RequestSchema.names(type), command.options(SCHEMAS).stream().map(RequestOption::field)
                    .toList(), command.command());
        }
    }

    /** What the runner reads from the packaged app by reflection is plain JDK data, and lists every orchestrator. */
    @Test
    void requestSchemas_arePlainJdkData_forEveryOrchestratorTheStarterStarts() {
        assertEquals(new TreeSet<>(StartRequestHandler.REQUESTS.keySet()), SCHEMAS.keySet());
        for (List<Map<String, Object>> fields : SCHEMAS.values()) {
            for (Map<String, Object> field : fields) {
                for (Object value : field.values()) {
                    assertTrue(value.getClass().getName().startsWith("java."), field.toString());
                }
            }
        }
    }

    /**
     * scripts/site-backup prints tools/standin/help/*.txt for --help without building: they must be what the jar
     * prints. To write them again: {@code mvn -B test -Punit -Dtest=CliTest -Dsitebackup.help.write=true}.
     */
    @Test
    void helpFiles_areWhatTheRunnerPrints() throws Exception {
        Path folder = Project.root().resolve("tools/standin/help");
        boolean write = Boolean.getBoolean("sitebackup.help.write");
        for (String command : List.of("", "backup", "restore", "verify", "snapshots", "retention", "status")) {
            String printed = help(command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"});
            Path file = folder.resolve((command.isEmpty() ? "site-backup" : command) + ".txt");
            if (write) {
                Files.writeString(file, printed);
            }
            assertEquals(printed, Files.readString(file), file + " is stale: see this test's comment");
        }
        assertEquals(help("--help"), help("help"));
        assertTrue(help("--version").startsWith("site-backup "));
    }

    @Test
    void parse_backup_relativePathsResolvedListsAndSwitches() {
        Cli.Parsed parsed = parse("backup", "--root-directory", "site", "--include", "*.html", "--include", "**/*.css",
                "-n", "--json", "--workers", "2", "--state-dir", "state");

        assertEquals(RunnerCommand.BACKUP, parsed.command());
        assertEquals(Map.of("rootDirectory", "/work/caller/site", "include", List.of("*.html", "**/*.css"),
                "dryRun", true), parsed.request());
        assertTrue(parsed.json());
        assertEquals(2, parsed.workers());
        assertEquals(Path.of("/work/caller/state"), parsed.stateDir());
    }

    @Test
    void parse_restore_targetAliasesSnapshotAndAsOf() {
        assertEquals(Map.of("blobPrefix", "p", "targetDirectory", "/work/caller/out", "snapshot", "latest"),
                parse("restore", "--blob-prefix", "p", "--target", "out", "--snapshot", "latest").request());
        assertEquals(Map.of("blobPrefix", "p", "targetDirectory", "/t", "asOf", "2026-12-01T00:00:00Z",
                "overwrite", true), parse("restore", "--blob-prefix", "p", "-t", "/t", "--as-of",
                "2026-12-01T00:00:00Z", "--overwrite").request());
        assertEquals("/work/x", parse("restore", "--blob-prefix", "p", "--target-directory", "../x").request()
                .get("targetDirectory"));
    }

    @Test
    void parse_retentionCounts_andWhatIsMissingOrUnknown() {
        assertEquals(Map.of("blobPrefix", "p", "keepLast", 3, "keepWeekly", 0, "dryRun", true),
                parse("retention", "--blob-prefix", "p", "--keep-last", "3", "--keep-weekly", "0", "--dry-run")
                        .request());
        assertThrows(CommandLine.ParameterException.class, () -> parse("retention", "--blob-prefix", "p",
                "--keep-last", "-1"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("retention", "--keep-last", "1"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("backup"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("backup", "--root-directory", "a", "--nope"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("verify", "--root-directory", "a",
                "--dry-run"));
    }

    @Test
    void hint_namesTheSettingThatDecidesAFolder() {
        String read = SiteBackupRunner.hint("rootDirectory '/etc' is not a directory this app may read (it must be"
                + " ...)", Map.of("BACKUP_READ_ROOTS", "/tmp"));
        assertTrue(read.contains("set BACKUP_READ_ROOTS") && read.contains("now '/tmp'"), read);
        String write = SiteBackupRunner.hint("targetDirectory '/x' is not a directory this app may write (...)",
                Map.of());
        assertTrue(write.contains("set BACKUP_WRITE_ROOTS") && write.contains("now empty"), write);
        assertNull(SiteBackupRunner.hint("blobPrefix must not be empty", Map.of()));
    }

    private static Cli.Parsed parse(String... args) {
        CommandLine commandLine = Cli.commandLine("site-backup test", SCHEMAS);
        return Cli.parsed(commandLine.parseArgs(args), CALLER, SCHEMAS);
    }

    private static String help(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine commandLine = Cli.commandLine(SiteBackupRunner.version(), SCHEMAS);
        PrintStream previous = System.out;
        try {
            PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
            commandLine.setOut(new java.io.PrintWriter(capture, true));
            commandLine.getSubcommands().values().forEach(sub -> sub.setOut(new java.io.PrintWriter(capture, true)));
            System.setOut(capture);
            CommandLine.executeHelpRequest(commandLine.parseArgs(args));
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
