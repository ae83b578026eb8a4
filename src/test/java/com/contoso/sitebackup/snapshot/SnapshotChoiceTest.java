package com.contoso.sitebackup.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotChoiceTest {
    @Test
    void check_neitherOrOneOfThem_accepted() {
        SnapshotChoice.check(null, null);
        SnapshotChoice.check(SnapshotChoice.LATEST, null);
        SnapshotChoice.check(null, "2026-11-26T10:00:00Z");
        SnapshotChoice.check("20261126T125533.123Z", null);
    }

    @Test
    void check_both_refusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnapshotChoice.check(SnapshotChoice.LATEST, "2026-11-26T10:00:00Z"));

        assertEquals("snapshot and asOf name a snapshot each; give one of them, not both", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Latest", "2026-11-26T10:00:00Z", "20261126T125533Z", "20261131T125533.123Z"})
    void check_snapshotNeitherLatestNorAnId_refusedNamingIt(String snapshot) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SnapshotChoice.check(snapshot, null));

        assertEquals("snapshot '" + snapshot + "' is neither 'latest' nor a snapshot id such as 20261126T125533.123Z",
                e.getMessage());
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
