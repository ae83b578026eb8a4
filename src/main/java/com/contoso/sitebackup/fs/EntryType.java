package com.contoso.sitebackup.fs;

/**
 * What an entry of a tree is. A backup stores a regular file's bytes, a symbolic link's target (as AzCopy does:
 * the blob's content is the target, its metadata says {@code is_symlink}), and a directory only in the run's
 * snapshot manifest (so empty folders come back).
 */
public enum EntryType {
    /** A regular file. */
    FILE(0100000),
    /** A directory. */
    DIRECTORY(0040000),
    /** A symbolic link, never followed: its target is recorded, and restored as a link. */
    SYMLINK(0120000);

    /** The bits of {@code st_mode} that say what a file is ({@code S_IFMT}). */
    public static final int TYPE_MASK = 0170000;

    private final int typeBits;

    EntryType(int typeBits) {
        this.typeBits = typeBits;
    }

    /** This type's bits in {@code st_mode} ({@code S_IFREG}, {@code S_IFDIR}, {@code S_IFLNK}). */
    public int typeBits() {
        return typeBits;
    }

    /**
     * The type {@code mode} (a whole {@code st_mode}) says, or null for anything else (a named pipe, a device, a
     * socket), which a backup does not store.
     */
    public static EntryType ofMode(int mode) {
        for (EntryType type : values()) {
            if ((mode & TYPE_MASK) == type.typeBits) {
                return type;
            }
        }
        return null;
    }
}
