package com.contoso.sitebackup.standin.runner;

import java.util.List;

/**
 * Every field of the app's requests the runner can set, in one table: its name in the request body (as the app's
 * starter reads it: {@code StartRequestHandler}'s field sets), its option, the option's kind and help. Which
 * command takes which field is {@link RunnerCommand}'s. A test holds each command's fields to the starter's.
 */
public enum RequestField {
    ROOT_DIRECTORY("rootDirectory", Kind.PATH, "DIR",
            "the folder (under BACKUP_READ_ROOTS); relative to your directory", "--root-directory"),
    CONTAINER("container", Kind.TEXT, "NAME", "the container (default: the app's BACKUP_CONTAINER)", "--container"),
    BLOB_PREFIX("blobPrefix", Kind.TEXT, "PREFIX",
            "the backup's blob prefix (default for backup and verify: the folder's path without its leading /)",
            "--blob-prefix"),
    INCLUDE("include", Kind.LIST, "GLOB", "only paths that match (repeatable; * within a folder, ** across)",
            "--include"),
    EXCLUDE("exclude", Kind.LIST, "GLOB", "leave out paths that match (repeatable)", "--exclude"),
    DRY_RUN("dryRun", Kind.SWITCH, null, "change nothing: say what the run would do", "--dry-run", "-n"),
    COMPARE_CONTENT("compareContent", Kind.SWITCH, null,
            "compare by content (MD5), not by size and modification time", "--compare-content"),
    READ_DATA("readData", Kind.SWITCH, null,
            "download every blob version the snapshot references and compare it with the MD5 it recorded; without"
                    + " --root-directory (then --blob-prefix is needed) no source is read", "--read-data"),
    TARGET_DIRECTORY("targetDirectory", Kind.PATH, "DIR",
            "where to restore (under BACKUP_WRITE_ROOTS; created if missing); relative to your directory",
            "--target", "--target-directory", "-t"),
    OVERWRITE("overwrite", Kind.SWITCH, null, "replace files that exist in the target", "--overwrite"),
    SNAPSHOT("snapshot", Kind.TEXT, "ID|latest", "the snapshot: its id, or latest", "--snapshot"),
    AS_OF("asOf", Kind.TEXT, "TIME",
            "the newest snapshot taken at or before TIME (ISO-8601, such as 2026-11-26T10:00:00Z)", "--as-of"),
    KEEP_LAST("keepLast", Kind.COUNT, "N", "keep the last N snapshots", "--keep-last"),
    KEEP_DAILY("keepDaily", Kind.COUNT, "N", "keep the last snapshot of each of the last N days", "--keep-daily"),
    KEEP_WEEKLY("keepWeekly", Kind.COUNT, "N", "keep the last snapshot of each of the last N weeks",
            "--keep-weekly"),
    INSTANCE_ID("instanceId", Kind.TEXT, "ID", "the instance id a run printed", "--instance-id");

    /** How an option's value becomes a field's. */
    public enum Kind {
        /** A path, made absolute against your directory (not resolved through links: the app decides). */
        PATH,
        /** Text as given. */
        TEXT,
        /** Repeatable: a JSON array of strings. */
        LIST,
        /** A flag without a value: true. */
        SWITCH,
        /** A whole number from 0. */
        COUNT
    }

    private final String field;
    private final Kind kind;
    private final String label;
    private final String help;
    private final List<String> names;

    RequestField(String field, Kind kind, String label, String help, String... names) {
        this.field = field;
        this.kind = kind;
        this.label = label;
        this.help = help;
        this.names = List.of(names);
    }

    /** The field's name in the request body. */
    public String field() {
        return field;
    }

    public Kind kind() {
        return kind;
    }

    /** The value's label in the help ({@code DIR}), or null for a switch. */
    public String label() {
        return label;
    }

    public String help() {
        return help;
    }

    /** The option's names, the long one first. */
    public List<String> names() {
        return names;
    }
}
