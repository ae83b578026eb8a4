package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.snapshot.SnapshotIds;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which snapshots a backup keeps, with restic's {@code forget} semantics over snapshot ids (a run's start, UTC):
 * the newest {@code keepLast}; for the last {@code keepDaily} days that have snapshots, the newest of each day;
 * for the last {@code keepWeekly} ISO weeks that have snapshots, the newest of each week; the union of the three,
 * and the newest snapshot always. "Last" counts days and weeks that have snapshots, not the calendar: a backup
 * that stopped running a month ago still keeps its last {@code keepDaily} days. Pure: no clock, no I/O, and
 * applying it to what it kept keeps the same snapshots again.
 */
public final class RetentionPolicy {
    private final int keepLast;
    private final int keepDaily;
    private final int keepWeekly;

    /** What a policy decided: the ids kept and the ids expired, each oldest first. */
    public static final class Decision {
        private final List<String> kept;
        private final List<String> expired;

        Decision(List<String> kept, List<String> expired) {
            this.kept = List.copyOf(kept);
            this.expired = List.copyOf(expired);
        }

        public List<String> kept() {
            return kept;
        }

        public List<String> expired() {
            return expired;
        }

        @Override
        public String toString() {
            return "kept " + kept + ", expired " + expired;
        }
    }

    /** IllegalArgumentException naming the field when a count is negative or all three are zero. */
    public RetentionPolicy(int keepLast, int keepDaily, int keepWeekly) {
        check("keepLast", keepLast);
        check("keepDaily", keepDaily);
        check("keepWeekly", keepWeekly);
        if (keepLast == 0 && keepDaily == 0 && keepWeekly == 0) {
            throw new IllegalArgumentException("keepLast, keepDaily and keepWeekly are all 0: at least one must be"
                    + " positive");
        }
        this.keepLast = keepLast;
        this.keepDaily = keepDaily;
        this.keepWeekly = keepWeekly;
    }

    private static void check(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative: " + value);
        }
    }

    /** Decides over snapshot {@code ids} (any order); IllegalArgumentException naming an id that is not one. */
    public Decision apply(List<String> ids) {
        List<String> newestFirst = new ArrayList<>(new LinkedHashSet<>(ids));
        newestFirst.forEach(SnapshotIds::instantOf);
        newestFirst.sort(Comparator.reverseOrder());
        Set<String> kept = new LinkedHashSet<>();
        if (!newestFirst.isEmpty()) {
            kept.add(newestFirst.get(0));
        }
        keepNewestOfEach(newestFirst, keepLast, id -> id, kept);
        keepNewestOfEach(newestFirst, keepDaily, RetentionPolicy::day, kept);
        keepNewestOfEach(newestFirst, keepWeekly, RetentionPolicy::week, kept);
        List<String> keptOldestFirst = new ArrayList<>();
        List<String> expiredOldestFirst = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            String id = newestFirst.get(i);
            (kept.contains(id) ? keptOldestFirst : expiredOldestFirst).add(id);
        }
        return new Decision(keptOldestFirst, expiredOldestFirst);
    }

    /**
     * Walks the snapshots newest first and keeps each one whose bucket differs from the last kept one's, until
     * {@code count} are kept: the newest of each of the last {@code count} buckets that have snapshots.
     */
    private static void keepNewestOfEach(List<String> newestFirst, int count, Function<String, Object> bucket,
                                         Set<String> kept) {
        Object last = null;
        int left = count;
        for (String id : newestFirst) {
            if (left == 0) {
                return;
            }
            Object current = bucket.apply(id);
            if (!current.equals(last)) {
                kept.add(id);
                last = current;
                left--;
            }
        }
    }

    private static LocalDate day(String id) {
        return SnapshotIds.instantOf(id).atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** The ISO week: its week-based year and number (the days around New Year belong to one week). */
    private static List<Integer> week(String id) {
        LocalDate day = day(id);
        return List.of(day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
