package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
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
    /** The {@code unix} view's attributes read: numbers only, so no user or group name is looked up. */
    private static final String UNIX_ATTRIBUTES = "unix:mode,size,lastModifiedTime,uid,gid,fileKey";

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
     * The attributes of the last name of {@code path}, not following it if it is a link. Only ever called with a
     * path through a pinned directory's handle ({@code /proc/self/fd/N/name}), whose only link is the kernel's
     * own to the open directory.
     */
    static EntryAttributes read(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return new EntryAttributes((Integer) unix.get("mode"), (Long) unix.get("size"),
                ((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                Integer.toUnsignedLong((Integer) unix.get("uid")), Integer.toUnsignedLong((Integer) unix.get("gid")),
                unix.get("fileKey"));
    }
}
