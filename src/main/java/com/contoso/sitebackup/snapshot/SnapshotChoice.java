package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.text.Printable;

import java.time.Instant;
import java.util.Objects;
import java.time.format.DateTimeParseException;

/**
 * Which backup snapshot a restore or a verify asks for, from its two optional fields: {@code snapshot} (a snapshot
 * id, or {@value #LATEST}) or {@code asOf} (an ISO-8601 instant: the newest snapshot whose id's instant is at or
 * before it). At most one may be given; neither means no snapshot (the latest content of every blob). Whether the
 * snapshot exists is told by {@link #resolve}, which reads the snapshots of the prefix.
 */
public final class SnapshotChoice {
    /** The {@code snapshot} value that names the newest snapshot. */
    public static final String LATEST = "latest";

    private SnapshotChoice() {
    }

    /**
     * Checks what can be checked without I/O: not both fields, {@code snapshot} {@value #LATEST} or an id's shape
     * ({@link SnapshotIds}), {@code asOf} an ISO-8601 instant.
     *
     * @throws IllegalArgumentException naming the field
     */
    public static void check(String snapshot, String asOf) {
        if (snapshot != null && asOf != null) {
            throw new IllegalArgumentException("snapshot and asOf name a snapshot each; give one of them, not both");
        }
        if (snapshot != null && !snapshot.equals(LATEST) && !SnapshotIds.isId(snapshot)) {
            throw new IllegalArgumentException("snapshot '" + Printable.quote(snapshot) + "' is neither '" + LATEST
                    + "' nor a snapshot id such as 20261126T125533.123Z");
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

    /**
     * The snapshot of {@code container} and {@code prefix} that {@code snapshot} or {@code asOf} (one of them) names.
     *
     * @throws IllegalArgumentException naming the field when the choice is malformed or names no snapshot there
     */
    public static SnapshotInfo resolve(SnapshotStore store, String container, String prefix, String snapshot,
                                       String asOf) {
        Objects.requireNonNull(store, "store");
        check(snapshot, asOf);
        if (snapshot == null && asOf == null) {
            throw new IllegalArgumentException("snapshot or asOf is required to choose a snapshot");
        }
        String where = "container '" + container + "', prefix '" + Printable.quote(prefix) + "'";
        return store.select(container, prefix, snapshot, asOf == null ? null : asOfInstant(asOf))
                .orElseThrow(() -> new IllegalArgumentException(asOf != null
                        ? "asOf '" + asOf + "': no snapshot of " + where + " was taken at or before it"
                        : LATEST.equals(snapshot) ? "snapshot '" + LATEST + "': " + where + " has no snapshot yet"
                        : "snapshot '" + Printable.quote(snapshot) + "' is not a snapshot of " + where));
    }
}
