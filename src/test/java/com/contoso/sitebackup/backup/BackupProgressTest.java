package com.contoso.sitebackup.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackupProgressTest {

    private static List<FileProblem> problems(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> new FileProblem(prefix + i, "reason " + i)).toList();
    }

    @Test
    void listing_beforeThePlan_allZeroInListingPhase() {
        BackupProgress p = BackupProgress.listing();
        assertEquals(BackupProgress.Phase.LISTING, p.getPhase());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L), List.of(p.getFilesPlanned(), p.getBytesPlanned(),
                p.getFilesDone(), p.getBytesDone(), p.getFilesUnchanged(), p.getBytesUnchanged(), p.getProblemCount()));
        assertEquals(List.of(), p.getProblems());
    }

    @Test
    void planned_withCounts_copyingPhaseWithPlanAndUnchanged() {
        BackupProgress p = BackupProgress.planned(3, 300, 2, 20, problems("p", 1));
        assertEquals(BackupProgress.Phase.COPYING, p.getPhase());
        assertEquals(3, p.getFilesPlanned());
        assertEquals(300, p.getBytesPlanned());
        assertEquals(0, p.getFilesDone());
        assertEquals(2, p.getFilesUnchanged());
        assertEquals(20, p.getBytesUnchanged());
        assertEquals(1, p.getProblemCount());
        assertEquals(problems("p", 1), p.getProblems());
    }

    @Test
    void planned_moreProblemsThanListed_listCappedCountExact() {
        BackupProgress p = BackupProgress.planned(0, 0, 0, 0, problems("p", 250));
        assertEquals(250, p.getProblemCount());
        assertEquals(problems("p", BackupProgress.MAX_LISTED_PROBLEMS), p.getProblems());
    }

    @Test
    void plus_filesAndProblems_addedToDoneAndProblems() {
        BackupProgress p = BackupProgress.planned(10, 1000, 0, 0, problems("p", 2))
                .plus(4, 400, problems("q", 1))
                .plus(5, 500, List.of());
        assertEquals(9, p.getFilesDone());
        assertEquals(900, p.getBytesDone());
        assertEquals(10, p.getFilesPlanned());
        assertEquals(3, p.getProblemCount());
        assertEquals(List.of(new FileProblem("p0", "reason 0"), new FileProblem("p1", "reason 1"),
                new FileProblem("q0", "reason 0")), p.getProblems());
    }

    @Test
    void plus_problemsBeyondTheCap_listCappedCountExact() {
        BackupProgress p = BackupProgress.planned(0, 0, 0, 0, problems("p", 20)).plus(0, 0, problems("q", 30));
        assertEquals(50, p.getProblemCount());
        assertEquals(BackupProgress.MAX_LISTED_PROBLEMS, p.getProblems().size());
        assertEquals("p0", p.getProblems().get(0).getPath());
        assertEquals("q4", p.getProblems().get(BackupProgress.MAX_LISTED_PROBLEMS - 1).getPath());
    }

    @Test
    void plus_longProblems_listStaysWithinTheCharacterBudget() throws Exception {
        String longReason = "x".repeat(1_000);
        List<FileProblem> many = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(new FileProblem("dir/" + "y".repeat(500) + i, longReason));
        }

        BackupProgress p = BackupProgress.planned(0, 0, 0, 0, many);

        assertEquals(20, p.getProblemCount());
        assertEquals(2, p.getProblems().size());
        String json = new com.microsoft.durabletask.JacksonDataConverter().serialize(p);
        assertTrue(json.length() * 2 < 16 * 1024, "custom status " + json.length() + " chars fits 16 KB of UTF-16");
    }

    @Test
    void in_newPhase_onlyThePhaseChanges() {
        BackupProgress before = BackupProgress.planned(3, 30, 1, 10, problems("p", 1)).plus(2, 20, List.of());
        BackupProgress after = before.in(BackupProgress.Phase.COMPLETED);
        assertEquals(BackupProgress.Phase.COMPLETED, after.getPhase());
        assertEquals(List.of(3L, 30L, 2L, 20L, 1L, 10L, 1L), List.of(after.getFilesPlanned(), after.getBytesPlanned(),
                after.getFilesDone(), after.getBytesDone(), after.getFilesUnchanged(), after.getBytesUnchanged(),
                after.getProblemCount()));
        assertEquals(before.getProblems(), after.getProblems());
    }

    @Test
    void constructor_nullProblems_emptyList() {
        assertEquals(List.of(), new BackupProgress(BackupProgress.Phase.FAILED, 0, 0, 0, 0, 0, 0, 0, null).getProblems());
    }

    @Test
    void planned_exactCountBeyondTheProblemsGiven_countKeptListCapped() {
        BackupProgress p = BackupProgress.planned(0, 0, 5, 0, 1_000, problems("d", 200));
        assertEquals(1_000, p.getProblemCount());
        assertEquals(BackupProgress.MAX_LISTED_PROBLEMS, p.getProblems().size());
        assertEquals(1_003, p.plus(1, 1, problems("c", 3)).getProblemCount());
    }

    @Test
    void planned_countBelowTheProblemsGiven_rejectedNamingBoth() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BackupProgress.planned(0, 0, 0, 0, 1, problems("d", 2)));
        assertTrue(e.getMessage().contains("problemCount 1") && e.getMessage().contains("2 problems"), e.getMessage());
    }
}
