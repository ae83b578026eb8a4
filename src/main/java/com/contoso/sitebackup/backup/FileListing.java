package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The result of {@code GetFileList}: the files to copy, the files skipped because their blob is already
 * up to date, the entries that could not be taken, or an error that makes the whole backup impossible
 * (the root is missing or not allowed). An expected failure is a result, not an exception, so it is not
 * retried.
 *
 * <p>A small plan carries its files inline. A large one carries none: they are in a manifest of
 * {@code sliceCount} slices in blob storage, and {@code filesPlanned}/{@code bytesPlanned} give the totals,
 * so no payload and no history grows with the size of the tree.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class FileListing {
    private final String rootDirectory;
    private final List<FileEntry> files;
    private final List<FileProblem> problems;
    private final long filesUnchanged;
    private final long bytesUnchanged;
    private final String error;
    private final String manifest;
    private final int sliceCount;
    private final long filesPlanned;
    private final long bytesPlanned;

    @JsonCreator
    public FileListing(@JsonProperty("rootDirectory") String rootDirectory,
                       @JsonProperty("files") List<FileEntry> files,
                       @JsonProperty("problems") List<FileProblem> problems,
                       @JsonProperty("filesUnchanged") long filesUnchanged,
                       @JsonProperty("bytesUnchanged") long bytesUnchanged,
                       @JsonProperty("error") String error,
                       @JsonProperty("manifest") String manifest,
                       @JsonProperty("sliceCount") int sliceCount,
                       @JsonProperty("filesPlanned") long filesPlanned,
                       @JsonProperty("bytesPlanned") long bytesPlanned) {
        this.rootDirectory = rootDirectory;
        this.files = files == null ? List.of() : List.copyOf(files);
        this.problems = problems == null ? List.of() : List.copyOf(problems);
        this.filesUnchanged = filesUnchanged;
        this.bytesUnchanged = bytesUnchanged;
        this.error = error;
        this.manifest = manifest;
        this.sliceCount = sliceCount;
        this.filesPlanned = filesPlanned;
        this.bytesPlanned = bytesPlanned;
    }

    /** A listing of {@code files} under {@code rootDirectory}, none of them known to be unchanged. */
    public static FileListing of(String rootDirectory, List<FileEntry> files, List<FileProblem> problems) {
        return new FileListing(rootDirectory, files, problems, 0, 0, null, null, 0,
                files.size(), files.stream().mapToLong(FileEntry::getSize).sum());
    }

    /** A listing that refuses the whole backup, with a message that says why. */
    public static FileListing rejected(String error) {
        return new FileListing(null, List.of(), List.of(), 0, 0, error, null, 0, 0, 0);
    }

    public String getRootDirectory() {
        return rootDirectory;
    }

    /** The files to copy, sorted by path. */
    public List<FileEntry> getFiles() {
        return files == null ? List.of() : files;
    }

    /** Entries that were found but cannot be backed up, with the reason. */
    public List<FileProblem> getProblems() {
        return problems == null ? List.of() : problems;
    }

    public long getFilesUnchanged() {
        return filesUnchanged;
    }

    public long getBytesUnchanged() {
        return bytesUnchanged;
    }

    /** Why the backup cannot run at all, or null. */
    public String getError() {
        return error;
    }

    /** The manifest that holds the files of a large plan, or null when the files are inline. */
    public String getManifest() {
        return manifest;
    }

    /** How many slices the manifest has; 0 when the files are inline. */
    public int getSliceCount() {
        return sliceCount;
    }

    /** How many files are to be copied, inline or in the manifest. */
    public long getFilesPlanned() {
        return filesPlanned;
    }

    /** How many bytes are to be copied, inline or in the manifest. */
    public long getBytesPlanned() {
        return bytesPlanned;
    }

    /** This listing with only {@code toCopy} left to copy and the rest counted as unchanged. */
    public FileListing withUnchanged(List<FileEntry> toCopy, long unchangedFiles, long unchangedBytes) {
        return new FileListing(rootDirectory, toCopy, problems, unchangedFiles, unchangedBytes, error, null, 0,
                toCopy.size(), toCopy.stream().mapToLong(FileEntry::getSize).sum());
    }

    /** This listing with its files moved to {@code manifestId}, in {@code slices} slices. */
    public FileListing inManifest(String manifestId, int slices) {
        return new FileListing(rootDirectory, List.of(), problems, filesUnchanged, bytesUnchanged, error,
                manifestId, slices, filesPlanned, bytesPlanned);
    }
}
