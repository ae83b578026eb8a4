package com.contoso.sitebackup.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotIdsTest {
    @Test
    void of_instantWithNanos_utcToTheMillisecond() {
        assertEquals("20261126T125533.123Z", SnapshotIds.of(Instant.parse("2026-11-26T12:55:33.123987654Z")));
        assertEquals("00000101T000000.000Z", SnapshotIds.of(Instant.parse("0000-01-01T00:00:00Z")));
        assertEquals("99991231T235959.999Z", SnapshotIds.of(Instant.parse("9999-12-31T23:59:59.999Z")));
    }

    @Test
    void of_yearOutsideFourDigits_throwsNamingTheInstant() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnapshotIds.of(Instant.parse("+10000-01-01T00:00:00Z")));
        assertTrue(e.getMessage().contains("runStart +10000-01-01T00:00:00Z"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SnapshotIds.of(Instant.parse("-0001-12-31T23:59:59Z")));
    }

    @Test
    void instantOf_anId_theInstantItWasMadeOf() {
        Instant start = Instant.parse("2026-02-28T23:59:59.001Z");
        assertEquals(start, SnapshotIds.instantOf(SnapshotIds.of(start)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "latest", "20261126T125533Z", "20261126T125533.1234Z", "2026-11-26T12:55:33.123Z",
            "20261126t125533.123z", "20260230T000000.000Z", "20261126T245533.123Z", " 20261126T125533.123Z",
            "２0261126T125533.123Z"})
    void instantOf_notAnId_throwsNamingIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SnapshotIds.instantOf(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertFalse(SnapshotIds.isId(text));
    }

    @Test
    void isId_nullAndAnId() {
        assertFalse(SnapshotIds.isId(null));
        assertTrue(SnapshotIds.isId("20240229T000000.000Z"), "a leap day");
    }

    @Test
    void of_randomInstants_sortAsTextInTimeOrder() {
        Random random = new Random(7);
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            instants.add(Instant.ofEpochMilli(random.nextLong(-62_000_000_000_000L, 253_000_000_000_000L)));
        }
        List<String> byText = instants.stream().map(SnapshotIds::of).sorted().toList();
        List<String> byTime = instants.stream().sorted().map(SnapshotIds::of).toList();
        assertEquals(byTime, byText);
    }
}
