package com.contoso.sitebackup.files;

/**
 * A walk of a directory tree that reports, as it goes, the regular files a filter accepts in {@link NameOrder}
 * (the order of their blob names), and every entry it cannot take. Nothing is collected: a walk of a million
 * files holds one folder's entries per level, so a listing activity can stream them into a manifest and merge
 * them with the backup's listing ({@link OrderedMerge}). The app's walk is {@link TreeWalker#FILES}; this
 * interface lets a test put something in the tree's way while the real walk runs.
 */
@FunctionalInterface
public interface FileWalk {
    /** Receives what the walk finds, in order. */
    interface Visitor {
        /** A regular file: its encoded path relative to the root ({@link BlobNameCodec}), size and mtime when listed. */
        void file(FileEntry file);

        /** An entry that is not taken (a link, a special file, something unreadable), and why, by encoded path. */
        void problem(FileProblem problem);
    }

    /**
     * Walks {@code root} and reports to {@code visitor} the regular files {@code filter} accepts (it sees the
     * relative paths as text), in {@link NameOrder} of their encoded paths, with the problems met on the way.
     *
     * @param root a directory opened through the allowed roots, left open for the caller to close
     */
    void walk(SecureDirectory root, PathFilter filter, Visitor visitor);
}
