package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.blob.StoredBlob;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A snapshot's id: the start of the backup run that made it, in UTC to the millisecond, as
 * {@code yyyyMMdd'T'HHmmss.SSS'Z'} ({@code 20261126T125533.123Z}). Every id has the same length and only ASCII
 * digits in fixed places, so ids sort as text in time order, and the blob names and metadata that hold them list
 * in that order too. The same id tags the content a run uploads ({@link #RUN_METADATA}), which is how retention
 * tells the content of finished runs from that of a run still going.
 */
public final class SnapshotIds {
    /**
     * The metadata name, on a backup's blobs and on their blob snapshots, whose value is the id of the run that
     * uploaded that content. Content without it is not this app's, and retention never deletes it.
     */
    public static final String RUN_METADATA = StoredBlob.RUN;

    private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant AFTER_LAST = Instant.parse("+10000-01-01T00:00:00Z");

    private SnapshotIds() {
    }

    /**
     * The id of a run that started at {@code runStart}, to the millisecond (finer parts are dropped).
     * IllegalArgumentException naming the instant when its year is outside 0000 to 9999 (no fixed-width id).
     */
    public static String of(Instant runStart) {
        Objects.requireNonNull(runStart, "runStart");
        if (runStart.isBefore(FIRST) || !runStart.isBefore(AFTER_LAST)) {
            throw new IllegalArgumentException("runStart " + runStart + " is outside the years 0000 to 9999");
        }
        return FORMAT.format(runStart.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The instant {@code id} stands for; IllegalArgumentException naming the id when it is not one. */
    public static Instant instantOf(String id) {
        if (id == null || !SHAPE.matcher(id).matches()) {
            throw new IllegalArgumentException("snapshot id '" + id + "' is not an id such as 20261126T125533.123Z"
                    + " (a run's start, UTC, to the millisecond)");
        }
        try {
            return FORMAT.parse(id, Instant::from);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("snapshot id '" + id + "' is not a valid date and time");
        }
    }

    /** Whether {@code text} is a snapshot id: the exact shape, and a real date and time. */
    public static boolean isId(String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            return false;
        }
        try {
            FORMAT.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
