package com.contoso.sitebackup.files;

import java.util.List;

/** What a walk of a directory found: its regular files and the entries it could not take, both by path. */
public final class DirectoryListing {
    private final List<FileEntry> files;
    private final List<FileProblem> problems;

    public DirectoryListing(List<FileEntry> files, List<FileProblem> problems) {
        this.files = List.copyOf(files);
        this.problems = List.copyOf(problems);
    }

    /** The regular files, sorted by path. */
    public List<FileEntry> getFiles() {
        return files;
    }

    /** Entries found that cannot be taken (links, unreadable entries, special files), sorted by path. */
    public List<FileProblem> getProblems() {
        return problems;
    }
}
