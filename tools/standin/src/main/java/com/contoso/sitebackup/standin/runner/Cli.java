package com.contoso.sitebackup.standin.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The runner's command line, built from {@link RunnerCommand} and the app's request schema
 * ({@link RequestOption}; picocli's programmatic model, so the options come from the app's one table): a command, its request options, and the runner's own options.
 */
final class Cli {
    static final String NAME = "site-backup";
    /** The help's width, whatever the terminal's (so the help files the script prints match it). */
    static final int WIDTH = 100;

    /** The runner's own options, and what they mean. */
    enum Own {
        CONNECTION_STRING("--connection-string", "CS", "the backup storage account (default: the app's BackupStorage,"
                + " from the environment or local.settings.json; for UseDevelopmentStorage=true the runner starts an"
                + " Azurite of its own with its data in STATE/azurite)"),
        STATE_DIR("--state-dir", "DIR", "where runs keep their engine, logs, records and problem files (default:"
                + " .tools/run/runner in the project); runs in one folder refuse to work on the same target at once"),
        JSON("--json", null, "print the final status as JSON on stdout instead of a summary"),
        PROBLEMS("--problems", "FILE", "write every problem of the run there (default:"
                + " STATE/reports/<instance>.problems.jsonl)"),
        WORKERS("--workers", "N", "worker JVMs that run the app on the engine (default: 1)"),
        APP("--app", "DIR", "the packaged app (default: target/azure-functions/site-backup-func in the project)");

        final String name;
        final String label;
        final String help;

        Own(String name, String label, String help) {
            this.name = name;
            this.label = label;
            this.help = help;
        }
    }

    /** What the command line asks for. */
    record Parsed(RunnerCommand command, Map<String, Object> request, String connectionString, Path stateDir,
                  Path app, boolean json, Path problems, int workers) {
    }

    private Cli() {
    }

    /**
     * The command line whose request options are {@code schemas}'s (each orchestrator's fields, as
     * {@link RequestOption#load} reads them from the packaged app).
     */
    static CommandLine commandLine(String version, Map<String, List<Map<String, Object>>> schemas) {
        CommandSpec top = CommandSpec.create().name(NAME).version(version).mixinStandardHelpOptions(true);
        top.usageMessage().width(WIDTH)
                .description("Back up, restore, verify and prune a folder's backups in Azure Blob Storage with the"
                        + " PACKAGED site-backup app, run on the durabletask-go engine by a stand-in for the"
                        + " Functions host (not the host itself), through the app's own HTTP starter.")
                .footerHeading("%n")
                .footer("The app's settings come from the environment, else from local.settings.json:"
                                + " BACKUP_READ_ROOTS and BACKUP_WRITE_ROOTS decide what may be backed up and restored.",
                        "Progress goes to stderr; the summary (or with --json the final status) to stdout.",
                        "Exit codes: 0 done with no problem; 1 problems, failures or a refused request;"
                                + " 2 a command line not understood; 130 interrupted (the run is terminated).",
                        "",
                        "Examples:",
                        "  site-backup backup --root-directory site",
                        "  site-backup snapshots --blob-prefix tmp/site",
                        "  site-backup restore --blob-prefix tmp/site --snapshot latest --target restored",
                        "  site-backup verify --root-directory site --as-of 2026-12-01T00:00:00Z --compare-content",
                        "  site-backup retention --blob-prefix tmp/site --keep-last 7 --dry-run");
        top.addSubcommand("help", new CommandLine(new CommandLine.HelpCommand()));
        for (RunnerCommand command : RunnerCommand.values()) {
            CommandSpec sub = CommandSpec.create().name(command.command()).version(version)
                    .mixinStandardHelpOptions(true);
            sub.usageMessage().width(WIDTH).longOptionsMaxWidth(32).description(command.description());
            for (RequestOption field : command.options(schemas)) {
                sub.addOption(option(field));
            }
            for (Own own : Own.values()) {
                if (command == RunnerCommand.STATUS && own != Own.STATE_DIR && own != Own.JSON) {
                    continue;
                }
                OptionSpec.Builder option = OptionSpec.builder(own.name).description(own.help)
                        .hidden(own == Own.APP);
                if (own.label == null) {
                    option.arity("0").type(boolean.class);
                } else {
                    option.paramLabel(own.label).type(own == Own.WORKERS ? int.class : String.class);
                }
                sub.addOption(option.build());
            }
            top.addSubcommand(command.command(), sub);
        }
        return new CommandLine(top);
    }

    private static OptionSpec option(RequestOption field) {
        boolean required = field.required();
        OptionSpec.Builder option = OptionSpec.builder(field.names().toArray(String[]::new))
                .description(field.help() + (required ? " (required)" : "")).required(required);
        switch (field.kind()) {
            case SWITCH -> option.arity("0").type(boolean.class);
            case LIST -> option.paramLabel(field.label()).type(List.class).auxiliaryTypes(String.class);
            case COUNT -> option.paramLabel(field.label()).type(int.class);
            default -> option.paramLabel(field.label()).type(String.class);
        }
        return option.build();
    }

    /**
     * The request and options of {@code result}'s command; paths are made absolute against {@code caller}.
     *
     * @throws CommandLine.ParameterException for a value that is not one
     */
    static Parsed parsed(ParseResult result, Path caller, Map<String, List<Map<String, Object>>> schemas) {
        ParseResult sub = result.subcommand();
        RunnerCommand command = RunnerCommand.named(sub.commandSpec().name());
        Map<String, Object> request = new LinkedHashMap<>();
        for (RequestOption field : command.options(schemas)) {
            OptionSpec option = sub.commandSpec().findOption(field.names().get(0));
            if (!sub.hasMatchedOption(option)) {
                continue;
            }
            Object value = option.getValue();
            switch (field.kind()) {
                case SWITCH -> request.put(field.field(), true);
                case PATH -> request.put(field.field(), caller.resolve((String) value).toAbsolutePath().normalize()
                        .toString());
                case LIST -> {
                    @SuppressWarnings("unchecked")
                    List<String> values = new ArrayList<>((List<String>) value);
                    request.put(field.field(), values);
                }
                case COUNT -> {
                    int count = (Integer) value;
                    if (count < 0) {
                        throw new CommandLine.ParameterException(sub.commandSpec().commandLine(),
                                field.names().get(0) + " must be a whole number from 0, not " + count);
                    }
                    request.put(field.field(), count);
                }
                default -> request.put(field.field(), value);
            }
        }
        String connectionString = sub.matchedOptionValue(Own.CONNECTION_STRING.name, null);
        String state = sub.matchedOptionValue(Own.STATE_DIR.name, null);
        String app = sub.matchedOptionValue(Own.APP.name, null);
        String problems = sub.matchedOptionValue(Own.PROBLEMS.name, null);
        int workers = sub.matchedOptionValue(Own.WORKERS.name, 1);
        if (workers < 1) {
            throw new CommandLine.ParameterException(sub.commandSpec().commandLine(),
                    "--workers must be at least 1, not " + workers);
        }
        return new Parsed(command, request, connectionString,
                state == null ? null : caller.resolve(state).toAbsolutePath().normalize(),
                app == null ? null : caller.resolve(app).toAbsolutePath().normalize(),
                sub.matchedOptionValue(Own.JSON.name, false),
                problems == null ? null : caller.resolve(problems).toAbsolutePath().normalize(), workers);
    }
}
