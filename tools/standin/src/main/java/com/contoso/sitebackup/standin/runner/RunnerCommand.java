package com.contoso.sitebackup.standin.runner;

import static com.contoso.sitebackup.standin.runner.RequestField.AS_OF;
import static com.contoso.sitebackup.standin.runner.RequestField.BLOB_PREFIX;
import static com.contoso.sitebackup.standin.runner.RequestField.COMPARE_CONTENT;
import static com.contoso.sitebackup.standin.runner.RequestField.CONTAINER;
import static com.contoso.sitebackup.standin.runner.RequestField.DRY_RUN;
import static com.contoso.sitebackup.standin.runner.RequestField.EXCLUDE;
import static com.contoso.sitebackup.standin.runner.RequestField.INCLUDE;
import static com.contoso.sitebackup.standin.runner.RequestField.INSTANCE_ID;
import static com.contoso.sitebackup.standin.runner.RequestField.KEEP_DAILY;
import static com.contoso.sitebackup.standin.runner.RequestField.KEEP_LAST;
import static com.contoso.sitebackup.standin.runner.RequestField.KEEP_WEEKLY;
import static com.contoso.sitebackup.standin.runner.RequestField.OVERWRITE;
import static com.contoso.sitebackup.standin.runner.RequestField.READ_DATA;
import static com.contoso.sitebackup.standin.runner.RequestField.ROOT_DIRECTORY;
import static com.contoso.sitebackup.standin.runner.RequestField.SNAPSHOT;
import static com.contoso.sitebackup.standin.runner.RequestField.TARGET_DIRECTORY;

import java.util.List;
import java.util.Set;

/**
 * The runner's commands: which orchestrator (or HTTP function) each runs, which request fields it takes (the app's
 * starter's field set for that orchestrator) and which of them it needs.
 */
public enum RunnerCommand {
    BACKUP("backup", "BackupSiteContent", "Back up a folder: upload what changed, then seal a snapshot.",
            List.of(ROOT_DIRECTORY, CONTAINER, BLOB_PREFIX, INCLUDE, EXCLUDE, DRY_RUN, COMPARE_CONTENT),
            Set.of(ROOT_DIRECTORY)),
    RESTORE("restore", "RestoreSiteContent",
            "Restore a backup into a folder: its latest snapshot, or the one --snapshot or --as-of names.",
            List.of(TARGET_DIRECTORY, CONTAINER, BLOB_PREFIX, OVERWRITE, SNAPSHOT, AS_OF),
            Set.of(BLOB_PREFIX, TARGET_DIRECTORY)),
    VERIFY("verify", "VerifyBackup",
            "Compare a folder with its backup (listings, or --compare-content), and/or read the stored data back"
                    + " (--read-data).",
            List.of(ROOT_DIRECTORY, CONTAINER, BLOB_PREFIX, INCLUDE, EXCLUDE, COMPARE_CONTENT, READ_DATA, SNAPSHOT,
                    AS_OF),
            Set.of()),
    SNAPSHOTS("snapshots", "ListSnapshots",
            "List the snapshots of a backup, oldest first (by --blob-prefix, or the folder's default prefix).",
            List.of(CONTAINER, BLOB_PREFIX, ROOT_DIRECTORY), Set.of()),
    RETENTION("retention", "ApplyRetention",
            "Delete the snapshots a policy does not keep, and the content only they hold (--dry-run: list them).",
            List.of(CONTAINER, BLOB_PREFIX, KEEP_LAST, KEEP_DAILY, KEEP_WEEKLY, DRY_RUN), Set.of(BLOB_PREFIX)),
    STATUS("status", null, "Show how an earlier run ended, or how a run in progress is doing.",
            List.of(INSTANCE_ID), Set.of(INSTANCE_ID));

    private final String command;
    private final String function;
    private final String description;
    private final List<RequestField> fields;
    private final Set<RequestField> required;

    RunnerCommand(String command, String function, String description, List<RequestField> fields,
                  Set<RequestField> required) {
        this.command = command;
        this.function = function;
        this.description = description;
        this.fields = List.copyOf(fields);
        this.required = Set.copyOf(required);
    }

    /** The command's name on the command line. */
    public String command() {
        return command;
    }

    /** The app's function it runs: an orchestrator started through the starter, or ListSnapshots; null for status. */
    public String function() {
        return function;
    }

    /** Whether it starts an orchestration through the app's starter. */
    public boolean startsOrchestration() {
        return this != SNAPSHOTS && this != STATUS;
    }

    public String description() {
        return description;
    }

    /** The request fields it takes, in the help's order. */
    public List<RequestField> fields() {
        return fields;
    }

    public Set<RequestField> required() {
        return required;
    }

    /** The command named {@code name}. */
    public static RunnerCommand named(String name) {
        for (RunnerCommand c : values()) {
            if (c.command.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no command " + name);
    }
}
