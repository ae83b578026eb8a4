package com.contoso.sitebackup.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * A restore's temporary file: created exclusively with mode 0600 in a pinned {@link SecureDirectory}, written
 * through its one handle, then given its final name in the same directory, relative to the pinned handle
 * ({@link #moveTo}: a rename; when nothing may be replaced, first a claim on the name). Closing it before that
 * removes it.
 *
 * <p>Before its time or permissions are set and before it is moved, the name is checked to still be the very
 * file written (same file key, same size as the handle): anything else put under that name meanwhile is
 * refused, not moved into place. Owner, mode and time are then set on the file's own handle ({@code fchown},
 * {@code fchmod}, {@code futimens}), never through its name, and every value is checked where it is used: a
 * mode keeps its nine permission bits unless the write roots allow set-id bits and the process runs as root
 * ({@link SecureDirectory#appliedMode}), ids and times out of range are refused.
 *
 * <p><b>Names.</b> Every temporary file of the app is named {@value #PREFIX} and then either a random UUID
 * ({@link #newName()}) or, for a file of a restore's batch, the run's manifest id, the batch and the position of the
 * file in it ({@link #nameFor}): {@code .restoring-<manifest>-<batch>-<position>}, so a later delivery of the same
 * file finds the one an earlier delivery left (its worker killed mid-download) by its name and removes it
 * ({@link #create}), and the end of the run finds every one of its own ({@link #isOfRun}, {@link #sweep}). A file
 * of this process that is still open under such a name is never removed ({@link #isOpenHere}).
 */
public final class TemporaryFile implements AutoCloseable {
    /** What every temporary file's name starts with. */
    public static final String PREFIX = ".restoring-";
    private static final String UUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    /**
     * A temporary file's whole name: a UUID alone (no run), or a run's manifest id, a batch and a position, and a UUID
     * when another delivery of this process held the name at that moment.
     */
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(?:(" + UUID_TEXT + ")|("
            + UUID_TEXT + ")-(\\d{1,9})-(\\d{1,9})(?:-" + UUID_TEXT + ")?)");
    /** The file keys of the temporary files this process holds open now. */
    private static final Set<Object> OPEN = ConcurrentHashMap.newKeySet();
    /**
     * How old a placeholder must be to count as left behind: a claim lives from the moment a downloaded and checked
     * file is ready to the rename right after it, milliseconds.
     */
    public static final Duration STALE_PLACEHOLDER = Duration.ofMinutes(1);

    /** How many temporary files this process has created: each one's place in that order. */
    private static final AtomicLong CREATED = new AtomicLong();
    /**
     * The file systems a batch's files are made durable on together, by one {@code syncfs} ({@link #forceAll}), by
     * their {@code f_type}: local file systems whose {@code syncfs} writes back every dirty page and inode and then
     * commits the journal and flushes the device's cache, as {@code fsync} of each file would (ext2/3/4, XFS, Btrfs,
     * F2FS; overlayfs syncs its upper layer; tmpfs has no disk). Over SMB, NFS or FUSE a {@code syncfs} need not reach
     * the server's disk as each file's {@code fsync} does, so there every file is flushed by itself.
     */
    private static final Set<Long> SYNCFS_FILE_SYSTEMS = Set.of(0xEF53L, 0x58465342L, 0x9123683EL, 0xF2F52010L,
            0x794C7630L, 0x01021994L);
    /**
     * Whether the kernel reports to {@code syncfs} a write-back that failed after the descriptor was opened: Linux
     * 5.8 and later; before that {@code syncfs} returns 0 whatever happened, so every file is flushed by itself.
     */
    private static final boolean SYNCFS_REPORTS_ERRORS = kernelAtLeast(System.getProperty("os.version", ""), 5, 8);

    private final SecureDirectory directory;
    private final Path name;
    private final HandleChannel channel;
    private final Object fileKey;
    private final long order = CREATED.incrementAndGet();
    private boolean moved;

    TemporaryFile(SecureDirectory directory, Path name, HandleChannel channel, Object fileKey) {
        this.directory = directory;
        this.name = name;
        this.channel = channel;
        this.fileKey = fileKey;
        OPEN.add(fileKey);
    }

    /** Whether the Linux version {@code version} ("6.1.0-18-amd64") is {@code major.minor} or later. */
    static boolean kernelAtLeast(String version, int major, int minor) {
        Matcher matcher = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
        if (!matcher.find()) {
            return false;
        }
        int hasMajor = Integer.parseInt(matcher.group(1));
        int hasMinor = Integer.parseInt(matcher.group(2));
        return hasMajor > major || (hasMajor == major && hasMinor >= minor);
    }

    /**
     * Makes the content and attributes of every file of {@code files} durable, a batch's files together, before any
     * of them is given its name ({@link #moveTo}), so that a crash never leaves a final name on a file whose bytes
     * were in memory only.
     *
     * <p>The files are grouped by the file system they are on (their device). A group of more than one file on a file
     * system whose {@code syncfs} is as strong as {@code fsync} (see {@link #SYNCFS_FILE_SYSTEMS}), on a kernel that
     * reports write-back errors to it, is flushed by one {@code syncfs} through the handle of the group's file created
     * first: it returns once every dirty page and inode of that file system, so each file's bytes and attributes, is
     * on the disk and the journal committed, and it fails when any write-back of that file system failed since that
     * handle was opened, so since every file of the group was created: then every file of the group fails here and
     * none is named. Any other file is flushed by its own {@code fsync}, the files in parallel on {@code pool} (the
     * journal takes concurrent flushes in one commit).
     *
     * @return for each file, in order, null when it is on the disk, else why not (it must not be named)
     */
    public static List<Exception> forceAll(List<TemporaryFile> files, Executor pool) {
        List<Exception> failures = new ArrayList<>(java.util.Collections.nCopies(files.size(), null));
        Map<Long, List<Integer>> byDevice = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Object key = files.get(i).fileKey;
            long device = key instanceof FileKey fk ? fk.dev() : -1;
            byDevice.computeIfAbsent(device, d -> new ArrayList<>()).add(i);
        }
        List<Integer> eachByItself = new ArrayList<>();
        for (List<Integer> group : byDevice.values()) {
            TemporaryFile first = files.get(group.get(0));
            for (int i : group) {
                if (files.get(i).order < first.order) {
                    first = files.get(i);
                }
            }
            boolean together;
            try {
                together = group.size() > 1 && first.syncFileSystem();
            } catch (IOException | RuntimeException e) {
                for (int i : group) {
                    failures.set(i, e);
                }
                continue;
            }
            if (!together) {
                eachByItself.addAll(group);
            }
        }
        List<FutureTask<Void>> tasks = new ArrayList<>(eachByItself.size());
        for (int i : eachByItself) {
            TemporaryFile file = files.get(i);
            FutureTask<Void> task = new FutureTask<>(() -> {
                file.force();
                return null;
            });
            tasks.add(task);
            pool.execute(task);
        }
        for (int t = 0; t < tasks.size(); t++) {
            try {
                tasks.get(t).get();
            } catch (ExecutionException e) {
                failures.set(eachByItself.get(t), e.getCause() instanceof Exception cause ? cause
                        : new IllegalStateException(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.set(eachByItself.get(t), e);
            }
        }
        return failures;
    }

    /**
     * Whether the files of this file's file system are made durable together ({@link #forceAll}): by one
     * {@code syncfs} rather than one {@code fsync} each.
     */
    public boolean syncsTogether() throws IOException {
        return SYNCFS_REPORTS_ERRORS && SYNCFS_FILE_SYSTEMS.contains(use(fd -> Posix.fileSystemType(fd, display())));
    }

    /** One {@code syncfs} of this file's file system when {@link #syncsTogether()}; false (nothing done) otherwise. */
    private boolean syncFileSystem() throws IOException {
        if (!syncsTogether()) {
            return false;
        }
        use(fd -> {
            Posix.syncfs(fd, display());
            return null;
        });
        return true;
    }

    /** A temporary name of no run: {@value #PREFIX} and a random UUID. */
    public static Path newName() {
        return Path.of(PREFIX + UUID.randomUUID());
    }

    /**
     * The temporary name of the file at {@code position} of batch {@code batch} of the restore whose manifest is
     * {@code run} (a UUID): the same for every delivery of that file.
     */
    public static Path nameFor(String run, int batch, int position) {
        if (run == null || !run.matches(UUID_TEXT) || batch < 0 || position < 0) {
            throw new IllegalArgumentException("a temporary name needs a run's manifest id, a batch and a position");
        }
        return Path.of(PREFIX + run + "-" + batch + "-" + position);
    }

    /** Whether {@code name} is a name this app gives its temporary files (any run, or none). */
    public static boolean isTemporaryName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Whether {@code name} is the name of a temporary file of the restore whose manifest is {@code run}. */
    public static boolean isOfRun(String name, String run) {
        if (name == null || run == null) {
            return false;
        }
        Matcher matcher = NAME.matcher(name);
        return matcher.matches() && run.equals(matcher.group(2));
    }

    /**
     * A new temporary file named for the file at {@code position} of batch {@code batch} of the run {@code run}
     * ({@link #nameFor}) in {@code directory}. When that name is taken by a temporary file this process does not hold
     * open, that one was left by an earlier delivery of the same file (a worker killed mid-download, say) and is
     * removed first; when this process holds it open (a duplicate delivery at this very moment), or something else
     * holds the name, the new file gets a UUID after it.
     */
    public static TemporaryFile create(SecureDirectory directory, String run, int batch, int position)
            throws IOException {
        Path name = nameFor(run, batch, position);
        try {
            return directory.createTemporaryFile(name);
        } catch (FileAlreadyExistsException taken) {
            if (removeIfLeft(directory, name)) {
                try {
                    return directory.createTemporaryFile(name);
                } catch (FileAlreadyExistsException again) {
                    // Made again meanwhile by another delivery: this one takes a name of its own below.
                }
            }
        }
        return directory.createTemporaryFile(Path.of(name + "-" + UUID.randomUUID()));
    }

    /**
     * Whether the entry {@code name} of {@code directory} is a temporary file that this process holds open: the
     * work of a delivery that is still going on here.
     */
    public static boolean isOpenHere(SecureDirectory directory, Path name) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = directory.attributes(name);
        } catch (NoSuchFileException gone) {
            return false;
        }
        return attributes.fileKey() != null && OPEN.contains(attributes.fileKey());
    }

    /**
     * Removes the temporary entries in {@code directory} whose names {@code which} selects (only names this app gives
     * its temporary entries are looked at): regular files that this process does not hold open, and the links and
     * special files an overwrite makes under such a name before renaming them over the one they replace
     * ({@link SecureDirectory#replaceWithSymbolicLink}); an entry is removed by its name, never followed, and a
     * folder never is. Returns how many it removed.
     */
    public static int sweep(SecureDirectory directory, Predicate<String> which) throws IOException {
        int removed = 0;
        for (Path name : directory.names()) {
            String text = name.toString();
            if (isTemporaryName(text) && which.test(text) && removeIfLeft(directory, name)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Removes the entry {@code name} unless it is a folder or a regular file this process holds open; whether it was
     * removed.
     */
    private static boolean removeIfLeft(SecureDirectory directory, Path name) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = directory.attributes(name);
        } catch (NoSuchFileException gone) {
            return false;
        }
        if (attributes.isDirectory() || attributes.isRegularFile()
                && (attributes.fileKey() == null || OPEN.contains(attributes.fileKey()))) {
            return false;
        }
        try {
            directory.deleteFile(name);
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** The temporary name in its directory. */
    public Path name() {
        return name;
    }

    /** The write handle (positioned at the end of what was written). */
    public SeekableByteChannel channel() {
        return channel;
    }

    /** A stream writing to the handle; closing the stream closes the handle (the file stays until moved or closed). */
    public OutputStream outputStream() {
        return Channels.newOutputStream(channel);
    }

    /** Flushes the content to the disk, so a rename cannot publish a file whose bytes are still in memory only. */
    public void force() throws IOException {
        use(fd -> {
            Posix.fsync(fd, display());
            return null;
        });
    }

    /**
     * Sets the numeric owner and group the file will have under its final name, on its handle, when the process
     * runs as root ({@link SecureDirectory#canSetOwner()}); otherwise does nothing (the file stays the process's).
     * Set it before the permissions: a change of owner clears set-id bits.
     *
     * @throws IllegalArgumentException when an id is not 0 to 4294967294 (nothing is set)
     */
    public void setOwner(long uid, long gid) throws IOException {
        int owner = SecureDirectory.id(uid);
        int group = SecureDirectory.id(gid);
        checkStillOurs();
        if (SecureDirectory.canSetOwner()) {
            use(fd -> {
                Posix.fchown(fd, owner, group, display());
                return null;
            });
        }
    }

    /**
     * Sets the modification time (the one recorded at backup time), to the nanosecond, on the file's handle.
     *
     * @throws IllegalArgumentException when the time is outside what a file system holds ({@link FileEntry#check})
     */
    public void setLastModified(FileTime time) throws IOException {
        long nanos = time.to(TimeUnit.NANOSECONDS);
        FileEntry.checkNanos("lastModified", nanos);
        checkStillOurs();
        setTime(nanos);
    }

    /**
     * Sets the permissions the file will have under its final name (it is created 0600, so that no one else
     * can read it while it is written).
     */
    public void setPermissions(Set<PosixFilePermission> permissions) throws IOException {
        int bits = 0;
        for (PosixFilePermission permission : permissions) {
            bits |= 0400 >> permission.ordinal();
        }
        int mode = bits;
        checkStillOurs();
        use(fd -> {
            Posix.fchmod(fd, mode, display());
            return null;
        });
    }

    /**
     * Gives the file the owner and group (as root only), mode and nanosecond mtime {@code recorded} holds, as
     * {@link SecureDirectory#setAttributes} would, on the file's own handle once the name is checked to still be
     * the file written: a restore of a backup snapshot, before the file gets its name. Every value is checked
     * first ({@link FileEntry#check}); the mode is limited as {@link SecureDirectory#appliedMode} says.
     *
     * @throws IllegalArgumentException when a recorded value is out of range (nothing is set)
     * @throws FileSystemException when the entry was not recorded as a file, or the name is no longer this file
     */
    public void setAttributes(FileEntry recorded) throws IOException {
        recorded.check();
        if (recorded.getEntryType() != EntryType.FILE) {
            throw new FileSystemException(display(), null, "not the " + recorded.getEntryType().name()
                    .toLowerCase(java.util.Locale.ROOT) + " whose attributes were recorded; nothing set");
        }
        Integer mode = recorded.getMode() == null ? null : directory.appliedMode(recorded.getMode());
        int owner = SecureDirectory.id(recorded.getUid());
        int group = SecureDirectory.id(recorded.getGid());
        long nanos = recorded.modtimeNanosOrMillis();
        checkStillOurs();
        use(fd -> {
            if (SecureDirectory.canSetOwner() && (owner != -1 || group != -1)) {
                Posix.fchown(fd, owner, group, display());
            }
            if (mode != null) {
                Posix.fchmod(fd, mode, display());
            }
            return null;
        });
        setTime(nanos);
    }

    /**
     * Gives the file the extended attributes {@code recorded} holds ({@link ExtendedAttributes}) on its own handle
     * ({@code fsetxattr}), once the name is checked to still be the file written; before its mode, which may make it
     * read-only. Attributes a file system does not take are a warning, never a failure: the file is restored.
     *
     * @return null when every attribute was set (or none is recorded), else the warning
     * @throws IllegalArgumentException when the recorded attributes are out of bounds (nothing is set)
     */
    public String setExtendedAttributes(FileEntry recorded) throws IOException {
        java.util.List<ExtendedAttributes.Attribute> attributes = ExtendedAttributes.decode(recorded.getXattrs());
        if (attributes.isEmpty()) {
            return null;
        }
        checkStillOurs();
        return use(fd -> ExtendedAttributes.set(attributes, (name, value) -> Posix.setAttribute(fd, name, value)));
    }

    private void setTime(long nanos) throws IOException {
        use(fd -> {
            Posix.futimens(fd, Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L), display());
            return null;
        });
    }

    private <T> T use(Descriptor.Use<T> use) throws IOException {
        return channel.descriptor().use(use);
    }

    private String display() {
        return Posix.display(name);
    }

    /**
     * Gives the file the name {@code target} in the same directory, atomically. With {@code replace}, by a rename
     * that replaces whatever entry has that name (a link is replaced, never followed).
     *
     * <p>Without {@code replace}, an existing entry is never replaced, even one created a moment before. Where the
     * file system can ({@code renameat2} with {@code RENAME_NOREPLACE}: ext4, XFS, Btrfs, tmpfs, ...), one rename that
     * fails with FileAlreadyExistsException when the name exists does it. Elsewhere the name is first claimed by
     * creating an empty file of mode {@code -w-------} there exclusively ({@code O_CREAT|O_EXCL}, never through a
     * link), which fails with FileAlreadyExistsException when the name exists; the temporary file is then renamed
     * over that placeholder, if it is still the one created. A hard link would do both in one step, but Azure Files
     * over SMB (where restores are written) does not support hard links; an exclusive create works on every file
     * system. For the instant between the two steps the name shows an empty file that only its owner
     * may write; a placeholder left by a process that died in that instant is recognised ({@link #isPlaceholder})
     * and, once older than {@link #STALE_PLACEHOLDER}, taken over. (Over SMB the modes a file system reports come
     * from the mount's options, so there a claim is not recognised and is treated like any existing file.)
     */
    public void moveTo(Path target, boolean replace) throws IOException {
        SecureDirectory.checkName(target);
        checkStillOurs();
        if (replace) {
            directory.rename(name, target);
        } else if (!renameUnlessTaken(target)) {
            Object placeholder;
            try {
                placeholder = directory.createPlaceholder(target);
            } catch (FileAlreadyExistsException e) {
                if (!isStalePlaceholder(directory, target)) {
                    throw e;
                }
                placeholder = directory.attributes(target).fileKey();
            }
            renameOver(target, placeholder);
        }
        moved = true;
    }

    /**
     * Renames this file to {@code target} unless that name exists, in one step ({@code renameat2} with
     * {@code RENAME_NOREPLACE}); a stale claim there ({@link #isPlaceholder}) is taken over. False, with nothing
     * done, when the file system cannot rename that way (then the name is claimed first).
     */
    private boolean renameUnlessTaken(Path target) throws IOException {
        try {
            return directory.renameNoReplace(name, target);
        } catch (FileAlreadyExistsException e) {
            if (!isStalePlaceholder(directory, target)) {
                throw e;
            }
            renameOver(target, directory.attributes(target).fileKey());
            return true;
        }
    }

    /** Renames this file over {@code target} if that is still the placeholder {@code placeholder}; else removes it. */
    private void renameOver(Path target, Object placeholder) throws IOException {
        BasicFileAttributes now = directory.attributes(target);
        if (!placeholder.equals(now.fileKey())) {
            throw new FileAlreadyExistsException(target.toString(), null, "created by someone else meanwhile");
        }
        try {
            directory.rename(name, target);
        } catch (IOException | RuntimeException e) {
            try {
                directory.deleteFile(target);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Whether the entry {@code target} is a restore's claim on the name (an empty regular file of mode
     * {@code -w-------}): another restore of that name is between its claim and its rename, or died there.
     */
    public static boolean isPlaceholder(SecureDirectory directory, Path target) throws IOException {
        Stat attributes;
        try {
            attributes = directory.stat(target);
        } catch (NoSuchFileException e) {
            return false;
        }
        return attributes.isRegularFile() && attributes.size() == 0
                && attributes.permissionBits() == SecureDirectory.PLACEHOLDER_BITS;
    }

    private static boolean isStalePlaceholder(SecureDirectory directory, Path target) throws IOException {
        if (!isPlaceholder(directory, target)) {
            return false;
        }
        Instant created = directory.attributes(target).lastModifiedTime().toInstant();
        return created.plus(STALE_PLACEHOLDER).isBefore(Instant.now());
    }

    /** Closes the handle and, unless moved into place, removes the file. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            OPEN.remove(fileKey);
            if (!moved) {
                try {
                    directory.deleteFile(name);
                } catch (NoSuchFileException gone) {
                    // Already removed: nothing to clean up.
                }
            }
        }
    }

    private void checkStillOurs() throws IOException {
        BasicFileAttributes now = directory.attributes(name);
        if (!now.isRegularFile() || !fileKey.equals(now.fileKey()) || now.size() != channel.size()) {
            throw new FileSystemException(name.toString(), null, "the temporary file was replaced; not used");
        }
    }
}
