package com.contoso.sitebackup.fs;

/**
 * What an entry of a tree is. A backup stores a regular file's bytes, a symbolic link's target (as AzCopy does:
 * the blob's content is the target, its metadata says {@code is_symlink}), and a directory, a named pipe and a
 * device node only in the run's snapshot manifest (they have no content: a folder comes back empty if it was, a
 * pipe or a device is made again with its recorded attributes). A socket is not an entry a backup records: it is
 * made by the program that listens on it.
 */
public enum EntryType {
    /** A regular file. */
    FILE(0100000),
    /** A directory. */
    DIRECTORY(0040000),
    /** A symbolic link, never followed: its target is recorded, and restored as a link. */
    SYMLINK(0120000),
    /** A named pipe (FIFO), never opened: recorded, and made again by a restore. */
    FIFO(0010000),
    /** A character device node, never opened: recorded with its device number, made again by a restore as root. */
    CHARACTER_DEVICE(0020000),
    /** A block device node, never opened: recorded with its device number, made again by a restore as root. */
    BLOCK_DEVICE(0060000);

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

    /** Whether an entry of this type has no content of its own: a named pipe or a device node. */
    public boolean isSpecial() {
        return this == FIFO || this == CHARACTER_DEVICE || this == BLOCK_DEVICE;
    }

    /** Whether this is a device node, which only root may make. */
    public boolean isDevice() {
        return this == CHARACTER_DEVICE || this == BLOCK_DEVICE;
    }

    /** The type {@code mode} (a whole {@code st_mode}) says, or null for a socket, which a backup does not record. */
    public static EntryType ofMode(int mode) {
        for (EntryType type : values()) {
            if ((mode & TYPE_MASK) == type.typeBits) {
                return type;
            }
        }
        return null;
    }
}
