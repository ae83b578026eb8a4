package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * A directory held open (pinned) once reached from an allowed root without following links; every operation
 * works relative to that open handle ({@code openat}, {@code statx}, {@code mkdirat}, {@code renameat},
 * {@code unlinkat}, {@code symlinkat}, {@code readlinkat}, each with the name never followed), never by path, so
 * renaming or swapping anything above it or around it cannot redirect what happens here. Names passed in are single
 * file names (as {@link #names()} returns them, or from {@link PathCodec#decodePath}); never paths. The calls are
 * made through {@link Posix} (JNA), since Java's NIO offers no {@code mkdirat}, no non-blocking open and no way to
 * check what was opened on the handle itself.
 *
 * <p><b>No open blocks.</b> Opening a named pipe for reading waits for a writer, forever; a name checked to be a file
 * or folder can be renamed to a pipe before it is opened. So nothing is opened by a name alone: a folder is opened
 * with {@code O_DIRECTORY|O_NOFOLLOW|O_NONBLOCK} (anything but a folder is refused by the kernel without being
 * opened), a file with {@code O_NOFOLLOW|O_NONBLOCK} and its type then checked on the handle ({@code statx} of the
 * descriptor), and an entry whose attributes are set with {@code O_PATH}, which opens nothing (its type checked on
 * the handle too). Setting a mode, an owner or a time goes through that handle, never the name again.
 *
 * <p>Entries are read without following links, with their numeric owner and group ({@link #entryAttributes}),
 * and a link's target is read as stored ({@link #readSymbolicLink}). A directory reached through write roots may
 * also create folders, temporary files and links, and set an entry's recorded attributes ({@link #setAttributes});
 * one reached through read roots may only be read. Close it when done (it holds one file descriptor).
 */
public final class SecureDirectory implements AutoCloseable {
    /**
     * A claim's mode, write for the owner only ({@code -w-------}): no one reads an empty claim, and it is never
     * read-only, which over SMB (Azure Files) would refuse the rename over it.
     */
    static final Set<PosixFilePermission> PLACEHOLDER_MODE = Set.of(PosixFilePermission.OWNER_WRITE);
    static final int PLACEHOLDER_BITS = 0200;
    /** Why a link is not taken where a file or folder is expected. */
    static final String LINK_NOT_FOLLOWED = "symbolic link, not followed";
    /** Why a named pipe, a device or a socket is not taken. */
    static final String NOT_FILE_OR_FOLDER = "not a regular file or folder";
    /** The permission bits a restore sets unless set-id bits are allowed ({@code rwxrwxrwx}). */
    public static final int PERMISSION_BITS = 0777;
    /** Every mode bit a restore may set when set-id bits are allowed: with set-uid, set-gid and sticky. */
    public static final int ALL_MODE_BITS = 07777;
    private static final byte[] SELF = {'.', 0};
    /** How many directories were opened in this process (for tests that count work, not time). */
    private static final LongAdder OPENS = new LongAdder();

    private final Descriptor handle;
    private final Path path;
    private final SecureRoots roots;

    /** A directory open as {@code handle} (a descriptor this object now owns), reached as {@code path}. */
    SecureDirectory(Descriptor handle, Path path, SecureRoots roots) {
        this.handle = handle;
        this.path = path;
        this.roots = roots;
        OPENS.increment();
    }

    /** How many directories this process has opened so far (each {@link SecureDirectory} made counts once). */
    public static long openedDirectories() {
        return OPENS.sum();
    }

    /**
     * How many flushes to the disk ({@code fsync} of a file or folder, {@code syncfs} of a file system) this process
     * has made so far (for tests that count work, not time).
     */
    public static long flushes() {
        return Posix.FLUSHES.sum();
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
        List<byte[]> raw = handle.use(fd -> Posix.list(fd, Posix.display(path.getFileName() == null ? path
                : path.getFileName())));
        List<Path> names = new ArrayList<>(raw.size());
        for (byte[] name : raw) {
            names.add(PathCodec.path(name));
        }
        return names;
    }

    /**
     * The attributes of an entry itself (a link is reported as a link).
     *
     * @throws NoSuchFileException when there is no such entry
     */
    public BasicFileAttributes attributes(Path name) throws IOException {
        return stat(name);
    }

    /** The attributes of the entry {@code name} itself, never following it. */
    Stat stat(Path name) throws IOException {
        checkName(name);
        byte[] bytes = Posix.name(name);
        return handle.use(fd -> Posix.stat(fd, bytes, false, Posix.display(name)));
    }

    /**
     * The attributes of the entry {@code name} itself (a link's own, never its target's), with the numeric owner
     * and group, read through this directory's handle.
     *
     * @throws NoSuchFileException when there is no such entry
     */
    public EntryAttributes entryAttributes(Path name) throws IOException {
        return EntryAttributes.of(stat(name));
    }

    /**
     * One entry as {@link #list()} found it: its attributes, a link's target and a file's or folder's extended
     * attributes, or why they could not be read.
     */
    record Listed(Path name, EntryAttributes attributes, Path target, ExtendedAttributes.Read xattrs,
                  IOException error) {
    }

    /**
     * Every entry with its attributes (as {@link #entryAttributes}), a link's target (as {@link #readSymbolicLink})
     * and a regular file's or folder's extended attributes ({@link ExtendedAttributes#read}), read afresh through the
     * pinned handle, in no particular order. An entry that goes away or changes meanwhile is listed with the error
     * met.
     */
    List<Listed> list() throws IOException {
        List<Path> names = names();
        List<Listed> listed = new ArrayList<>(names.size());
        for (Path name : names) {
            try {
                Stat stat = stat(name);
                EntryAttributes attributes = EntryAttributes.of(stat);
                Path target = attributes.isSymbolicLink() ? readSymbolicLink(name) : null;
                ExtendedAttributes.Read xattrs = ExtendedAttributes.Read.NONE;
                if (attributes.isRegularFile() || attributes.isDirectory()) {
                    byte[] bytes = Posix.name(name);
                    xattrs = handle.use(fd -> ExtendedAttributes.read(fd, bytes, stat.fileKey(), Posix.display(name)));
                }
                listed.add(new Listed(name, attributes, target, xattrs, null));
            } catch (IOException e) {
                listed.add(new Listed(name, null, null, null, e));
            }
        }
        return listed;
    }

    /**
     * The target of the link {@code name}, as stored in the link (never resolved), read through the pinned handle.
     *
     * @throws java.nio.file.NotLinkException when the entry is not a link
     */
    public Path readSymbolicLink(Path name) throws IOException {
        checkName(name);
        byte[] bytes = Posix.name(name);
        byte[] target = handle.use(fd -> Posix.readlink(fd, bytes, Posix.display(name)));
        return PathCodec.anyPath(target);
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
        byte[] bytes = Posix.name(name);
        byte[] to = Posix.absolute(target);
        handle.use(fd -> {
            Posix.symlink(to, fd, bytes, Posix.display(name));
            return null;
        });
    }

    /**
     * Gives the entry {@code name} (a file, a folder or a link, never what a link points to) the attributes
     * {@code recorded} holds, through a handle to that very entry ({@code O_PATH|O_NOFOLLOW}: nothing is opened, so
     * a named pipe put under the name cannot block it) whose type is checked first: owner and group (only when
     * {@link #canSetOwner()}, else left as they are), the permission bits (not for a link: Linux keeps none of its
     * own), then the last-modified time to the nanosecond ({@link FileEntry#getModtimeNanos()}, else
     * {@link FileEntry#getLastModified()}). Nothing is set for an attribute that is not recorded. Only through write
     * roots.
     *
     * <p>Every value is checked here, where it is used ({@link FileEntry#check}), whoever built the entry (the worker
     * binds activity inputs with Gson, which runs no constructor): a value out of range is refused with an
     * IllegalArgumentException before anything is set. The mode is limited to the nine permission bits
     * ({@link #PERMISSION_BITS}) unless the write roots allow set-id bits and the process runs as root
     * ({@link #appliedMode}).
     *
     * <p>A folder's time changes again whenever an entry is created in it, so a restore sets it after the folder's
     * content. The access time is left as it is.
     *
     * @throws IllegalArgumentException when a recorded value is out of range (nothing is set)
     * @throws FileSystemException when the name is not the type recorded (nothing is set)
     */
    public void setAttributes(Path name, FileEntry recorded) throws IOException {
        checkWritable();
        checkName(name);
        recorded.check();
        long nanos = recorded.modtimeNanosOrMillis();
        Integer mode = recorded.getMode() == null ? null : appliedMode(recorded.getMode());
        byte[] bytes = Posix.name(name);
        String display = Posix.display(name);
        handle.use(dirfd -> {
            try (Descriptor entry = new Descriptor(Posix.open(dirfd, bytes, Posix.O_PATH | Posix.O_NOFOLLOW, 0,
                    display))) {
                return entry.use(fd -> {
                    Stat now = Posix.fstat(fd, display);
                    if (now.type() != recorded.getEntryType()) {
                        throw new FileSystemException(display, null, "not the " + describe(recorded.getEntryType())
                                + " whose attributes were recorded; nothing set");
                    }
                    if (canSetOwner() && (recorded.getUid() != null || recorded.getGid() != null)) {
                        Posix.chownHandle(fd, id(recorded.getUid()), id(recorded.getGid()), display);
                    }
                    if (mode != null && now.type() != EntryType.SYMLINK) {
                        // A pipe or a device is never opened: its mode is set through the handle's kernel link too.
                        Posix.chmodHandle(fd, mode, display);
                    }
                    Posix.utimensHandle(fd, dirfd, bytes, now.fileKey(), Math.floorDiv(nanos, 1_000_000_000L),
                            Math.floorMod(nanos, 1_000_000_000L), display);
                    return null;
                });
            }
        });
    }

    /**
     * Gives the regular file or folder {@code name} the extended attributes {@code recorded} holds
     * ({@link ExtendedAttributes}), through an {@code O_PATH} handle to that very entry whose type is checked first,
     * by {@code setxattr} of the handle's kernel link ({@code /proc/self/fd/N}); nothing for an entry without any.
     * Attributes already there and not recorded are left. Set them before the mode: a folder made read-only takes
     * none from a process that is not root. Only through write roots.
     *
     * @return null when every attribute was set, else a warning saying how many were not and why (a file system that
     *     takes none, no permission)
     * @throws IllegalArgumentException when the recorded attributes are out of bounds (nothing is set)
     * @throws FileSystemException when the name is not the type recorded (nothing is set)
     */
    public String setExtendedAttributes(Path name, FileEntry recorded) throws IOException {
        checkWritable();
        checkName(name);
        List<ExtendedAttributes.Attribute> attributes = ExtendedAttributes.decode(recorded.getXattrs());
        if (attributes.isEmpty()) {
            return null;
        }
        byte[] bytes = Posix.name(name);
        String display = Posix.display(name);
        return handle.use(dirfd -> {
            try (Descriptor entry = new Descriptor(Posix.open(dirfd, bytes, Posix.O_PATH | Posix.O_NOFOLLOW, 0,
                    display))) {
                return entry.use(fd -> {
                    Stat now = Posix.fstat(fd, display);
                    if (now.type() != recorded.getEntryType()
                            || (!now.isRegularFile() && !now.isDirectory())) {
                        throw new FileSystemException(display, null, "not the " + describe(recorded.getEntryType())
                                + " whose extended attributes were recorded; none set");
                    }
                    return ExtendedAttributes.set(attributes, (attribute, value) ->
                            Posix.setAttributeOfHandle(fd, attribute, value));
                });
            }
        });
    }

    /**
     * Makes the named pipe or device node {@code recorded} describes as {@code name} in this very directory, through
     * its handle ({@code mknodat}: exclusively, never through a link), with mode 0600 until its recorded attributes
     * are set ({@link #setAttributes}). A device only when the process runs as root; a pipe always. Only through
     * write roots.
     *
     * @throws FileAlreadyExistsException when the name exists
     * @throws java.nio.file.AccessDeniedException for a device when the process is not root (nothing is made)
     * @throws IllegalArgumentException when the entry is not a pipe or a device, or its values are out of range
     */
    public void createSpecial(Path name, FileEntry recorded) throws IOException {
        checkWritable();
        checkName(name);
        recorded.check();
        EntryType type = recorded.getEntryType();
        if (!type.isSpecial()) {
            throw new IllegalArgumentException("'" + Printable.quote(recorded.getPath())
                    + "' is not a named pipe or a device");
        }
        String display = Posix.display(name);
        if (type.isDevice() && !canSetOwner()) {
            throw new java.nio.file.AccessDeniedException(display, null, "a device is made only by a restore that runs"
                    + " as root");
        }
        int typeBits = switch (type) {
            case FIFO -> Posix.S_IFIFO;
            case CHARACTER_DEVICE -> Posix.S_IFCHR;
            default -> Posix.S_IFBLK;
        };
        long device = type.isDevice() ? Posix.makedev(recorded.getDeviceMajor(), recorded.getDeviceMinor()) : 0;
        byte[] bytes = Posix.name(name);
        handle.use(fd -> {
            Posix.mknod(fd, bytes, typeBits, 0600, device, display);
            return null;
        });
    }

    /**
     * Makes {@code name} the named pipe or device {@code recorded} describes in one step, replacing the file, link,
     * pipe or device of that name (never a folder): made under a new name of its own in this directory, then renamed
     * over {@code name}. Only through write roots.
     */
    public void replaceWithSpecial(Path name, FileEntry recorded) throws IOException {
        checkWritable();
        checkName(name);
        Path made = madeName();
        createSpecial(made, recorded);
        renameMadeOver(made, name);
    }

    /**
     * Makes {@code name} in this very directory another name (a hard link) of the regular file open as
     * {@code existing}: the inode of that handle is linked ({@code linkat} of the handle's kernel link), never a name
     * looked up again, exclusively (an existing entry is never replaced). Only through write roots.
     *
     * @throws FileAlreadyExistsException when the name exists
     */
    public void createHardLink(Path name, OpenedFile existing) throws IOException {
        checkWritable();
        checkName(name);
        byte[] bytes = Posix.name(name);
        String display = Posix.display(name);
        handle.use(dirfd -> existing.descriptor().use(fd -> {
            Posix.linkHandle(fd, dirfd, bytes, display);
            return null;
        }));
    }

    /**
     * Makes {@code name} another name of the file open as {@code existing} in one step, replacing the file, link,
     * pipe or device of that name (never a folder): linked under a new name of its own, then renamed over it. Only
     * through write roots.
     */
    public void replaceWithHardLink(Path name, OpenedFile existing) throws IOException {
        checkWritable();
        checkName(name);
        Path made = madeName();
        createHardLink(made, existing);
        renameMadeOver(made, name);
    }

    /** A new name for an entry made here before it is renamed over its own: a temporary name ({@link TemporaryFile}). */
    private static Path madeName() {
        return Path.of(TemporaryFile.PREFIX + UUID.randomUUID());
    }

    /** Renames {@code made} (an entry just made here) over {@code name}; removes it when that fails. */
    private void renameMadeOver(Path made, Path name) throws IOException {
        try {
            if (stat(name).isDirectory()) {
                throw new FileSystemException(Posix.display(name), null, "a folder; not replaced");
            }
        } catch (NoSuchFileException gone) {
            // Nothing there any more: the rename below gives the name.
        } catch (IOException | RuntimeException e) {
            deleteQuietly(made, e);
            throw e;
        }
        try {
            rename(made, name);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(made, e);
            throw e;
        }
    }

    private void deleteQuietly(Path made, Exception e) {
        try {
            deleteFile(made);
        } catch (IOException cleanup) {
            e.addSuppressed(cleanup);
        }
    }

    /**
     * The mode a restore gives for the recorded {@code mode}: its nine permission bits, or all twelve (set-uid,
     * set-gid, sticky) when the write roots allow set-id bits ({@code BACKUP_RESTORE_SETID_BITS}) and the process
     * runs as root.
     *
     * @throws IllegalArgumentException when {@code mode} is not 0 to 07777
     */
    int appliedMode(int mode) {
        if (mode < 0 || mode > ALL_MODE_BITS) {
            throw new IllegalArgumentException("mode must be 0 to 07777: " + Integer.toOctalString(mode));
        }
        return mode & (roots.setIdBitsAllowed() && canSetOwner() ? ALL_MODE_BITS : PERMISSION_BITS);
    }

    /**
     * Sets the numeric owner and group of the entry {@code name} itself (never a link's target) through a handle
     * to it, when {@link #canSetOwner()}; else does nothing. Either may be null (left as it is).
     *
     * @throws IllegalArgumentException when an id is not 0 to 4294967294
     */
    void setOwner(Path name, Long uid, Long gid) throws IOException {
        checkWritable();
        checkName(name);
        int owner = id(uid);
        int group = id(gid);
        if (!canSetOwner() || (uid == null && gid == null)) {
            return;
        }
        byte[] bytes = Posix.name(name);
        String display = Posix.display(name);
        handle.use(dirfd -> {
            try (Descriptor entry = new Descriptor(Posix.open(dirfd, bytes, Posix.O_PATH | Posix.O_NOFOLLOW, 0,
                    display))) {
                return entry.use(fd -> {
                    Posix.chownHandle(fd, owner, group, display);
                    return null;
                });
            }
        });
    }

    /**
     * An id as {@code chown} takes it: the 32 bits of a number from 0 to 2^32-2, or -1 ("unchanged") for null.
     *
     * @throws IllegalArgumentException when the id is out of that range
     */
    static int id(Long id) {
        if (id == null) {
            return -1;
        }
        if (id < 0 || id >= 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("uid and gid must be from 0 to 4294967294: " + id);
        }
        return (int) (long) id;
    }

    /**
     * Whether this process may give files any owner and group: only when it runs as root (effective uid 0);
     * otherwise owners and groups are not restored, and setting them does nothing.
     */
    public static boolean canSetOwner() {
        return Root.RUNS_AS_ROOT;
    }

    /** Whether the process runs as root, looked up once. */
    private static final class Root {
        static final boolean RUNS_AS_ROOT = Posix.effectiveUid() == 0;
    }

    /** The state of this directory itself, from its open handle. */
    public FileState state() throws IOException {
        return FileState.of(handle.use(fd -> Posix.fstat(fd, Posix.display(path))));
    }

    /**
     * The sub-directory {@code name}, pinned. Refused (FileSystemException) when the entry is a link, not a
     * directory, or (through write roots) the app's code directory. Opened with {@code O_DIRECTORY|O_NOFOLLOW}:
     * the kernel refuses a link or anything but a folder without opening it, so a named pipe never blocks this.
     */
    public SecureDirectory openDirectory(Path name) throws IOException {
        checkName(name);
        byte[] bytes = Posix.name(name);
        String display = Posix.display(name);
        int child = handle.use(fd -> {
            try {
                return Posix.open(fd, bytes, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW
                        | Posix.O_NONBLOCK | Posix.O_NOCTTY, 0, display);
            } catch (FileSystemException e) {
                if (e instanceof NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
                    throw e;
                }
                // A link (ELOOP) or not a folder (ENOTDIR): said the way the entry is now.
                throw new FileSystemException(display, null, describeNow(fd, bytes, display, e.getReason()));
            }
        });
        Descriptor opened = new Descriptor(child);
        try {
            Stat stat = opened.use(fd -> Posix.fstat(fd, display));
            if (!stat.isDirectory()) {
                throw new FileSystemException(display, null, describe(stat));
            }
            if (writable() && roots.isCodeDirectory(stat.fileKey())) {
                throw new FileSystemException(display, null, "the app's code directory is never written");
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        return new SecureDirectory(opened, path.resolve(name), roots);
    }

    /** How the entry {@code name} is described now, after an open of it was refused for {@code reason}. */
    private static String describeNow(int dirfd, byte[] name, String display, String reason) {
        try {
            return describe(Posix.stat(dirfd, name, false, display));
        } catch (IOException gone) {
            return reason;
        }
    }

    /** The directory {@code relative} (names joined by '/') below this one, each step as {@link #openDirectory}. */
    public SecureDirectory openDirectories(Path relative) throws IOException {
        return descend(relative, false);
    }

    /**
     * The sub-directory {@code name}, created if missing ({@code mkdirat} relative to the pinned handle, so in
     * this very directory wherever it has been moved), then opened as {@link #openDirectory} like any existing one.
     * Only through write roots.
     */
    public SecureDirectory openOrCreateDirectory(Path name) throws IOException {
        checkWritable();
        checkName(name);
        try {
            return openDirectory(name);
        } catch (NoSuchFileException missing) {
            // Created below.
        }
        byte[] bytes = Posix.name(name);
        handle.use(fd -> {
            try {
                Posix.mkdir(fd, bytes, 0777, Posix.display(name));
            } catch (FileAlreadyExistsException e) {
                // Created meanwhile by someone else: it is checked like any existing entry.
            }
            return null;
        });
        return openDirectory(name);
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
        byte[] bytes = Posix.name(name);
        String display = Posix.display(name);
        int created = handle.use(fd -> Posix.open(fd, bytes, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL
                | Posix.O_NOFOLLOW | Posix.O_NONBLOCK, PLACEHOLDER_BITS, display));
        try (Descriptor claim = new Descriptor(created)) {
            return claim.use(fd -> Posix.fstat(fd, display)).fileKey();
        }
    }

    /** Like {@link #openDirectories}, creating missing folders as {@link #openOrCreateDirectory}. */
    public SecureDirectory openOrCreateDirectories(Path relative) throws IOException {
        checkWritable();
        return descend(relative, true);
    }

    /**
     * The regular file {@code name}, opened once for reading. Refused (FileSystemException) when the entry is a
     * link or not a regular file, or when the name was switched to another file while it was being opened.
     *
     * <p>The name is looked at first, so a named pipe, a device or a socket is normally not opened at all; one put
     * under the name in between is opened with {@code O_NONBLOCK} (a pipe's open then returns at once) and refused
     * on the handle, which is checked to be the regular file looked at.
     */
    public OpenedFile openFile(Path name) throws IOException {
        Stat looked = stat(name);
        String display = Posix.display(name);
        if (!looked.isRegularFile()) {
            throw new FileSystemException(display, null, describe(looked));
        }
        byte[] bytes = Posix.name(name);
        int opened = handle.use(fd -> {
            try {
                return Posix.open(fd, bytes, Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_NOCTTY,
                        0, display);
            } catch (FileSystemException e) {
                if (LINK_NOT_FOLLOWED.equals(e.getReason())) {
                    throw new FileSystemException(display, null,
                            "replaced by a symbolic link while being opened; not followed");
                }
                if ("No such device or address".equals(e.getReason())) {
                    // ENXIO: a socket (or a device without its driver) put under the name meanwhile.
                    throw new FileSystemException(display, null, "replaced while it was being opened: "
                            + NOT_FILE_OR_FOLDER);
                }
                throw e;
            }
        });
        Descriptor descriptor = new Descriptor(opened);
        try {
            Stat stat = descriptor.use(fd -> Posix.fstat(fd, display));
            if (!stat.isRegularFile()) {
                throw new FileSystemException(display, null, "replaced while it was being opened: "
                        + describe(stat));
            }
            if (!stat.fileKey().equals(looked.fileKey())) {
                throw new FileSystemException(display, null, "replaced while it was being opened");
            }
            return new OpenedFile(this, name, new HandleChannel(descriptor, false, display), stat);
        } catch (IOException | RuntimeException e) {
            descriptor.close();
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
     * A new, empty file with a new name of {@link TemporaryFile}'s in this directory, readable and writable by the
     * owner only (0600), created exclusively (never an existing file or a link). Only through write roots.
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
        byte[] bytes = Posix.name(name);
        String display = Posix.display(name);
        int created = handle.use(fd -> Posix.open(fd, bytes, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL
                | Posix.O_NOFOLLOW | Posix.O_NONBLOCK, 0600, display));
        Descriptor descriptor = new Descriptor(created);
        try {
            Stat stat = descriptor.use(fd -> Posix.fstat(fd, display));
            return new TemporaryFile(this, name, new HandleChannel(descriptor, true, display), stat.fileKey());
        } catch (IOException | RuntimeException e) {
            descriptor.close();
            try {
                deleteFile(name);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Flushes this directory itself to the disk ({@code fsync} of the directory, through its handle): the names
     * created, renamed or removed in it so far survive a crash. Only through write roots.
     */
    public void force() throws IOException {
        checkWritable();
        handle.use(fd -> {
            Posix.fsync(fd, Posix.display(path));
            return null;
        });
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
        Path made = madeName();
        createSymbolicLink(made, target);
        try {
            rename(made, name);
        } catch (IOException | RuntimeException e) {
            try {
                deleteFile(made);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Removes the entry {@code name} (a file or a link, never what a link points to). */
    public void deleteFile(Path name) throws IOException {
        checkName(name);
        byte[] bytes = Posix.name(name);
        handle.use(fd -> {
            Posix.unlink(fd, bytes, Posix.display(name));
            return null;
        });
    }

    /**
     * Renames {@code from} to {@code to}, both in this directory, only if {@code to} does not exist, in one step;
     * false, with nothing done, when the file system cannot rename that way.
     *
     * @throws FileAlreadyExistsException when {@code to} exists (nothing is renamed)
     */
    boolean renameNoReplace(Path from, Path to) throws IOException {
        checkName(from);
        checkName(to);
        byte[] source = Posix.name(from);
        byte[] target = Posix.name(to);
        return handle.use(fd -> Posix.renameNoReplace(fd, source, target, Posix.display(to)));
    }

    /** Renames {@code from} to {@code to}, both in this directory, replacing what {@code to} names. */
    void rename(Path from, Path to) throws IOException {
        checkName(from);
        checkName(to);
        byte[] source = Posix.name(from);
        byte[] target = Posix.name(to);
        handle.use(fd -> {
            Posix.rename(fd, source, target, Posix.display(to));
            return null;
        });
    }

    /** Closes the handle; closing twice does nothing. */
    @Override
    public void close() {
        handle.close();
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
            throw new IllegalStateException("'" + Printable.quote(path.toString())
                    + "' was opened through read roots; nothing is written there");
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
            case FIFO -> "named pipe";
            case CHARACTER_DEVICE -> "character device";
            case BLOCK_DEVICE -> "block device";
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
