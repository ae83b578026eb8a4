package com.contoso.sitebackup.fs;

import java.nio.ByteBuffer;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * What {@code statx} tells of one entry (never following a link, unless asked): the whole {@code st_mode}, numeric
 * owner and group, size, times to the nanosecond and identity. The {@link BasicFileAttributes} that
 * {@link SecureDirectory#attributes} returns.
 *
 * @param mode type and permission bits
 * @param uid the numeric owner (0 to 2^32-1)
 * @param gid the numeric group (0 to 2^32-1)
 * @param size bytes
 * @param mtimeSeconds the last-modified time, seconds since the epoch
 * @param mtimeNanos its nanoseconds (0 to 999,999,999)
 * @param atimeSeconds the last-access time, seconds since the epoch
 * @param atimeNanos its nanoseconds
 * @param fileKey device and inode
 * @param nlink how many names the entry has (hard links)
 * @param rdevMajor a device node's major number (0 for anything else)
 * @param rdevMinor a device node's minor number (0 for anything else)
 */
record Stat(int mode, long uid, long gid, long size, long mtimeSeconds, int mtimeNanos, long atimeSeconds,
            int atimeNanos, FileKey fileKey, long nlink, long rdevMajor, long rdevMinor) implements BasicFileAttributes {

    /** Reads a {@code struct statx} (one layout on every Linux architecture). */
    static Stat of(ByteBuffer statx) {
        return new Stat(statx.getShort(28) & 0xffff, Integer.toUnsignedLong(statx.getInt(20)),
                Integer.toUnsignedLong(statx.getInt(24)), statx.getLong(40), statx.getLong(112), statx.getInt(120),
                statx.getLong(64), statx.getInt(72),
                FileKey.of(Integer.toUnsignedLong(statx.getInt(136)), Integer.toUnsignedLong(statx.getInt(140)),
                        statx.getLong(32)),
                Integer.toUnsignedLong(statx.getInt(16)), Integer.toUnsignedLong(statx.getInt(128)),
                Integer.toUnsignedLong(statx.getInt(132)));
    }

    /** What the entry is; null for a socket. */
    EntryType type() {
        return EntryType.ofMode(mode);
    }

    /** The twelve permission bits: {@code rwxrwxrwx}, set-uid, set-gid and sticky. */
    int permissionBits() {
        return mode & 07777;
    }

    /** The nine {@code rwxrwxrwx} bits as a set. */
    Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            // OWNER_READ is the first constant and bit 0400.
            if ((mode & (0400 >> i)) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(Instant.ofEpochSecond(mtimeSeconds, mtimeNanos));
    }

    @Override
    public FileTime lastAccessTime() {
        return FileTime.from(Instant.ofEpochSecond(atimeSeconds, atimeNanos));
    }

    /** Linux's {@code stat} has no creation time: the last-modified time, as the JDK reports it then. */
    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return type() == EntryType.FILE;
    }

    @Override
    public boolean isDirectory() {
        return type() == EntryType.DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return type() == EntryType.SYMLINK;
    }

    /** A named pipe, a device or a socket: none of a file, a folder or a link. */
    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
    }
}
