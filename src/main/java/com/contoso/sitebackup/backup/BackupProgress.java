package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A backup's progress and, once it ends, its summary: the orchestration's custom status. Counts are of
 * files and bytes planned (to upload), done (uploaded), unchanged (skipped because the blob is up to
 * date) and the entries that did not make it, with the reason for each.
 *
 * <p>A restore and a verification report in the same shape: for a restore, planned and done are blobs to
 * restore and restored, problems the blobs not restored; for a verification, planned and done are files
 * to check by content and checked, unchanged the files the listings found identical, and problems every
 * difference found (missing, extra, different).
 *
 * <p>Durable Functions limits a custom status to 16 KB of UTF-16 text (8,192 characters), so the list of
 * problems carries at most {@link #MAX_LISTED_PROBLEMS} entries and {@link #MAX_LISTED_CHARACTERS}
 * characters; {@code problemCount} is always exact.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class BackupProgress {
    /** How many problems the status lists by name, at most. */
    public static final int MAX_LISTED_PROBLEMS = 25;
    /** How many characters of paths and reasons the status lists, at most. */
    public static final int MAX_LISTED_CHARACTERS = 4_000;

    /**
     * Where the run is: listing, then copying (a backup), restoring (a restore) or checking content (a
     * verification), then one of the ends.
     */
    public enum Phase { LISTING, COPYING, RESTORING, CHECKING, COMPLETED, DRY_RUN_COMPLETED, FAILED }

    private final Phase phase;
    private final long filesPlanned;
    private final long bytesPlanned;
    private final long filesDone;
    private final long bytesDone;
    private final long filesUnchanged;
    private final long bytesUnchanged;
    private final long problemCount;
    private final List<FileProblem> problems;

    @JsonCreator
    public BackupProgress(@JsonProperty("phase") Phase phase,
                          @JsonProperty("filesPlanned") long filesPlanned,
                          @JsonProperty("bytesPlanned") long bytesPlanned,
                          @JsonProperty("filesDone") long filesDone,
                          @JsonProperty("bytesDone") long bytesDone,
                          @JsonProperty("filesUnchanged") long filesUnchanged,
                          @JsonProperty("bytesUnchanged") long bytesUnchanged,
                          @JsonProperty("problemCount") long problemCount,
                          @JsonProperty("problems") List<FileProblem> problems) {
        this.phase = phase;
        this.filesPlanned = filesPlanned;
        this.bytesPlanned = bytesPlanned;
        this.filesDone = filesDone;
        this.bytesDone = bytesDone;
        this.filesUnchanged = filesUnchanged;
        this.bytesUnchanged = bytesUnchanged;
        this.problemCount = problemCount;
        this.problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** The status before the file list is known. */
    public static BackupProgress listing() {
        return new BackupProgress(Phase.LISTING, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    /** The status once the plan is known and nothing is copied yet. */
    public static BackupProgress planned(long files, long bytes, long unchangedFiles, long unchangedBytes,
                                         List<FileProblem> problems) {
        return planned(files, bytes, unchangedFiles, unchangedBytes, problems.size(), problems);
    }

    /**
     * The status once the plan is known, with {@code problemCount} problems of which {@code problems} are
     * the first (fewer when the caller itself keeps only the first few of a long list).
     */
    public static BackupProgress planned(long files, long bytes, long unchangedFiles, long unchangedBytes,
                                         long problemCount, List<FileProblem> problems) {
        if (problemCount < problems.size()) {
            throw new IllegalArgumentException("problemCount " + problemCount + " is less than the "
                    + problems.size() + " problems given");
        }
        return new BackupProgress(Phase.COPYING, files, bytes, 0, 0, unchangedFiles, unchangedBytes,
                problemCount, cap(problems));
    }

    /** This status with more files done and more problems. */
    public BackupProgress plus(long files, long bytes, List<FileProblem> newProblems) {
        List<FileProblem> all = new ArrayList<>(getProblems());
        all.addAll(newProblems);
        return new BackupProgress(phase, filesPlanned, bytesPlanned, filesDone + files, bytesDone + bytes,
                filesUnchanged, bytesUnchanged, problemCount + newProblems.size(), cap(all));
    }

    /** This status with what {@code copied} achieved: its files and bytes done, its failures then its problems. */
    public BackupProgress plus(CopySummary copied) {
        List<FileProblem> problems = new ArrayList<>(copied.getFailures());
        problems.addAll(copied.getProblems());
        return plus(copied.getFilesCopied(), copied.getBytesCopied(), problems);
    }

    /** This status in another phase. */
    public BackupProgress in(Phase newPhase) {
        return new BackupProgress(newPhase, filesPlanned, bytesPlanned, filesDone, bytesDone, filesUnchanged,
                bytesUnchanged, problemCount, problems);
    }

    private static List<FileProblem> cap(List<FileProblem> problems) {
        List<FileProblem> listed = new ArrayList<>();
        int characters = 0;
        for (FileProblem problem : problems) {
            characters += problem.getPath().length() + problem.getReason().length();
            if (listed.size() == MAX_LISTED_PROBLEMS || characters > MAX_LISTED_CHARACTERS) {
                break;
            }
            listed.add(problem);
        }
        return listed;
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

    public long getProblemCount() {
        return problemCount;
    }

    public List<FileProblem> getProblems() {
        return problems == null ? List.of() : problems;
    }
}
