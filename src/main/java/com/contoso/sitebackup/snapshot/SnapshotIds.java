package com.contoso.sitebackup.snapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** TEMPORARY stand-in for the snapshot helper's class of the same API; replaced at merge. */
public final class SnapshotIds {
    public static final String RUN_METADATA = "sitebackup_run";
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SnapshotIds() {
    }

    public static String of(Instant runStart) {
        return FORMAT.format(runStart.truncatedTo(ChronoUnit.MILLIS));
    }

    public static Instant instantOf(String id) {
        try {
            return Instant.from(FORMAT.parse(id));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("'" + id + "' is not a snapshot id");
        }
    }

    public static boolean isId(String text) {
        try {
            instantOf(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
