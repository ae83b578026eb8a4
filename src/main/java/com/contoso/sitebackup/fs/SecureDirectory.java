package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A directory held open (pinned) once reached from an allowed root without following links; every operation
 * works relative to that open handle ({@code openat}, {@code fstatat}, {@code renameat}, {@code unlinkat} with
 * {@code O_NOFOLLOW}; folders, which Java cannot make relative to a handle, through the
 * handle's {@code /proc/self/fd} entry), never by path, so renaming or swapping anything above it or around it
 * cannot redirect what happens here. Names passed in are single file names (as {@link #names()} returns them, or from
 * {@link PathCodec#decodePath}); never paths.
 *
 * <p>Entries are read without following links, with their numeric owner and group ({@link #entryAttributes}),
 * and a link's target is read as stored ({@link #readSymbolicLink}). A directory reached through write roots may
 * also create folders, temporary files and links, and set an entry's recorded attributes ({@link #setAttributes});
 * one reached through read roots may only be read. Close it when done (it holds two file descriptors).
 */
public final class SecureDirectory implements AutoCloseable {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /**
     * A claim's mode, write for the owner only ({@code -w-------}): no one reads an empty claim, and it is never
     * read-only, which over SMB (Azure Files) would refuse the rename over it.
     */
    static final Set<PosixFilePermission> PLACEHOLDER_MODE = Set.of(PosixFilePermission.OWNER_WRITE);
    private static final Path SELF = Path.of(".");
    private static final Path DESCRIPTORS = Path.of("/proc/self/fd");
    private static final Path DESCRIPTOR_INFO = Path.of("/proc/self/fdinfo");
    /** Linux's {@code __O_SYNC} (octal 04000000), the bit only O_SYNC opens carry. */
    private static final long SYNC_FLAG = 04000000L;
    /**
     * Locks for marked (O_SYNC) opens of directories, one held while such an open exists: a directory always takes
     * the same lock (by its identity), so there is at most one marked open of it in the process, while walks and
     * restores of different folders seldom wait for each other.
     */
    private static final Object[] MARKED_OPENS = new Object[64];
    /** The first position given to a marked open (a directory's first positions mean "the first entries"). */
    private static final long FIRST_MARK = 3;
    /** How many marked opens get positions of their own before the positions are given again. */
    private static final int MARK_RANGE = 1 << 30;
    /** Counts the marked opens, so each gets a position of its own. */
    private static final AtomicInteger MARKS = new AtomicInteger();
    /** The descriptor number the last marked open was found under. */
    private static final AtomicInteger LAST_MARKED = new AtomicInteger();
    /** How many numbers closest to the last one are looked at before every descriptor is. */
    private static final int NEAR_GUESSES = 8;
    /** Why a link is not taken where a file or folder is expected. */
    static final String LINK_NOT_FOLLOWED = "symbolic link, not followed";
    /** Why a named pipe, a device or a socket is not taken. */
    static final String NOT_FILE_OR_FOLDER = "not a regular file or folder";

    static {
        for (int i = 0; i < MARKED_OPENS.length; i++) {
            MARKED_OPENS[i] = new Object();
        }
    }

    private final SecureDirectoryStream<Path> stream;
    private final Path path;
    private final SecureRoots roots;

    SecureDirectory(SecureDirectoryStream<Path> stream, Path path, SecureRoots roots) {
        this.stream = stream;
        this.path = path;
        this.roots = roots;
    }

    /** The absolute path by which this directory was reached (for messages inside the roots only). */
    public Path path() {
        return path;
    }

    /** Whether this directory was reached through write roots. */
    public boolean writable() {
        return roots.writable();
    }

    /** The names of the entries, read afresh through the pinned handle, in no particular order. */
    public List<Path> names() throws IOException {
        List<Path> names = new ArrayList<>();
        try (SecureDirectoryStream<Path> listing = stream.newDirectoryStream(SELF, LinkOption.NOFOLLOW_LINKS)) {
            for (Path entry : listing) {
                names.add(entry.getFileName());
            }
        }
        return names;
    }

    /**
     * The attributes of an entry itself (a link is reported as a link).
     *
     * @throws NoSuchFileException when there is no such entry
     */
    public BasicFileAttributes attributes(Path name) throws IOException {
        return view(name).readAttributes();
    }

    /**
     * The attributes of the entry {@code name} itself (a link's own, never its target's), with the numeric owner
     * and group. Java's views relative to a pinned handle give the owner only as a name (looked up for every
     * file), so the numbers are read through this directory's handle ({@link #throughHandle}).
     *
     * @throws NoSuchFileException when there is no such entry
     */
    public EntryAttributes entryAttributes(Path name) throws IOException {
        checkName(name);
        return throughHandle(name, handle -> EntryAttributes.read(handle.resolve(name)));
    }

    /** One entry as {@link #list()} found it: its attributes and a link's target, or why they could not be read. */
    record Listed(Path name, EntryAttributes attributes, Path target, IOException error) {
    }

    /**
     * Every entry with its attributes (as {@link #entryAttributes}) and a link's target (as
     * {@link #readSymbolicLink}), read afresh through the pinned handle, in no particular order: the names are
     * listed, then all of them are read through one handle, so a walk finds its descriptor once per folder. An
     * entry that goes away or changes meanwhile is listed with the error met.
     */
    List<Listed> list() throws IOException {
        List<Path> names = names();
        if (names.isEmpty()) {
            return List.of();
        }
        return throughHandle(SELF, handle -> {
            List<Listed> listed = new ArrayList<>(names.size());
            for (Path name : names) {
                Path entry = handle.resolve(name);
                try {
                    EntryAttributes attributes = EntryAttributes.read(entry);
                    Path target = attributes.isSymbolicLink() ? Files.readSymbolicLink(entry) : null;
                    listed.add(new Listed(name, attributes, target, null));
                } catch (IOException e) {
                    listed.add(new Listed(name, null, null, e));
                }
            }
            return listed;
        });
    }

    /**
     * The target of the link {@code name}, as stored in the link (never resolved), read through the pinned handle.
     *
     * @throws java.nio.file.NotLinkException when the entry is not a link
     */
    public Path readSymbolicLink(Path name) throws IOException {
        checkName(name);
        return throughHandle(name, handle -> Files.readSymbolicLink(handle.resolve(name)));
    }

    /**
     * Creates the link {@code name} to {@code target} (stored as it is, relative or absolute, never resolved),
     * exclusively and in this very directory, through its handle. Only through write roots.
     *
     * @throws FileAlreadyExistsException when the name exists (a link included, whatever it points to)
     */
    public void createSymbolicLink(Path name, Path target) throws IOException {
        checkWritable();
        checkName(name);
        if (target.toString().isEmpty()) {
            throw new IllegalArgumentException("target of link '" + Printable.quote(name.toString())
                    + "' must not be empty");
        }
        throughHandle(name, handle -> Files.createSymbolicLink(handle.resolve(name), target));
    }

    /**
     * Gives the entry {@code name} (a file, a folder or a link, never what a link points to) the attributes
     * {@code recorded} holds, through the pinned handle: owner and group (only when {@link #canSetOwner()}, else
     * left as they are), the permission bits (not for a link: Linux keeps none of its own), then the
     * last-modified time ({@link FileEntry#getModtimeNanos()}, else {@link FileEntry#getLastModified()}): to the
     * nanosecond for files and folders, to the microsecond for a link (Java sets a link's own times with
     * {@code lutimes}); a time before 1970 to its whole second (Java cannot pass the kernel a fraction of a second
     * before 1970). Nothing is set for an attribute that is not recorded. Only through write roots.
     *
     * <p>A folder's time changes again whenever an entry is created in it, so a restore sets it after the folder's
     * content. The access time is left as it is.
     */
    public void setAttributes(Path name, FileEntry recorded) throws IOException {
        checkWritable();
        checkName(name);
        long recordedNanos = recorded.getModtimeNanos() != null ? recorded.getModtimeNanos()
                : Math.multiplyExact(recorded.getLastModified(), 1_000_000L);
        // Before 1970 Java passes a negative fraction of a second to the kernel, which refuses it, and then sets the
        // time to the epoch instead: such a time is set to its whole second, the nearest Java can set.
        long nanos = recordedNanos >= 0 ? recordedNanos : Math.floorDiv(recordedNanos, 1_000_000_000L) * 1_000_000_000L;
        throughHandle(name, handle -> {
            Path entry = handle.resolve(name);
            EntryAttributes now = EntryAttributes.read(entry);
            if (now.type() != recorded.getEntryType()) {
                // Something else was put under the name (setting a mode or a time opens the entry, and opening a
                // named pipe would block): nothing is set on it.
                throw new FileSystemException(name.toString(), null, "not the " + describe(recorded.getEntryType())
                        + " whose attributes were recorded; nothing set");
            }
            changeOwner(entry, recorded.getUid(), recorded.getGid());
            if (recorded.getMode() != null && !now.isSymbolicLink()) {
                Files.setAttribute(entry, "unix:mode", recorded.getMode(), LinkOption.NOFOLLOW_LINKS);
            }
            Files.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(nanos, TimeUnit.NANOSECONDS), null, null);
            return null;
        });
    }

    /**
     * Sets the numeric owner and group of the entry {@code name} itself (never a link's target) through the pinned
     * handle, when {@link #canSetOwner()}; else does nothing. Either may be null (left as it is).
     */
    void setOwner(Path name, Long uid, Long gid) throws IOException {
        checkWritable();
        checkName(name);
        if (canSetOwner() && (uid != null || gid != null)) {
            throughHandle(name, handle -> {
                changeOwner(handle.resolve(name), uid, gid);
                return null;
            });
        }
    }

    /** {@code lchown} of {@code entry} (a path through a handle) to the ids given, as root only. */
    private static void changeOwner(Path entry, Long uid, Long gid) throws IOException {
        if (!canSetOwner()) {
            return;
        }
        if (uid != null) {
            Files.setAttribute(entry, "unix:uid", checkId("uid", uid), LinkOption.NOFOLLOW_LINKS);
        }
        if (gid != null) {
            Files.setAttribute(entry, "unix:gid", checkId("gid", gid), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** An id as the {@code unix} view takes it: the 32 bits of a number from 0 to 2^32-2 (-1 means "unchanged"). */
    private static int checkId(String what, long id) {
        if (id < 0 || id >= 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " must be from 0 to 4294967294: " + id);
        }
        return (int) id;
    }

    /**
     * Whether this process may give files any owner and group: only when it runs as root (effective uid 0, read
     * from {@code /proc/self/status}); otherwise owners and groups are not restored, and setting them does nothing.
     */
    public static boolean canSetOwner() {
        return Root.RUNS_AS_ROOT;
    }

    /** Whether the process runs as root, looked up once. */
    private static final class Root {
        static final boolean RUNS_AS_ROOT = effectiveUid() == 0;

        private static long effectiveUid() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Uid:")) {
                        // Real, effective, saved and file-system uid.
                        return Long.parseLong(line.substring("Uid:".length()).trim().split("\\s+")[1]);
                    }
                }
            } catch (IOException | RuntimeException unknown) {
                // No /proc: the process is not known to run as root, so owners are left alone.
            }
            return -1;
        }
    }

    /** The state of this directory itself, from its open handle. */
    public FileState state() throws IOException {
        return FileState.of(stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes());
    }

    /**
     * The sub-directory {@code name}, pinned. Refused (FileSystemException) when the entry is a link, not a
     * directory, or (through write roots) the app's code directory.
     */
    public SecureDirectory openDirectory(Path name) throws IOException {
        checkName(name);
        BasicFileAttributes attributes = attributes(name);
        if (!attributes.isDirectory()) {
            // Checked first so that a FIFO or a device is never opened (opening a FIFO would block).
            throw new FileSystemException(name.toString(), null, describe(attributes));
        }
        SecureDirectoryStream<Path> child = stream.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        try {
            Object identity = child.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
            if (writable() && roots.isCodeDirectory(identity)) {
                throw new FileSystemException(name.toString(), null, "the app's code directory is never written");
            }
        } catch (IOException | RuntimeException e) {
            child.close();
            throw e;
        }
        return new SecureDirectory(child, path.resolve(name), roots);
    }

    /** The directory {@code relative} (names joined by '/') below this one, each step as {@link #openDirectory}. */
    public SecureDirectory openDirectories(Path relative) throws IOException {
        return descend(relative, false);
    }

    /**
     * The sub-directory {@code name}, created if missing, pinned. Only through write roots.
     *
     * <p>Java has no {@code mkdirat}. The folder is created through the pinned directory itself: Linux shows every
     * open descriptor as {@code /proc/self/fd/N}, a link the kernel resolves to the open directory, not to a
     * path, so {@code mkdir /proc/self/fd/N/name} creates the entry inside that directory wherever it has been
     * moved or whatever its old path now leads to. N must be a descriptor that stays open and shows this very
     * directory during the {@code mkdir}, whatever other threads open and close meanwhile (restores run side by
     * side in one worker): see {@link #throughHandle}. The new entry is then opened through the pinned handle
     * without following links like any existing one. Without {@code /proc/self/fd} nothing is created.
     */
    public SecureDirectory openOrCreateDirectory(Path name) throws IOException {
        checkWritable();
        checkName(name);
        try {
            return openDirectory(name);
        } catch (NoSuchFileException missing) {
            // Created below.
        }
        createThroughHandle(name);
        return openDirectory(name);
    }

    private void createThroughHandle(Path name) throws IOException {
        throughHandle(name, handle -> {
            try {
                Files.createDirectory(handle.resolve(name));
            } catch (FileAlreadyExistsException e) {
                // Created meanwhile by someone else: it is checked like any existing entry.
            }
            return null;
        });
    }

    /**
     * Creates the empty file {@code name} with mode {@code -w-------}, exclusively (never over an existing entry,
     * never through a link): a restore's claim on a name before it renames its temporary file over it. Returns the
     * new file's key.
     *
     * @throws FileAlreadyExistsException when the name exists
     */
    Object createPlaceholder(Path name) throws IOException {
        checkWritable();
        checkName(name);
        stream.newByteChannel(name, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PLACEHOLDER_MODE)).close();
        return attributes(name).fileKey();
    }

    /** What is done with a path that leads to this directory through its open handle, and its result. */
    private interface HandleAction<T> {
        T run(Path handle) throws IOException;
    }

    /**
     * Runs {@code action} with {@code /proc/self/fd/N} for a descriptor N of this directory held open by this call,
     * and returns its result. Only the last name of a path through that handle is ever looked at by the action
     * ({@code /proc/self/fd/N/name}, never following it); the kernel resolves {@code /proc/self/fd/N} to the open
     * directory itself, not to a path.
     *
     * <p>The number of the descriptor a {@link SecureDirectoryStream} holds is not visible from Java, and telling it
     * from the descriptors other threads open and close meanwhile by listing {@code /proc/self/fd} before and
     * after an open is a guess that fails under load (a number closed and reused between the two listings). So
     * the directory is opened once more relative to its pinned handle ({@code openat(fd, ".")}), with
     * {@code O_SYNC}, and that open's position is set to a number no other open of the process has
     * ({@link #markedDescriptor}). It stays ours, so shows this directory, until the action ends.
     */
    private <T> T throughHandle(Path name, HandleAction<T> action) throws IOException {
        Object identity = state().fileKey();
        synchronized (MARKED_OPENS[Math.floorMod(identity.hashCode(), MARKED_OPENS.length)]) {
            try (SeekableByteChannel marked = stream.newByteChannel(SELF, Set.of(StandardOpenOption.READ,
                    StandardOpenOption.SYNC, LinkOption.NOFOLLOW_LINKS))) {
                Path own = markedDescriptor(identity, mark(marked));
                if (own != null) {
                    return action.run(own);
                }
            }
        }
        throw new FileSystemException(name.toString(), null, "no handle to work through (/proc/self/fd); nothing done");
    }

    /** Sets a marked open's position to the next mark and returns it; -1 when the file system keeps no position. */
    private static long mark(SeekableByteChannel marked) {
        long position = FIRST_MARK + Math.floorMod(MARKS.getAndIncrement(), MARK_RANGE);
        try {
            marked.position(position);
            return marked.position() == position ? position : -1;
        } catch (IOException | RuntimeException noPosition) {
            return -1;
        }
    }

    /**
     * The descriptor of the marked open of the directory {@code identity} (its position {@code position}), or null.
     *
     * <p>A descriptor is ours when {@code /proc/self/fdinfo} shows an O_SYNC open at our position: no other open of
     * the process is O_SYNC at that position (the app opens nothing else with O_SYNC, and each marked open gets a
     * position of its own), and a number that shows our open stays ours until we close it. The numbers closest to
     * the one found last are looked at first: a walk's marked opens mostly get a number near the previous one
     * (Linux gives the lowest free number), so most lookups read a few fdinfo files instead of looking at every
     * descriptor of the process. When none of those is ours (or the position could not be set), every descriptor
     * that shows the directory is looked at, and the one O_SYNC open among them is ours (a lock taken by the
     * directory's identity lets one marked open of it exist at a time).
     */
    private static Path markedDescriptor(Object identity, long position) {
        if (position >= 0) {
            int hint = LAST_MARKED.get();
            for (int guess = 0; guess < NEAR_GUESSES; guess++) {
                // hint, hint + 1, hint - 1, hint + 2, ...
                int number = hint + (guess % 2 == 0 ? -guess / 2 : guess / 2 + 1);
                Path descriptor = DESCRIPTORS.resolve(Integer.toString(number));
                if (number >= 0 && isMarkedAt(descriptor, position) && shows(descriptor, identity)) {
                    LAST_MARKED.set(number);
                    return descriptor;
                }
            }
        }
        List<Path> descriptors = new ArrayList<>();
        try (Stream<Path> listed = Files.list(DESCRIPTORS)) {
            listed.forEach(descriptors::add);
        } catch (IOException | UncheckedIOException noProc) {
            // No /proc/self/fd: no handle to work through, so nothing is done.
            return null;
        }
        Path found = null;
        for (Path descriptor : descriptors) {
            if (shows(descriptor, identity) && isMarkedAt(descriptor, -1)) {
                if (found != null) {
                    return null;
                }
                found = descriptor;
            }
        }
        // Checked again once found: the number might have been closed and reused between the two looks.
        if (found != null && shows(found, identity)) {
            LAST_MARKED.set(number(found));
            return found;
        }
        return null;
    }

    private static int number(Path descriptor) {
        return Integer.parseInt(descriptor.getFileName().toString());
    }

    /** Whether {@code descriptor} shows the directory {@code identity} now. */
    private static boolean shows(Path descriptor, Object identity) {
        try {
            return identity.equals(Files.readAttributes(descriptor, BasicFileAttributes.class).fileKey());
        } catch (IOException closedMeanwhile) {
            // Closed since it was listed (another thread's file): not ours.
            return false;
        }
    }

    /**
     * Whether {@code descriptor}'s fdinfo shows an O_SYNC open (its {@code flags:} line, octal, holds
     * {@code __O_SYNC}, which only O_SYNC opens set) at {@code position} ({@code pos:}); any position when -1.
     */
    private static boolean isMarkedAt(Path descriptor, long position) {
        boolean sync = false;
        boolean at = position < 0;
        try {
            for (String line : Files.readAllLines(DESCRIPTOR_INFO.resolve(descriptor.getFileName()))) {
                if (line.startsWith("flags:")) {
                    sync = (Long.parseLong(line.substring("flags:".length()).trim(), 8) & SYNC_FLAG) != 0;
                } else if (line.startsWith("pos:")) {
                    at |= Long.parseLong(line.substring("pos:".length()).trim()) == position;
                }
            }
        } catch (IOException closedMeanwhile) {
            // Another thread's descriptor, closed since it was listed: not ours.
            return false;
        }
        return sync && at;
    }

    /** Like {@link #openDirectories}, creating missing folders as {@link #openOrCreateDirectory}. */
    public SecureDirectory openOrCreateDirectories(Path relative) throws IOException {
        checkWritable();
        return descend(relative, true);
    }

    /**
     * The regular file {@code name}, opened once for reading. Refused (FileSystemException) when the entry is a
     * link or not a regular file, or when the name was switched to another file while it was being opened.
     */
    public OpenedFile openFile(Path name) throws IOException {
        checkName(name);
        BasicFileAttributes attributes = attributes(name);
        if (!attributes.isRegularFile()) {
            throw new FileSystemException(name.toString(), null, describe(attributes));
        }
        SeekableByteChannel channel;
        try {
            channel = stream.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // The JDK reports O_NOFOLLOW meeting a link as a plain IOException: a link was swapped in since the check.
            throw new FileSystemException(name.toString(), null,
                    "replaced by a symbolic link while being opened; not followed");
        }
        try {
            FileState opened = FileState.of(attributes(name));
            if (!opened.fileKey().equals(attributes.fileKey())) {
                throw new FileSystemException(name.toString(), null, "replaced while it was being opened");
            }
            return new OpenedFile(this, name, channel, opened);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The regular file at {@code relative} (names joined by '/', as {@link PathCodec#decodePath} gives them)
     * below this directory: each folder on the way opened as {@link #openDirectory}, the file as {@link #openFile}.
     * The returned file holds its folder open until it is closed.
     */
    public OpenedFile openFileBelow(Path relative) throws IOException {
        Path parent = relative.getParent();
        if (parent == null) {
            return openFile(relative);
        }
        SecureDirectory folder = openDirectories(parent);
        try {
            return folder.openFile(relative.getFileName()).closingAlso(folder);
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /**
     * A new, empty file with a random name in this directory, readable and writable by the owner only (0600),
     * created exclusively (never an existing file or a link). Only through write roots.
     */
    public TemporaryFile createTemporaryFile() throws IOException {
        // A short name of our own: the target's name plus a suffix could pass the file system's name limit.
        return createTemporaryFile(TemporaryFile.newName());
    }

    /**
     * A new, empty file named {@code name} (one of {@link TemporaryFile}'s names) in this directory, as
     * {@link #createTemporaryFile()} makes one.
     *
     * @throws FileAlreadyExistsException when the name exists
     */
    public TemporaryFile createTemporaryFile(Path name) throws IOException {
        checkWritable();
        checkName(name);
        if (!TemporaryFile.isTemporaryName(name.toString())) {
            throw new IllegalArgumentException("'" + Printable.quote(name.toString()) + "' is not a temporary name");
        }
        SeekableByteChannel channel = stream.newByteChannel(name,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                OWNER_ONLY);
        try {
            return new TemporaryFile(this, name, channel, attributes(name).fileKey());
        } catch (IOException | RuntimeException e) {
            channel.close();
            stream.deleteFile(name);
            throw e;
        }
    }

    /**
     * Makes {@code name} the link to {@code target} in one step, replacing the file or link of that name (never a
     * folder, never written through): the link is created under a new name of its own in this directory, then renamed
     * over {@code name}, relative to the pinned handle, so the name never shows nothing or something half made. Only
     * through write roots.
     *
     * @throws FileSystemException when {@code name} is a folder (nothing is left behind)
     */
    public void replaceWithSymbolicLink(Path name, Path target) throws IOException {
        checkWritable();
        checkName(name);
        Path made = Path.of(".restoring-" + UUID.randomUUID());
        createSymbolicLink(made, target);
        try {
            rename(made, name);
        } catch (IOException | RuntimeException e) {
            try {
                stream.deleteFile(made);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Flushes this directory itself to the disk ({@code fsync} of the directory): the names created, renamed or
     * removed in it so far survive a crash. Only through write roots.
     */
    public void force() throws IOException {
        checkWritable();
        try (SeekableByteChannel self = stream.newByteChannel(SELF, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            ((java.nio.channels.FileChannel) self).force(true);
        }
    }

    /** Removes the entry {@code name} (a file or a link, never what a link points to). */
    public void deleteFile(Path name) throws IOException {
        checkName(name);
        stream.deleteFile(name);
    }

    /** Renames {@code from} to {@code to}, both in this directory, replacing what {@code to} names. */
    void rename(Path from, Path to) throws IOException {
        checkName(from);
        checkName(to);
        stream.move(from, stream, to);
    }

    PosixFileAttributeView posixView(Path name) {
        checkName(name);
        return stream.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    BasicFileAttributeView view(Path name) {
        checkName(name);
        return stream.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** Closes the handle; closing twice does nothing. */
    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            // Closing a directory handle releases it whatever close reports; there is nothing to retry.
        }
    }

    private SecureDirectory descend(Path relative, boolean create) throws IOException {
        if (relative.isAbsolute()) {
            throw new IllegalArgumentException("'" + Printable.quote(relative.toString()) + "' must be relative");
        }
        for (Path name : relative) {
            // Every name checked before any is used: a '..' further down refuses the whole path up front.
            checkName(name);
        }
        SecureDirectory current = this;
        try {
            for (Path name : relative) {
                SecureDirectory next = create ? current.openOrCreateDirectory(name) : current.openDirectory(name);
                if (current != this) {
                    current.close();
                }
                current = next;
            }
        } catch (IOException | RuntimeException e) {
            if (current != this) {
                current.close();
            }
            throw e;
        }
        if (current == this) {
            throw new IllegalArgumentException("a relative path of at least one name is required");
        }
        return current;
    }

    private void checkWritable() {
        if (!writable()) {
            throw new IllegalStateException("'" + path + "' was opened through read roots; nothing is written there");
        }
    }

    /**
     * Refuses anything but one plain name: an absolute path would make the system call ignore the pinned
     * handle, and a multi-name path would follow links in its middle names.
     */
    static void checkName(Path name) {
        String text = name.toString();
        if (name.isAbsolute() || name.getNameCount() != 1 || text.isEmpty() || text.equals(".") || text.equals("..")) {
            throw new IllegalArgumentException("'" + Printable.quote(text) + "' is not a single file name");
        }
    }

    private static String describe(EntryType type) {
        return switch (type) {
            case FILE -> "file";
            case DIRECTORY -> "folder";
            case SYMLINK -> "symbolic link";
        };
    }

    static String describe(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return LINK_NOT_FOLLOWED;
        }
        return attributes.isDirectory() ? "a folder, not a file" : attributes.isRegularFile()
                ? "a file, not a folder" : NOT_FILE_OR_FOLDER;
    }
}
