package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * The attributes of one entry itself, a link's own and never its target's ({@code lstat}), as
 * {@link SecureDirectory#entryAttributes} reads them: everything a {@link FileEntry} records, with numeric owner
 * and group.
 *
 * @param mode the whole {@code st_mode}: type bits ({@link EntryType#TYPE_MASK}) and permission bits
 * @param size bytes; a link's is its target's length
 * @param modtimeNanos the last-modified time in epoch nanoseconds
 * @param uid the numeric owner (0 to 2^32-1)
 * @param gid the numeric group (0 to 2^32-1)
 * @param fileKey the platform's identity of the entry (device and inode), compared by equals
 * @param nlink how many names the entry has (hard links; 1 for most)
 * @param deviceMajor a device node's major number (0 for anything else)
 * @param deviceMinor a device node's minor number (0 for anything else)
 */
public record EntryAttributes(int mode, long size, long modtimeNanos, long uid, long gid, Object fileKey, long nlink,
                              long deviceMajor, long deviceMinor) {
    /** The attributes of an entry with one name that is not a device. */
    public EntryAttributes(int mode, long size, long modtimeNanos, long uid, long gid, Object fileKey) {
        this(mode, size, modtimeNanos, uid, gid, fileKey, 1, 0, 0);
    }

    /** What the entry is; null for a socket. */
    public EntryType type() {
        return EntryType.ofMode(mode);
    }

    /**
     * The twelve mode bits a backup records: {@code rwxrwxrwx} with set-uid, set-gid and sticky. A restore gives
     * back the last three only when the operator allows it and it runs as root ({@link SecureDirectory#appliedMode}).
     */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isRegularFile() {
        return type() == EntryType.FILE;
    }

    public boolean isDirectory() {
        return type() == EntryType.DIRECTORY;
    }

    public boolean isSymbolicLink() {
        return type() == EntryType.SYMLINK;
    }

    /** The last-modified time at full precision. */
    public FileTime lastModifiedTime() {
        return FileTime.from(modtimeNanos, TimeUnit.NANOSECONDS);
    }

    /** The state that identifies this version of a regular file. */
    public FileState state() {
        return new FileState(size, lastModifiedTime(), fileKey);
    }

    /**
     * This entry as a {@link FileEntry} at {@code encodedPath}, with its type and every POSIX attribute. A
     * directory's, a named pipe's and a device's size is recorded as 0 (what {@code st_size} shows for them depends on
     * the file system); a link's size is its target's length in bytes and its target is encoded
     * ({@link PathCodec#encodeLinkTarget}); a device records its major and minor numbers; a regular file with more
     * than one name records how many it has ({@link FileEntry#getNlink}).
     *
     * @param linkTarget the link's target ({@link SecureDirectory#readSymbolicLink}); null for anything else
     */
    public FileEntry toEntry(String encodedPath, Path linkTarget) {
        EntryType type = type();
        if (type == null) {
            throw new IllegalStateException("'" + Printable.quote(encodedPath) + "' is a socket, which is not recorded");
        }
        if ((linkTarget != null) != (type == EntryType.SYMLINK)) {
            throw new IllegalArgumentException("linkTarget is required for a link and only for a link: '"
                    + Printable.quote(encodedPath) + "'");
        }
        long recordedSize = switch (type) {
            case FILE -> size;
            case SYMLINK -> PathCodec.linkTargetBytes(linkTarget).length;
            case DIRECTORY, FIFO, CHARACTER_DEVICE, BLOCK_DEVICE -> 0;
        };
        String target = linkTarget == null ? null : PathCodec.encodeLinkTarget(linkTarget);
        FileEntry entry = new FileEntry(encodedPath, recordedSize, Math.floorDiv(modtimeNanos, 1_000_000L))
                .withAttributes(type, modtimeNanos, permissions(), uid, gid, target);
        if (type.isDevice()) {
            entry = entry.withDevice(deviceMajor, deviceMinor);
        }
        if (type == EntryType.FILE && nlink > 1) {
            entry = entry.withNlink(nlink);
        }
        return entry;
    }

    /**
     * The attributes {@code stat} holds. The time is in nanoseconds since the epoch, which a long holds from 1677 to
     * 2262: a time outside that range is held as the nearest end (as {@link FileTime#to} does).
     */
    static EntryAttributes of(Stat stat) {
        return new EntryAttributes(stat.mode(), stat.size(), stat.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                stat.uid(), stat.gid(), stat.fileKey(), stat.nlink(), stat.rdevMajor(), stat.rdevMinor());
    }
}
