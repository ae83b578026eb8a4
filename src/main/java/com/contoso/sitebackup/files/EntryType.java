package com.contoso.sitebackup.files;

/**
 * What an entry of a tree is. A backup stores a regular file's bytes, a symbolic link's target (as AzCopy does:
 * the blob's content is the target, its metadata says {@code is_symlink}), and a directory only in the run's
 * snapshot manifest (so empty folders come back).
 */
public enum EntryType {
    /** A regular file. */
    FILE,
    /** A directory. */
    DIRECTORY,
    /** A symbolic link, never followed: its target is recorded, and restored as a link. */
    SYMLINK
}
