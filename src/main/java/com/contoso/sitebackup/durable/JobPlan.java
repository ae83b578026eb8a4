package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a job's listing activity found: the files to work on (to copy, restore or check), what needed no
 * work, the entries that cannot be taken, or an {@code error} that makes the whole job impossible (a root
 * missing or not allowed). An expected outcome is a result, not an exception, so it is not retried.
 *
 * <p>A small plan carries its files inline. A large one carries none: they are in a manifest of
 * {@code sliceCount} slices in blob storage, and {@code filesPlanned}/{@code bytesPlanned} give the totals.
 * Problems are counted exactly and the first {@link #MAX_LISTED} named; the listing activity writes every one
 * to the run's problem report. So no payload and no history grows with the size of the tree.
 *
 * <p>A plan read from a backup snapshot's manifest names that {@code snapshot} (its id), so the job's later steps
 * read the same one whatever {@code latest} or {@code asOf} resolved to.
 *
 * <p>A result type: its constructor never throws, whatever a serializer hands it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class JobPlan {
    /** How many problems a plan names, at most. */
    public static final int MAX_LISTED = 25;

    private final String directory;
    private final List<FileEntry> files;
    private final String manifest;
    private final int sliceCount;
    private final long filesPlanned;
    private final long bytesPlanned;
    private final long filesUnchanged;
    private final long bytesUnchanged;
    private final long problemCount;
    private final List<FileProblem> problems;
    private final String error;
    private final String snapshot;

    /** A plan of the live listing (no snapshot). */
    public JobPlan(String directory, List<FileEntry> files, String manifest, int sliceCount, long filesPlanned,
                   long bytesPlanned, long filesUnchanged, long bytesUnchanged, long problemCount,
                   List<FileProblem> problems, String error) {
        this(directory, files, manifest, sliceCount, filesPlanned, bytesPlanned, filesUnchanged, bytesUnchanged,
                problemCount, problems, error, null);
    }

    @JsonCreator
    public JobPlan(@JsonProperty("directory") String directory,
                   @JsonProperty("files") List<FileEntry> files,
                   @JsonProperty("manifest") String manifest,
                   @JsonProperty("sliceCount") int sliceCount,
                   @JsonProperty("filesPlanned") long filesPlanned,
                   @JsonProperty("bytesPlanned") long bytesPlanned,
                   @JsonProperty("filesUnchanged") long filesUnchanged,
                   @JsonProperty("bytesUnchanged") long bytesUnchanged,
                   @JsonProperty("problemCount") long problemCount,
                   @JsonProperty("problems") List<FileProblem> problems,
                   @JsonProperty("error") String error,
                   @JsonProperty("snapshot") String snapshot) {
        this.directory = directory;
        this.files = files == null ? List.of() : files.stream().filter(f -> f != null).toList();
        this.manifest = manifest;
        this.sliceCount = sliceCount;
        this.filesPlanned = filesPlanned;
        this.bytesPlanned = bytesPlanned;
        this.filesUnchanged = filesUnchanged;
        this.bytesUnchanged = bytesUnchanged;
        this.problemCount = problemCount;
        this.problems = problems == null ? List.of()
                : problems.stream().filter(p -> p != null).limit(MAX_LISTED).toList();
        this.error = error;
        this.snapshot = snapshot;
    }

    /** A plan of {@code files} under {@code directory}, none known to be unchanged, with every problem found. */
    public static JobPlan of(String directory, List<FileEntry> files, List<FileProblem> problems) {
        return new JobPlan(directory, files, null, 0, files.size(), files.stream().mapToLong(FileEntry::getSize).sum(),
                0, 0, problems.size(), problems, null);
    }

    /** A plan that refuses the whole job, with a message that says why. */
    public static JobPlan rejected(String error) {
        return new JobPlan(null, List.of(), null, 0, 0, 0, 0, 0, 0, List.of(), error == null ? "rejected" : error);
    }

    /** This plan with {@code unchangedFiles} files of {@code unchangedBytes} bytes needing no work. */
    public JobPlan withUnchanged(long unchangedFiles, long unchangedBytes) {
        return new JobPlan(directory, files, manifest, sliceCount, filesPlanned, bytesPlanned, unchangedFiles,
                unchangedBytes, problemCount, problems, error, snapshot);
    }

    /** This plan as read from the backup snapshot {@code snapshotId}. */
    public JobPlan withSnapshot(String snapshotId) {
        return new JobPlan(directory, files, manifest, sliceCount, filesPlanned, bytesPlanned, filesUnchanged,
                bytesUnchanged, problemCount, problems, error, snapshotId);
    }

    /** The canonical directory the job reads or writes. */
    public String getDirectory() {
        return directory;
    }

    /** The files to work on, sorted by path; empty when they are in a manifest. */
    public List<FileEntry> getFiles() {
        return files == null ? List.of() : files;
    }

    /** The manifest that holds the files of a large plan, or null when the files are inline. */
    public String getManifest() {
        return manifest;
    }

    /** How many slices the manifest has; 0 when the files are inline. */
    public int getSliceCount() {
        return sliceCount;
    }

    public long getFilesPlanned() {
        return filesPlanned;
    }

    public long getBytesPlanned() {
        return bytesPlanned;
    }

    public long getFilesUnchanged() {
        return filesUnchanged;
    }

    public long getBytesUnchanged() {
        return bytesUnchanged;
    }

    /** Entries found that cannot be taken, exact. */
    public long getProblemCount() {
        return problemCount;
    }

    /** The first problems, at most {@link #MAX_LISTED}. */
    public List<FileProblem> getProblems() {
        return problems == null ? List.of() : problems;
    }

    /** Why the job cannot run at all, or null. */
    public String getError() {
        return error;
    }

    /** The id of the backup snapshot this plan was read from, or null for a plan of the live listing. */
    public String getSnapshot() {
        return snapshot;
    }
}
