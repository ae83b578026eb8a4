package com.contoso.sitebackup.files;

import java.nio.file.Path;

/**
 * A walk of a directory tree that reports, as it goes, the regular files a filter accepts in {@link NameOrder}
 * (the order of their blob names), and every entry it cannot take. Nothing is collected: a walk of a million
 * files holds one folder's entries per level, so a listing activity can stream them into a manifest and merge
 * them with the backup's listing ({@link OrderedMerge}).
 */
public interface FileWalk {
    /** Receives what the walk finds, in order. */
    interface Visitor {
        /** A regular file, its path relative to the root (forward slashes), size and mtime when listed. */
        void file(FileEntry file);

        /** An entry that is not taken (a link, a special file, something unreadable), and why. */
        void problem(FileProblem problem);
    }

    /**
     * Walks {@code root} and reports to {@code visitor} the regular files {@code filter} accepts, in
     * {@link NameOrder}, with the problems met on the way.
     *
     * @param root an existing directory, checked against the allowed roots by the caller (canonical path)
     */
    void walk(Path root, PathFilter filter, Visitor visitor);
}
