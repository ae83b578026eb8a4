package com.contoso.sitebackup.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory held open (pinned) once reached from an allowed root without following links; every operation
 * works relative to that open handle ({@code openat}, {@code fstatat}, {@code renameat}, {@code unlinkat} with
 * {@code O_NOFOLLOW}; folders, which Java cannot make relative to a handle, through the
 * handle's {@code /proc/self/fd} entry), never by path, so renaming or swapping anything above it or around it
 * cannot redirect what happens here. Names passed in are single file names (as {@link #names()} returns them, or from
 * {@link BlobNameCodec#decodePath}); never paths.
 *
 * <p>A directory reached through write roots may also create folders and temporary files; one reached
 * through read roots may only be read. Close it when done (it holds two file descriptors).
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
    /** Held while a marked (O_SYNC) open of a directory exists, so there is at most one in the process. */
    private static final Object MARKED_OPEN = new Object();

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

    /** What is done with a path that leads to this directory through its open handle. */
    private interface HandleAction {
        void run(Path handle) throws IOException;
    }

    /**
     * Runs {@code action} with {@code /proc/self/fd/N} for a descriptor N of this directory held open by this call.
     *
     * <p>The number of the descriptor a {@link SecureDirectoryStream} holds is not visible from Java, and telling it
     * from the descriptors other threads open and close meanwhile by listing {@code /proc/self/fd} before and
     * after an open is a guess that fails under load (a number closed and reused between the two listings). So
     * the directory is opened once more, as a plain channel with {@code O_SYNC}, through any descriptor that shows
     * it now; that open is the one descriptor of the process with {@code O_SYNC} on this directory (this app opens
     * no other directory that way, and a process-wide lock lets one such open exist at a time), so its number is
     * read from {@code /proc/self/fdinfo}, and it is used only if it shows this very directory (device and inode):
     * an open through a number that was reused for something else meanwhile is detected and the next one tried.
     */
    private void throughHandle(Path name, HandleAction action) throws IOException {
        Object identity = state().fileKey();
        synchronized (MARKED_OPEN) {
            for (Path descriptor : descriptorsOf(identity)) {
                FileChannel marked;
                try {
                    marked = FileChannel.open(descriptor, StandardOpenOption.READ, StandardOpenOption.SYNC);
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                try (marked) {
                    Path own = markedDescriptor(identity);
                    if (own != null) {
                        action.run(own);
                        return;
                    }
                }
            }
        }
        throw new FileSystemException(name.toString(), null, "no handle to work through (/proc/self/fd); nothing done");
    }

    /** The one descriptor opened with O_SYNC that shows the directory {@code identity}, or null. */
    private static Path markedDescriptor(Object identity) {
        Path found = null;
        for (Path descriptor : descriptorsOf(identity)) {
            try {
                if (hasSyncFlag(Files.readAllLines(DESCRIPTOR_INFO.resolve(descriptor.getFileName())))) {
                    if (found != null) {
                        return null;
                    }
                    found = descriptor;
                }
            } catch (IOException closedMeanwhile) {
                // Another thread's descriptor, closed since it was listed: not ours.
            }
        }
        // Checked again once found: the number might have been closed and reused between the two looks.
        try {
            return found != null && identity.equals(Files.readAttributes(found, BasicFileAttributes.class).fileKey())
                    ? found : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether an fdinfo's {@code flags:} line (octal) holds {@code __O_SYNC}, which only O_SYNC opens set. */
    private static boolean hasSyncFlag(List<String> fdinfo) {
        for (String line : fdinfo) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring("flags:".length()).trim(), 8) & SYNC_FLAG) != 0;
            }
        }
        return false;
    }

    /** The entries of /proc/self/fd that show the directory {@code identity}; empty without /proc. */
    private static Set<Path> descriptorsOf(Object identity) {
        Set<Path> found = new LinkedHashSet<>();
        try (Stream<Path> descriptors = Files.list(DESCRIPTORS)) {
            for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
                try {
                    if (identity.equals(Files.readAttributes(descriptor, BasicFileAttributes.class).fileKey())) {
                        found.add(descriptor);
                    }
                } catch (IOException closedMeanwhile) {
                    // Closed since it was listed (another thread's file): not ours.
                }
            }
        } catch (IOException | UncheckedIOException noProc) {
            // No /proc/self/fd: no handle to create through, so nothing is created.
        }
        return found;
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
     * The regular file at {@code relative} (names joined by '/', as {@link BlobNameCodec#decodePath} gives them)
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
        checkWritable();
        // A short name of our own: the target's name plus a suffix could pass the file system's name limit.
        Path name = Path.of(".restoring-" + UUID.randomUUID());
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

    static String describe(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "symbolic link, not followed";
        }
        return attributes.isDirectory() ? "a folder, not a file" : attributes.isRegularFile()
                ? "a file, not a folder" : "not a regular file or folder";
    }
}
