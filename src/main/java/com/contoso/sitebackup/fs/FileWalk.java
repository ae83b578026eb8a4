package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.filter.PathFilter;

/**
 * A walk of a directory tree that reports, as it goes, the regular files, folders and links a filter accepts in
 * {@link NameOrder} (the order of their blob names), each with its POSIX attributes, and every entry it cannot take. Nothing is collected: a walk of a million
 * files holds one folder's entries per level, so a listing activity can stream them into a manifest and merge
 * them with the backup's listing ({@link OrderedMerge}). The app's walk is {@link TreeWalker#FILES}; this
 * interface lets a test put something in the tree's way while the real walk runs.
 */
@FunctionalInterface
public interface FileWalk {
    /**
     * Receives what the walk finds, in order. Every entry carries its type and POSIX attributes (nanosecond mtime,
     * permission bits, numeric owner and group). A visitor that takes only files keeps the defaults: folders are
     * passed over and links reported as problems.
     */
    interface Visitor {
        /**
         * A regular file: its encoded path relative to the root ({@link PathCodec}), size and mtime when listed; a
         * later name of a file with several names comes as a hard link to the first ({@link FileEntry#getHardLink}).
         */
        void file(FileEntry file);

        /** An entry that is not taken (a link, a special file, something unreadable), and why, by encoded path. */
        void problem(FileProblem problem);

        /** A folder, before anything in it (its size is 0). Ignored unless overridden. */
        default void directory(FileEntry directory) {
        }

        /**
         * A symbolic link, never followed: its target encoded ({@link PathCodec#encodeLinkTarget}), its size the
         * target's length in bytes. Unless overridden, reported as a problem ("symbolic link, not followed").
         */
        default void link(FileEntry link) {
            problem(new FileProblem(link.getPath(), SecureDirectory.LINK_NOT_FOLLOWED));
        }

        /**
         * A named pipe or a device node, never opened (its size 0, a device with its number). Unless overridden,
         * reported as a problem ("not a regular file or folder"), as a walk always reported them.
         */
        default void special(FileEntry special) {
            problem(new FileProblem(special.getPath(), SecureDirectory.NOT_FILE_OR_FOLDER));
        }

        /**
         * Something about an entry the walk lists (reported before it) that is not recorded: extended attributes
         * beyond the bounds, hard links beyond the walk's memory. Ignored unless overridden.
         */
        default void note(FileProblem note) {
        }
    }

    /**
     * Walks {@code root} and reports to {@code visitor} the regular files, folders and links {@code filter}
     * accepts (it sees the relative paths as text), in {@link NameOrder} of their encoded paths, with the problems
     * met on the way. The root itself is not reported.
     *
     * @param root a directory opened through the allowed roots, left open for the caller to close
     */
    void walk(SecureDirectory root, PathFilter filter, Visitor visitor);
}
