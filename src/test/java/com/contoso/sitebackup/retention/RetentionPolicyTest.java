package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.snapshot.SnapshotIds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static String id(String instant) {
        return SnapshotIds.of(Instant.parse(instant));
    }

    private static List<String> ids(String... instants) {
        return java.util.Arrays.stream(instants).map(RetentionPolicyTest::id).toList();
    }

    @Test
    void apply_keepLastTwo_theTwoNewestOldestFirst() {
        RetentionPolicy.Decision decision = new RetentionPolicy(2, 0, 0).apply(ids(
                "2026-11-03T10:00:00Z", "2026-11-01T10:00:00Z", "2026-11-04T10:00:00Z", "2026-11-02T10:00:00Z"));
        assertEquals(ids("2026-11-03T10:00:00Z", "2026-11-04T10:00:00Z"), decision.kept());
        assertEquals(ids("2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z"), decision.expired());
    }

    @Test
    void apply_keepDailyTwo_newestOfEachOfTheLastTwoDaysWithSnapshots() {
        // No snapshot on the 3rd and 4th: the last two days with snapshots are the 5th and the 2nd.
        RetentionPolicy.Decision decision = new RetentionPolicy(0, 2, 0).apply(ids(
                "2026-11-01T23:00:00Z", "2026-11-02T01:00:00Z", "2026-11-02T22:00:00Z", "2026-11-02T23:59:59.999Z",
                "2026-11-05T00:00:00Z", "2026-11-05T12:00:00Z"));
        assertEquals(ids("2026-11-02T23:59:59.999Z", "2026-11-05T12:00:00Z"), decision.kept());
        assertEquals(4, decision.expired().size());
    }

    @Test
    void apply_keepWeeklyTwo_isoWeeksAcrossNewYear() {
        // 2026-12-31 (Thursday) and 2027-01-03 (Sunday) are ISO week 53 of 2026; 2027-01-04 is week 1 of 2027.
        RetentionPolicy.Decision decision = new RetentionPolicy(0, 0, 2).apply(ids(
                "2026-12-21T10:00:00Z", "2026-12-31T10:00:00Z", "2027-01-03T10:00:00Z", "2027-01-04T10:00:00Z"));
        assertEquals(ids("2027-01-03T10:00:00Z", "2027-01-04T10:00:00Z"), decision.kept());
        assertEquals(ids("2026-12-21T10:00:00Z", "2026-12-31T10:00:00Z"), decision.expired());
    }

    @Test
    void apply_rulesTogether_theirUnion() {
        List<String> all = ids("2026-10-01T10:00:00Z", "2026-10-20T10:00:00Z", "2026-11-01T10:00:00Z",
                "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z", "2026-11-02T11:00:00Z");
        RetentionPolicy.Decision decision = new RetentionPolicy(1, 2, 3).apply(all);
        // last 1: 11-02 11:00; daily 2: 11-02 11:00 and 11-01; weekly 3: week of 11-02 (Mon) -> 11-02 11:00,
        // week of 11-01 (Sun, the week before) -> 11-01, week of 10-20 -> 10-20.
        assertEquals(ids("2026-10-20T10:00:00Z", "2026-11-01T10:00:00Z", "2026-11-02T11:00:00Z"), decision.kept());
    }

    @Test
    void apply_noSnapshotsOrOne_emptyOrTheOneKept() {
        assertEquals(List.of(), new RetentionPolicy(0, 1, 0).apply(List.of()).kept());
        List<String> one = ids("2026-11-01T10:00:00Z");
        assertEquals(one, new RetentionPolicy(0, 0, 1).apply(one).kept());
    }

    @Test
    void apply_whatItKept_keepsTheSameAgain() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                all.add(SnapshotIds.of(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(200 * 86_400))));
            }
            RetentionPolicy policy = new RetentionPolicy(random.nextInt(4), random.nextInt(8), 1 + random.nextInt(5));
            List<String> kept = policy.apply(all).kept();
            assertEquals(kept, policy.apply(kept).kept(), "a retried pruning keeps what the first decided");
            assertTrue(kept.contains(all.stream().max(String::compareTo).orElseThrow()), "the newest always");
        }
    }

    @Test
    void constructor_negativeOrAllZero_throwsNamingTheField() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(1, -1, 0));
        assertTrue(negative.getMessage().startsWith("keepDaily"), negative.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(0, 0, 0));
        assertTrue(none.getMessage().contains("keepLast, keepDaily and keepWeekly"), none.getMessage());
    }

    @Test
    void apply_notAnId_throwsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RetentionPolicy(1, 0, 0).apply(List.of("yesterday")));
        assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
    }
}
