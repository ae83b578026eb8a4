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
 */
public record EntryAttributes(int mode, long size, long modtimeNanos, long uid, long gid, Object fileKey) {
    /** What the entry is; null for a named pipe, a device or a socket. */
    public EntryType type() {
        return EntryType.ofMode(mode);
    }

    /** The nine permission bits ({@code rwxrwxrwx}); set-id and sticky bits are not kept. */
    public int permissions() {
        return mode & 0777;
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
     * directory's size is recorded as 0 (what a folder's {@code st_size} shows depends on the file system); a
     * link's size is its target's length in bytes and its target is encoded ({@link PathCodec#encodeLinkTarget}).
     *
     * @param linkTarget the link's target ({@link SecureDirectory#readSymbolicLink}); null for anything else
     */
    public FileEntry toEntry(String encodedPath, Path linkTarget) {
        EntryType type = type();
        if (type == null) {
            throw new IllegalStateException("'" + Printable.quote(encodedPath) + "' is not a file, folder or link");
        }
        if ((linkTarget != null) != (type == EntryType.SYMLINK)) {
            throw new IllegalArgumentException("linkTarget is required for a link and only for a link: '"
                    + Printable.quote(encodedPath) + "'");
        }
        long recordedSize = switch (type) {
            case FILE -> size;
            case DIRECTORY -> 0;
            case SYMLINK -> PathCodec.linkTargetBytes(linkTarget).length;
        };
        String target = linkTarget == null ? null : PathCodec.encodeLinkTarget(linkTarget);
        return new FileEntry(encodedPath, recordedSize, Math.floorDiv(modtimeNanos, 1_000_000L))
                .withAttributes(type, modtimeNanos, permissions(), uid, gid, target);
    }

    /**
     * The attributes {@code stat} holds. The time is in nanoseconds since the epoch, which a long holds from 1677 to
     * 2262: a time outside that range is held as the nearest end (as {@link FileTime#to} does).
     */
    static EntryAttributes of(Stat stat) {
        return new EntryAttributes(stat.mode(), stat.size(), stat.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                stat.uid(), stat.gid(), stat.fileKey());
    }
}
