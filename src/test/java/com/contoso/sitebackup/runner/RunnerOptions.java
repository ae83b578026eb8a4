package com.contoso.sitebackup.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local runner's command line: a subcommand ({@code backup}, {@code restore}, {@code verify},
 * {@code status}) and its flags, one per field of the app's request ({@code --root-directory} is
 * {@code rootDirectory}, ...), plus the runner's own ({@code --connection-string}, {@code --problems}).
 * Paths are made absolute against the caller's directory here, before anything runs. Anything not understood is
 * an {@link IllegalArgumentException} whose message names it (the runner exits 2).
 */
final class RunnerOptions {
    static final String USAGE = """
            usage: scripts/site-backup <command> [options]

            Runs the PACKAGED app (target/azure-functions/site-backup-func) on the durabletask-go engine with a
            bridge that stands in for the Functions host (not the host itself), through the app's own HTTP starter.
            The app's settings come from the environment, else from local.settings.json: BACKUP_READ_ROOTS and
            BACKUP_WRITE_ROOTS decide what may be backed up and restored, as on Azure.

            commands:
              backup   --root-directory DIR [--container C] [--blob-prefix P] [--include GLOB]... [--exclude GLOB]...
                       [--dry-run] [--compare-content]
              restore  --blob-prefix P --target-directory DIR [--container C] [--overwrite]
              verify   --root-directory DIR [--container C] [--blob-prefix P] [--include GLOB]... [--exclude GLOB]...
                       [--compare-content] [--read-data]
              verify   --read-data --blob-prefix P [--container C]
                       (--read-data downloads every blob version the latest snapshot references and compares it with
                       the MD5 the snapshot recorded; without --root-directory it reads no source)
              status   --instance-id ID      (an earlier run: waits for it, resuming it if it was interrupted)

            options of every command:
              --connection-string CS   the backup storage account (default: the app's BackupStorage setting; when
                                       that is UseDevelopmentStorage=true the runner starts Azurite, data in
                                       .tools/run/azurite)
              --problems FILE          where every problem of the run is written (default
                                       .tools/run/reports/<instance>.problems.jsonl)
              --help                   this text

            Progress goes to stderr, the final status as JSON to stdout. Exit 0 when the run completed with no
            problem (phase COMPLETED or DRY_RUN_COMPLETED), 1 otherwise, 2 for a command line not understood.
            """;

    private static final Map<String, Map<String, String>> FIELDS = Map.of(
            "backup", fields("rootDirectory", "container", "blobPrefix", "include", "exclude", "dryRun",
                    "compareContent"),
            "restore", fields("container", "blobPrefix", "targetDirectory", "overwrite"),
            "verify", fields("rootDirectory", "container", "blobPrefix", "include", "exclude", "compareContent",
                    "readData"),
            "status", fields("instanceId"));
    private static final Set<String> SWITCHES = Set.of("dryRun", "compareContent", "overwrite", "readData");
    private static final Set<String> LISTS = Set.of("include", "exclude");
    private static final Set<String> PATHS = Set.of("rootDirectory", "targetDirectory");
    private static final Map<String, Set<String>> REQUIRED = Map.of("backup", Set.of("rootDirectory"),
            "restore", Set.of("blobPrefix", "targetDirectory"), "verify", Set.of(),
            "status", Set.of("instanceId"));

    final String command;
    /** The request's fields, as the starter reads them (only those given). */
    final Map<String, Object> request;
    final String connectionString;
    final Path problems;
    final boolean help;

    private RunnerOptions(String command, Map<String, Object> request, String connectionString, Path problems,
                          boolean help) {
        this.command = command;
        this.request = request;
        this.connectionString = connectionString;
        this.problems = problems;
        this.help = help;
    }

    /** Parses {@code args}; relative paths are resolved against {@code callerDirectory}. */
    static RunnerOptions parse(List<String> args, Path callerDirectory) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            return new RunnerOptions(null, Map.of(), null, null, true);
        }
        String command = args.get(0);
        Map<String, String> known = FIELDS.get(command);
        if (known == null) {
            throw new IllegalArgumentException("unknown command '" + command
                    + "': expected backup, restore, verify or status");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        String connectionString = null;
        Path problems = null;
        for (int i = 1; i < args.size(); i++) {
            String flag = args.get(i);
            String field = known.get(flag);
            if (field == null && !flag.equals("--connection-string") && !flag.equals("--problems")) {
                throw new IllegalArgumentException("unknown option '" + flag + "' for " + command);
            }
            if (field != null && SWITCHES.contains(field)) {
                request.put(field, true);
                continue;
            }
            if (i + 1 == args.size()) {
                throw new IllegalArgumentException("option " + flag + " needs a value");
            }
            String value = args.get(++i);
            if (flag.equals("--connection-string")) {
                connectionString = value;
            } else if (flag.equals("--problems")) {
                problems = callerDirectory.resolve(value).toAbsolutePath().normalize();
            } else if (LISTS.contains(field)) {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) request.computeIfAbsent(field, f -> new ArrayList<String>());
                list.add(value);
            } else if (PATHS.contains(field)) {
                // Not resolved through links: the app decides, against its allowed roots, what the path is.
                request.put(field, callerDirectory.resolve(value).toAbsolutePath().normalize().toString());
            } else if (request.put(field, value) != null) {
                throw new IllegalArgumentException("option " + flag + " given twice");
            }
        }
        if (command.equals("verify") && !request.containsKey("rootDirectory")
                && (!request.containsKey("readData") || !request.containsKey("blobPrefix"))) {
            throw new IllegalArgumentException("verify needs --root-directory, or --read-data with --blob-prefix");
        }
        for (String field : REQUIRED.get(command)) {
            if (!request.containsKey(field)) {
                throw new IllegalArgumentException(command + " needs " + flagOf(field));
            }
        }
        return new RunnerOptions(command, request, connectionString, problems, false);
    }

    /** The orchestrator the command starts ({@code null} for status). */
    String orchestrator() {
        return switch (command) {
            case "backup" -> "BackupSiteContent";
            case "restore" -> "RestoreSiteContent";
            case "verify" -> "VerifyBackup";
            default -> null;
        };
    }

    private static Map<String, String> fields(String... names) {
        Map<String, String> byFlag = new LinkedHashMap<>();
        for (String name : names) {
            byFlag.put(flagOf(name), name);
        }
        return byFlag;
    }

    /** {@code rootDirectory} becomes {@code --root-directory}. */
    static String flagOf(String field) {
        return "--" + field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
