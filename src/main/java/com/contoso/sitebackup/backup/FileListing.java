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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class FileListing {
    private final String rootDirectory;
    private final List<FileEntry> files;
    private final List<FileProblem> problems;
    private final long filesUnchanged;
    private final long bytesUnchanged;
    private final String error;

    @JsonCreator
    public FileListing(@JsonProperty("rootDirectory") String rootDirectory,
                       @JsonProperty("files") List<FileEntry> files,
                       @JsonProperty("problems") List<FileProblem> problems,
                       @JsonProperty("filesUnchanged") long filesUnchanged,
                       @JsonProperty("bytesUnchanged") long bytesUnchanged,
                       @JsonProperty("error") String error) {
        this.rootDirectory = rootDirectory;
        this.files = files == null ? List.of() : List.copyOf(files);
        this.problems = problems == null ? List.of() : List.copyOf(problems);
        this.filesUnchanged = filesUnchanged;
        this.bytesUnchanged = bytesUnchanged;
        this.error = error;
    }

    /** A listing of {@code files} under {@code rootDirectory}, none of them known to be unchanged. */
    public static FileListing of(String rootDirectory, List<FileEntry> files, List<FileProblem> problems) {
        return new FileListing(rootDirectory, files, problems, 0, 0, null);
    }

    /** A listing that refuses the whole backup, with a message that says why. */
    public static FileListing rejected(String error) {
        return new FileListing(null, List.of(), List.of(), 0, 0, error);
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

    /** This listing with only {@code toCopy} left to copy and the rest counted as unchanged. */
    public FileListing withUnchanged(List<FileEntry> toCopy, long unchangedFiles, long unchangedBytes) {
        return new FileListing(rootDirectory, toCopy, problems, unchangedFiles, unchangedBytes, error);
    }
}
