package com.contoso.sitebackup.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotChoiceTest {
    @Test
    void check_neitherOrOneOfThem_accepted() {
        SnapshotChoice.check(null, null);
        SnapshotChoice.check(SnapshotChoice.LATEST, null);
        SnapshotChoice.check(null, "2026-11-26T10:00:00Z");
    }

    @Test
    void check_both_refusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnapshotChoice.check(SnapshotChoice.LATEST, "2026-11-26T10:00:00Z"));

        assertEquals("snapshot and asOf name a snapshot each; give one of them, not both", e.getMessage());
    }

    @Test
    void check_blankSnapshot_refusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SnapshotChoice.check("", null));

        assertEquals("snapshot must be a snapshot id or 'latest', not blank", e.getMessage());
    }

    @Test
    void asOfInstant_offsetOrFraction_theInstant() {
        assertEquals(Instant.parse("2026-11-26T09:00:00Z"), SnapshotChoice.asOfInstant("2026-11-26T10:00:00+01:00"));
        assertEquals(Instant.ofEpochSecond(1_795_677_600L, 5),
                SnapshotChoice.asOfInstant("2026-11-26T07:20:00.000000005Z"));
    }

    @Test
    void asOfInstant_dateOnlyOrNewline_refusedNamingTheFieldPrintably() {
        assertEquals("asOf '2026-11-26' is not an ISO-8601 instant (such as 2026-11-26T10:00:00Z)",
                assertThrows(IllegalArgumentException.class, () -> SnapshotChoice.asOfInstant("2026-11-26")).getMessage());
        String message = assertThrows(IllegalArgumentException.class,
                () -> SnapshotChoice.check(null, "2026\nx")).getMessage();
        assertEquals(-1, message.indexOf('\n'), message);
    }
}
