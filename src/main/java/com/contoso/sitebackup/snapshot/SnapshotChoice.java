package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.files.Printable;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Which backup snapshot a restore or a verify asks for, from its two optional fields: {@code snapshot} (a snapshot
 * id, or {@value #LATEST}) or {@code asOf} (an ISO-8601 instant: the newest snapshot whose id's instant is at or
 * before it). At most one may be given; neither means no snapshot (the latest content of every blob).
 */
public final class SnapshotChoice {
    /** The {@code snapshot} value that names the newest snapshot. */
    public static final String LATEST = "latest";

    private SnapshotChoice() {
    }

    /**
     * Checks what can be checked without I/O: not both fields, {@code asOf} an ISO-8601 instant.
     *
     * @throws IllegalArgumentException naming the field
     */
    public static void check(String snapshot, String asOf) {
        if (snapshot != null && asOf != null) {
            throw new IllegalArgumentException("snapshot and asOf name a snapshot each; give one of them, not both");
        }
        if (snapshot != null && snapshot.isBlank()) {
            throw new IllegalArgumentException("snapshot must be a snapshot id or '" + LATEST + "', not blank");
        }
        if (asOf != null) {
            asOfInstant(asOf);
        }
    }

    /**
     * The instant {@code asOf} names.
     *
     * @throws IllegalArgumentException naming the field when it is not an ISO-8601 instant
     */
    public static Instant asOfInstant(String asOf) {
        try {
            return Instant.parse(asOf);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("asOf '" + Printable.quote(asOf) + "' is not an ISO-8601 instant"
                    + " (such as 2026-11-26T10:00:00Z)");
        }
    }
}
