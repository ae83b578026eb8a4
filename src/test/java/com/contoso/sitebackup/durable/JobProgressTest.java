package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobProgressTest {
    private static final String REPORT = "reports/i.jsonl";

    private static List<FileProblem> problems(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> new FileProblem(prefix + i, "reason " + i)).toList();
    }

    private static JobPlan plan(int files, long bytesEach, List<FileProblem> problems) {
        return new JobPlan("/root", "0f8fad5b-d9cb-469f-a165-70867728950e", files == 0 ? 0 : 1, files,
                files * bytesEach, 0, 0, problems.size(), problems, null, null);
    }

    /** What a fan-out achieved: {@code problems} and {@code failures} counted and listed. */
    private static FanOutSummary summary(long done, long bytes, List<FileProblem> problems, List<FileProblem> failures) {
        return new FanOutSummary(done, bytes, problems.size(), 0, failures.size(), problems, failures, false);
    }

    /** What a fan-out achieved with {@code warnings}: done files worth listing. */
    private static FanOutSummary withWarnings(long done, long bytes, List<FileProblem> problems,
                                              List<FileProblem> warnings) {
        List<FileProblem> listed = new java.util.ArrayList<>(problems);
        listed.addAll(warnings);
        return new FanOutSummary(done, bytes, problems.size(), warnings.size(), 0, listed, List.of(), false);
    }

    @Test
    void listing_beforeThePlan_allZeroInListingPhaseWithTheReport() {
        JobProgress p = JobProgress.listing(REPORT);
        assertEquals(JobProgress.Phase.LISTING, p.getPhase());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), List.of(p.getFilesPlanned(), p.getBytesPlanned(),
                p.getFilesDone(), p.getBytesDone(), p.getFilesUnchanged(), p.getBytesUnchanged(), p.getProblemCount(),
                p.getFailureCount()));
        assertEquals(REPORT, p.getReport());
    }

    @Test
    void planned_eachJob_itsOwnWorkingPhase() {
        assertEquals(JobProgress.Phase.COPYING, JobProgress.planned(JobKind.BACKUP, plan(1, 1, List.of()), REPORT).getPhase());
        assertEquals(JobProgress.Phase.RESTORING, JobProgress.planned(JobKind.RESTORE, plan(1, 1, List.of()), REPORT).getPhase());
        assertEquals(JobProgress.Phase.CHECKING, JobProgress.planned(JobKind.VERIFY, plan(1, 1, List.of()), REPORT).getPhase());
    }

    @Test
    void planned_withCountsAndUnchanged_carriesThePlan() {
        JobProgress p = JobProgress.planned(JobKind.BACKUP, plan(3, 100, problems("p", 1)).withUnchanged(2, 20), REPORT);
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
        JobProgress p = JobProgress.planned(JobKind.BACKUP, plan(0, 0, problems("p", 250)), REPORT);
        assertEquals(250, p.getProblemCount());
        assertEquals(problems("p", JobProgress.MAX_LISTED_PROBLEMS), p.getProblems());
    }

    @Test
    void plus_summaries_addDoneCountsAndListFailuresBeforeProblems() {
        JobProgress p = JobProgress.planned(JobKind.BACKUP, plan(10, 100, problems("p", 2)), REPORT)
                .plus(summary(4, 400, problems("q", 1), problems("f", 1)))
                .plus(summary(5, 500, List.of(), List.of()));
        assertEquals(9, p.getFilesDone());
        assertEquals(900, p.getBytesDone());
        assertEquals(3, p.getProblemCount());
        assertEquals(1, p.getFailureCount());
        assertEquals(List.of("p0", "p1", "f0", "q0"), p.getProblems().stream().map(FileProblem::getPath).toList());
    }

    /** Issue 21, item 8: a very long first path is cut to a line, not a reason to list nothing. */
    @Test
    void plus_longNames_eachCutSoEveryOneIsListed() {
        String longName = "x".repeat(5_000);
        JobProgress p = JobProgress.planned(JobKind.BACKUP, plan(0, 0, List.of()), REPORT)
                .plus(new FanOutSummary(0, 0, 4, 0, 0, List.of(new FileProblem(longName + 1, "r"),
                        new FileProblem(longName + 2, "r"), new FileProblem(longName + 3, "r"),
                        new FileProblem(longName + 4, "r")), List.of(), false));
        assertEquals(4, p.getProblemCount());
        assertEquals(4, p.getProblems().size(), "every problem listed, however long its path");
        assertTrue(p.getProblems().stream().allMatch(problem -> problem.getPath().length() == FileProblem.MAX_TEXT));
    }

    /** Control and bidirectional characters in a path never reach the status raw. */
    @Test
    void plus_controlCharactersInAPath_escapedInTheStatus() {
        JobProgress p = JobProgress.planned(JobKind.BACKUP, plan(0, 0, List.of()), REPORT)
                .plus(summary(0, 0, List.of(new FileProblem("line\nbreak", "r")), List.of()));
        assertEquals("line\\u000Abreak", p.getProblems().get(0).getPath());
    }

    @Test
    void finished_noProblems_completed() {
        JobProgress p = JobProgress.planned(JobKind.BACKUP, plan(1, 1, List.of()), REPORT)
                .plus(summary(1, 1, List.of(), List.of())).finished(JobKind.BACKUP, List.of());
        assertEquals(JobProgress.Phase.COMPLETED, p.getPhase());
        assertNull(p.getMessage());
    }

    @Test
    void finished_onlyExpectedProblems_completedWithProblems() {
        JobProgress p = JobProgress.planned(JobKind.RESTORE, plan(2, 1, List.of()), REPORT)
                .plus(summary(1, 1, problems("p", 1), List.of())).finished(JobKind.RESTORE, List.of());
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, p.getPhase());
    }

    /** A file restored unverified counts as done, is listed after problems, and the run is not a plain success. */
    @Test
    void finished_onlyWarnings_completedWithProblemsDoneCountedAndListed() {
        FanOutSummary summary = withWarnings(2, 20, problems("p", 1), problems("w", 1))
                .plus(withWarnings(1, 10, List.of(), problems("v", 1)));
        JobProgress p = JobProgress.planned(JobKind.RESTORE, plan(4, 10, List.of()), REPORT).plus(summary)
                .finished(JobKind.RESTORE, List.of());
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, p.getPhase());
        assertEquals(List.of(3L, 30L, 1L, 2L), List.of(p.getFilesDone(), p.getBytesDone(), p.getProblemCount(),
                p.getWarningCount()));
        assertEquals(List.of("p0", "w0", "v0"), p.getProblems().stream().map(FileProblem::getPath).toList());

        JobProgress warningsAlone = JobProgress.planned(JobKind.RESTORE, plan(1, 10, List.of()), REPORT)
                .plus(withWarnings(1, 10, List.of(), problems("w", 1)))
                .finished(JobKind.RESTORE, List.of());
        assertEquals(JobProgress.Phase.COMPLETED_WITH_PROBLEMS, warningsAlone.getPhase());
    }

    @Test
    void finished_failures_failedWithTheJobsOwnWordsTheFirstNamesAndTheReport() {
        FanOutSummary summary = summary(1, 1, List.of(), problems("f", 7));
        JobProgress p = JobProgress.planned(JobKind.RESTORE, plan(8, 1, List.of()), REPORT).plus(summary)
                .finished(JobKind.RESTORE, summary.failures());
        assertEquals(JobProgress.Phase.FAILED, p.getPhase());
        assertEquals("Restore incomplete: 7 of 8 files could not be restored: f0: reason 0; f1: reason 1; "
                + "f2: reason 2; f3: reason 3; f4: reason 4; and 2 more (every file in report reports/i.jsonl)",
                p.getMessage());
    }

    @Test
    void rejected_reason_failedWithTheJobsWords() {
        JobProgress p = JobProgress.rejected(JobKind.VERIFY, "rootDirectory is required", REPORT);
        assertEquals(JobProgress.Phase.FAILED, p.getPhase());
        assertEquals("Verification not started: rootDirectory is required", p.getMessage());
    }

    @Test
    void constructor_nullsFromASerializer_neverThrows() {
        JobProgress p = new JobProgress(null, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null);
        assertEquals(CodeVersion.CURRENT, p.getCodeVersion(), "a status names the code that wrote it");
        assertEquals(List.of(), p.getProblems());
        assertTrue(p.getReport() == null);
    }
}
