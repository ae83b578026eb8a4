package com.contoso.sitebackup.standin.runner;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runner's commands: which orchestrator (or HTTP function) each runs. The fields a command takes are its
 * orchestrator's request schema, as the app's starter reads it ({@link #options}).
 */
public enum RunnerCommand {
    BACKUP("backup", "BackupSiteContent", "Back up a folder: upload what changed, then seal a snapshot."),
    RESTORE("restore", "RestoreSiteContent",
            "Restore a backup into a folder: its latest snapshot, or the one --snapshot or --as-of names."),
    VERIFY("verify", "VerifyBackup",
            "Compare a folder with its backup (listings, or --compare-content), and/or read the stored data back"
                    + " (--read-data)."),
    SNAPSHOTS("snapshots", "ListSnapshots",
            "List the snapshots of a backup, oldest first (by --blob-prefix, or the folder's default prefix)."),
    RETENTION("retention", "ApplyRetention",
            "Delete the snapshots a policy does not keep, and the content only they hold (--dry-run: list them)."),
    STATUS("status", null, "Show how an earlier run ended, or how a run in progress is doing.");

    /** The backup fields the snapshots command takes (ListSnapshots has no request type): where the backup is. */
    private static final Set<String> SNAPSHOTS_FIELDS = Set.of("container", "blobPrefix", "rootDirectory");

    private final String command;
    private final String function;
    private final String description;

    RunnerCommand(String command, String function, String description) {
        this.command = command;
        this.function = function;
        this.description = description;
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

    /**
     * The options it takes, from {@code schemas} (each orchestrator's fields, {@link RequestOption#load}): its
     * orchestrator's; for snapshots, where the backup is, from the backup's, none required; for status, the
     * runner's own instance id.
     */
    public List<RequestOption> options(Map<String, List<Map<String, Object>>> schemas) {
        if (this == STATUS) {
            return List.of(RequestOption.INSTANCE_ID);
        }
        if (this == SNAPSHOTS) {
            return schemas.getOrDefault(BACKUP.function, List.of()).stream().map(RequestOption::of)
                    .filter(o -> SNAPSHOTS_FIELDS.contains(o.field())).map(RequestOption::optional).toList();
        }
        return schemas.getOrDefault(function, List.of()).stream().map(RequestOption::of).toList();
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
