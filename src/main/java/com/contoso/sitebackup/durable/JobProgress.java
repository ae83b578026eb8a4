package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's progress and, once it ends, its summary: the orchestration's custom status, for a backup, a
 * restore and a verification alike. Planned and done count the files (and bytes) to copy, restore or check
 * by content; unchanged counts what needed no work (blobs already up to date; files the listings found
 * identical); problems are files not done for an expected reason (for a verification: every difference),
 * failures files that still failed after every retry, warnings files done with something to list about them
 * (restored without a Content-MD5 to check them against; counted among those done too). Counts are exact. The full lists are in the run's
 * problem {@code report} (a blob of JSON lines); {@code message} says why a run FAILED.
 *
 * <p>Durable Functions limits a custom status to 16 KB of UTF-16 text, so the status names at most
 * {@link #MAX_LISTED_PROBLEMS} problems and failures and {@link #MAX_LISTED_CHARACTERS} characters of them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class JobProgress {
    /** How many problems and failures the status names, at most. */
    public static final int MAX_LISTED_PROBLEMS = 25;
    /** How many characters of paths and reasons the status names, at most. */
    public static final int MAX_LISTED_CHARACTERS = 4_000;

    /**
     * Where the run is: listing, then copying (backup), restoring (restore) or checking (verification), then
     * an end: COMPLETED (nothing left out, nothing to list), COMPLETED_WITH_PROBLEMS (some files left out for
     * an expected reason, or done with a warning), DRY_RUN_COMPLETED, or FAILED (the run could not start, or files still failed after retries).
     */
    public enum Phase { LISTING, COPYING, RESTORING, CHECKING, COMPLETED, COMPLETED_WITH_PROBLEMS, DRY_RUN_COMPLETED, FAILED }

    private final Phase phase;
    private final long filesPlanned;
    private final long bytesPlanned;
    private final long filesDone;
    private final long bytesDone;
    private final long filesUnchanged;
    private final long bytesUnchanged;
    private final long problemCount;
    private final long failureCount;
    private final long warningCount;
    private final List<FileProblem> problems;
    private final String report;
    private final String message;
    private final String snapshot;
    private final int codeVersion;

    /** A status without a snapshot. */
    public JobProgress(Phase phase, long filesPlanned, long bytesPlanned, long filesDone, long bytesDone,
                       long filesUnchanged, long bytesUnchanged, long problemCount, long failureCount, long warningCount,
                       List<FileProblem> problems, String report, String message) {
        this(phase, filesPlanned, bytesPlanned, filesDone, bytesDone, filesUnchanged, bytesUnchanged, problemCount,
                failureCount, warningCount, problems, report, message, null, CodeVersion.CURRENT);
    }

    @JsonCreator
    public JobProgress(@JsonProperty("phase") Phase phase,
                       @JsonProperty("filesPlanned") long filesPlanned,
                       @JsonProperty("bytesPlanned") long bytesPlanned,
                       @JsonProperty("filesDone") long filesDone,
                       @JsonProperty("bytesDone") long bytesDone,
                       @JsonProperty("filesUnchanged") long filesUnchanged,
                       @JsonProperty("bytesUnchanged") long bytesUnchanged,
                       @JsonProperty("problemCount") long problemCount,
                       @JsonProperty("failureCount") long failureCount,
                       @JsonProperty("warningCount") long warningCount,
                       @JsonProperty("problems") List<FileProblem> problems,
                       @JsonProperty("report") String report,
                       @JsonProperty("message") String message,
                       @JsonProperty("snapshot") String snapshot,
                       @JsonProperty("codeVersion") int codeVersion) {
        this.phase = phase;
        this.filesPlanned = filesPlanned;
        this.bytesPlanned = bytesPlanned;
        this.filesDone = filesDone;
        this.bytesDone = bytesDone;
        this.filesUnchanged = filesUnchanged;
        this.bytesUnchanged = bytesUnchanged;
        this.problemCount = problemCount;
        this.failureCount = failureCount;
        this.warningCount = warningCount;
        this.problems = cap(problems == null ? List.of() : problems);
        this.report = report;
        this.message = message;
        this.snapshot = snapshot;
        this.codeVersion = codeVersion;
    }

    /** The status before anything is known; {@code report} is where the run's problems will be listed. */
    public static JobProgress listing(String report) {
        return new JobProgress(Phase.LISTING, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), report, null);
    }

    /** The status once {@code plan} is known and nothing is done yet: the job's working phase. */
    public static JobProgress planned(JobKind kind, JobPlan plan, String report) {
        return new JobProgress(kind.workingPhase(), plan.filesPlanned(), plan.bytesPlanned(), 0, 0,
                plan.filesUnchanged(), plan.bytesUnchanged(), plan.problemCount(), 0, 0, plan.problems(),
                report, null);
    }

    /**
     * This status with a second plan's work added: its files and bytes planned and unchanged, and its problems counted
     * and listed after the ones already listed (a verification that compares a tree, then reads the stored data).
     */
    public JobProgress plusPlanned(JobPlan plan) {
        List<FileProblem> listed = new ArrayList<>(getProblems());
        listed.addAll(plan.problems());
        return new JobProgress(phase, filesPlanned + plan.filesPlanned(), bytesPlanned + plan.bytesPlanned(),
                filesDone, bytesDone, filesUnchanged + plan.filesUnchanged(), bytesUnchanged + plan.bytesUnchanged(),
                problemCount + plan.problemCount(), failureCount, warningCount, listed, report, message, snapshot,
                codeVersion);
    }

    /** A run that could not start, and why. */
    public static JobProgress rejected(JobKind kind, String reason, String report) {
        return new JobProgress(Phase.FAILED, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), report, kind.rejectedMessage(reason));
    }

    /**
     * This status with what {@code summary} achieved: its files and bytes done, and listed its failures, then its
     * problems and warnings.
     */
    public JobProgress plus(FanOutSummary summary) {
        List<FileProblem> listed = new ArrayList<>(getProblems());
        listed.addAll(summary.failures());
        listed.addAll(summary.problems());
        return new JobProgress(phase, filesPlanned, bytesPlanned, filesDone + summary.filesDone(),
                bytesDone + summary.bytesDone(), filesUnchanged, bytesUnchanged,
                problemCount + summary.problemCount(), failureCount + summary.failureCount(),
                warningCount + summary.warningCount(), listed, report, message, snapshot, codeVersion);
    }

    /**
     * This status at its end: FAILED naming the first failures when any file failed after every retry,
     * COMPLETED_WITH_PROBLEMS when files were left out for an expected reason or done with a warning, else
     * COMPLETED.
     */
    public JobProgress finished(JobKind kind, List<FileProblem> firstFailures) {
        if (failureCount > 0) {
            return in(Phase.FAILED).withMessage(kind.failureMessage(failureCount, filesPlanned, firstFailures, report));
        }
        return in(problemCount > 0 || warningCount > 0 ? Phase.COMPLETED_WITH_PROBLEMS : Phase.COMPLETED);
    }

    /** This status in another phase. */
    public JobProgress in(Phase newPhase) {
        return new JobProgress(newPhase, filesPlanned, bytesPlanned, filesDone, bytesDone, filesUnchanged,
                bytesUnchanged, problemCount, failureCount, warningCount, problems, report, message, snapshot, codeVersion);
    }

    /** This status naming the backup snapshot the run wrote (or the restore or verify read). */
    public JobProgress withSnapshot(String snapshotId) {
        return new JobProgress(phase, filesPlanned, bytesPlanned, filesDone, bytesDone, filesUnchanged,
                bytesUnchanged, problemCount, failureCount, warningCount, problems, report, message, snapshotId, codeVersion);
    }

    /**
     * This status with {@code text} added to its message (kept in its phase): something the run could not do that
     * does not change its outcome.
     */
    public JobProgress withNote(String text) {
        return withMessage(message == null ? text : message + "; " + text);
    }

    /** This status failed with {@code reason}, its counts kept. */
    public JobProgress failedWith(String reason) {
        return in(Phase.FAILED).withMessage(reason);
    }

    private JobProgress withMessage(String newMessage) {
        return new JobProgress(phase, filesPlanned, bytesPlanned, filesDone, bytesDone, filesUnchanged,
                bytesUnchanged, problemCount, failureCount, warningCount, problems, report, newMessage, snapshot, codeVersion);
    }

    /**
     * The first problems, each cut to a line ({@link FileProblem#clipped}) so that a very long path never hides the
     * others, within {@link #MAX_LISTED_PROBLEMS} entries and {@link #MAX_LISTED_CHARACTERS} characters.
     */
    private static List<FileProblem> cap(List<FileProblem> problems) {
        List<FileProblem> listed = new ArrayList<>();
        int characters = 0;
        for (FileProblem problem : problems) {
            if (problem == null) {
                continue;
            }
            FileProblem clipped = problem.clipped();
            characters += clipped.getPath().length() + clipped.getReason().length();
            if (listed.size() == MAX_LISTED_PROBLEMS || characters > MAX_LISTED_CHARACTERS) {
                break;
            }
            listed.add(clipped);
        }
        return List.copyOf(listed);
    }

    public Phase getPhase() {
        return phase;
    }

    public long getFilesPlanned() {
        return filesPlanned;
    }

    public long getBytesPlanned() {
        return bytesPlanned;
    }

    public long getFilesDone() {
        return filesDone;
    }

    public long getBytesDone() {
        return bytesDone;
    }

    public long getFilesUnchanged() {
        return filesUnchanged;
    }

    public long getBytesUnchanged() {
        return bytesUnchanged;
    }

    /** Files left out for an expected reason (for a verification: differences), exact. */
    public long getProblemCount() {
        return problemCount;
    }

    /** Files that failed after every retry, exact. */
    public long getFailureCount() {
        return failureCount;
    }

    /** Files done with a warning (restored unverified), counted in {@link #getFilesDone()} too, exact. */
    public long getWarningCount() {
        return warningCount;
    }

    /** The first failures, problems and warnings, at most {@link #MAX_LISTED_PROBLEMS}. */
    public List<FileProblem> getProblems() {
        return problems == null ? List.of() : problems;
    }

    /** The blob that lists every problem, failure and warning of the run, one JSON object a line. */
    public String getReport() {
        return report;
    }

    /** Why the run FAILED, or null. */
    public String getMessage() {
        return message;
    }

    /** The backup snapshot the run wrote, or the one a restore or verify read; null when none. */
    public String getSnapshot() {
        return snapshot;
    }

    /** The code version the run was started with ({@link CodeVersion}). */
    public int getCodeVersion() {
        return codeVersion;
    }
}
