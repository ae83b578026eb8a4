package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The directories the app may read ({@code BACKUP_READ_ROOTS}: backup, verify) or write
 * ({@code BACKUP_WRITE_ROOTS}: restore), and the one way in: {@link #open} walks from a root down to the
 * requested directory one name at a time, never following a symbolic link, and returns it pinned (an open
 * handle every later step works relative to). No later rename, swap or link inside the tree can make that
 * handle, or anything opened through it, lead outside.
 *
 * <p>Each root is resolved once (its real path, links in the configured path followed, since that is the
 * operator's choice), and the directory found there is remembered by identity (device and inode): a root that is
 * later replaced, for example by a link to somewhere else, is refused until the app restarts.
 *
 * <p>Write roots never reach the app's own code directories ({@code AzureWebJobsScriptRoot} and the folder the app's
 * classes were loaded from): a write root equal to one or inside one is a configuration error, and a walk that meets
 * one (a write root above it) stops there.
 *
 * <p>Every refusal of a requested directory has the same message, whatever the reason (outside every root, no
 * such directory, a link or a file on the way, the code directory, no permission), and names neither the roots
 * nor anything outside them: a caller learns nothing about the file system from it.
 */
public final class SecureRoots {
    private final List<Root> roots;
    private final boolean writable;
    /** The code directories' identities, never writable; empty for read roots. */
    private final Set<Object> codeDirectories;
    /** Whether a restore may set set-uid, set-gid and sticky bits (as root only); false for read roots. */
    private final boolean setIdBits;

    private SecureRoots(List<Root> roots, boolean writable, Set<Object> codeDirectories, boolean setIdBits) {
        this.roots = roots;
        this.writable = writable;
        this.codeDirectories = Set.copyOf(codeDirectories);
        this.setIdBits = setIdBits;
    }

    /** What a walk from a root does with a folder that is missing. */
    private enum Missing { REFUSE, CREATE, STOP }

    /**
     * Roots that may be read. An empty list allows nothing.
     *
     * @param setting the app setting the roots come from, for messages
     * @throws IllegalArgumentException naming the setting when a root is not an absolute path of names
     */
    public static SecureRoots forReading(String setting, List<Path> roots) {
        return new SecureRoots(parse(setting, roots, List.of()), false, Set.of(), false);
    }

    /**
     * Roots that may be written, never a code directory or anything inside one. An empty list allows nothing.
     *
     * @param setting the app setting the roots come from, for messages
     * @param codeDirectories the app's code directories ({@code AzureWebJobsScriptRoot}, the folder of the app's
     *     classes); those that do not exist are ignored
     * @throws IllegalArgumentException naming the setting when a root is not an absolute path of names, or is a
     *     code directory or inside one
     */
    public static SecureRoots forWriting(String setting, List<Path> roots, List<Path> codeDirectories) {
        return forWriting(setting, roots, codeDirectories, false);
    }

    /**
     * Like {@link #forWriting(String, List, List)}, and with {@code setIdBits} ({@code BACKUP_RESTORE_SETID_BITS})
     * a restore through these roots gives back recorded set-uid, set-gid and sticky bits when the process runs as
     * root; without it (the default), only the nine permission bits are ever set.
     */
    public static SecureRoots forWriting(String setting, List<Path> roots, List<Path> codeDirectories,
                                         boolean setIdBits) {
        List<Path> code = new ArrayList<>();
        Set<Object> codeIdentities = new HashSet<>();
        for (Path directory : Objects.requireNonNull(codeDirectories, "codeDirectories")) {
            try {
                Path real = directory.toRealPath();
                code.add(real);
                codeIdentities.add(identity(real));
            } catch (IOException e) {
                // Not on this machine: nothing to keep out there.
            }
        }
        List<Root> parsed = parse(setting, roots, code);
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.get(i).insideKeepOut()) {
                throw new IllegalArgumentException(setting + " entry " + (i + 1)
                        + " is the app's code directory (AzureWebJobsScriptRoot) or inside it: never writable");
            }
        }
        return new SecureRoots(parsed, true, codeIdentities, setIdBits);
    }

    /** Whether directories opened through these roots may be written. */
    public boolean writable() {
        return writable;
    }

    /**
     * Whether the operator allows restores through these roots to set set-uid, set-gid and sticky bits
     * ({@code BACKUP_RESTORE_SETID_BITS}); they are set only when the process also runs as root.
     */
    public boolean setIdBitsAllowed() {
        return setIdBits;
    }

    /** The identity (device and inode) of the directory at {@code real}, links in the path followed. */
    private static FileKey identity(Path real) throws IOException {
        return Posix.stat(Posix.AT_FDCWD, Posix.absolute(real), true, Posix.display(real)).fileKey();
    }

    /**
     * The existing directory {@code directory} (an absolute path), reached from the root it lies under without
     * following a link at any step, pinned.
     *
     * @param argument what the directory is, for the message ({@code "rootDirectory"})
     * @throws IllegalArgumentException naming the argument, with the same message for every reason
     */
    public SecureDirectory open(String argument, String directory) {
        return walk(argument, directory, Missing.REFUSE);
    }

    /**
     * Like {@link #open}, but folders missing below the root are created, one at a time and each checked to be
     * a real folder inside the one above before going on (see {@link SecureDirectory#openOrCreateDirectory}).
     * Only for write roots.
     *
     * @throws IllegalStateException for read roots
     */
    public SecureDirectory openOrCreate(String argument, String directory) {
        if (!writable) {
            throw new IllegalStateException("folders are only created under write roots");
        }
        return walk(argument, directory, Missing.CREATE);
    }

    /**
     * Checks, creating nothing, that {@code directory} could be opened with {@link #openOrCreate}: it lies under a
     * write root and every part of it that exists is a folder reached without a link (a missing rest is created
     * when something is written there). For a request that is checked before it runs.
     *
     * @throws IllegalStateException for read roots
     * @throws IllegalArgumentException as {@link #open} does
     */
    public void checkWritable(String argument, String directory) {
        if (!writable) {
            throw new IllegalStateException("only write roots are checked for writing");
        }
        walk(argument, directory, Missing.STOP).close();
    }

    private SecureDirectory walk(String argument, String directory, Missing missing) {
        Path requested = parseRequest(argument, directory);
        Root root = roots.stream()
                .filter(r -> r.covers(requested))
                .max(Comparator.comparingInt(r -> r.prefixLength(requested)))
                .orElseThrow(() -> refused(argument, directory));
        Path below = root.relativize(requested);
        SecureDirectory current = null;
        try {
            current = root.open(this);
            if (!below.toString().isEmpty()) {
                for (Path name : below) {
                    SecureDirectory next;
                    try {
                        next = missing == Missing.CREATE ? current.openOrCreateDirectory(name) : current.openDirectory(name);
                    } catch (NoSuchFileException e) {
                        if (missing == Missing.STOP) {
                            // The rest does not exist yet: what exists is all there is to check.
                            return current;
                        }
                        throw e;
                    }
                    current.close();
                    current = next;
                }
            }
            return current;
        } catch (IOException e) {
            closeQuietly(current);
            // No cause attached: it would tell a missing folder from a link, which the message must not.
            throw refused(argument, directory);
        } catch (RuntimeException e) {
            closeQuietly(current);
            throw e;
        }
    }

    /** Whether a pinned directory is a code directory, which a write root never enters. */
    boolean isCodeDirectory(Object identity) {
        return codeDirectories.contains(identity);
    }

    private IllegalArgumentException refused(String argument, String directory) {
        return new IllegalArgumentException(argument + " '" + Printable.quote(directory) + "' is not a directory this"
                + " app may " + (writable ? "write" : "read") + " (it must be a folder under one of the configured "
                + (writable ? "write" : "read") + " roots, reached without symbolic links)");
    }

    private Path parseRequest(String argument, String directory) {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException(argument + " is required and must not be blank");
        }
        Path path;
        try {
            path = Path.of(directory);
        } catch (InvalidPathException e) {
            throw refused(argument, directory);
        }
        if (!path.isAbsolute() || hasDotNames(path)) {
            throw new IllegalArgumentException(argument + " '" + Printable.quote(directory)
                    + "' must be an absolute path without '.' or '..' names");
        }
        return path;
    }

    private static boolean hasDotNames(Path path) {
        for (Path name : path) {
            if (name.toString().equals(".") || name.toString().equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static List<Root> parse(String setting, List<Path> roots, List<Path> keepOut) {
        Objects.requireNonNull(roots, "roots");
        List<Root> parsed = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            Path root = roots.get(i);
            if (root == null || !root.isAbsolute() || hasDotNames(root)) {
                throw new IllegalArgumentException(setting + " entry " + (i + 1)
                        + " must be an absolute path without '.' or '..' names");
            }
            parsed.add(new Root(root, keepOut));
        }
        return List.copyOf(parsed);
    }

    static void closeQuietly(SecureDirectory directory) {
        if (directory != null) {
            directory.close();
        }
    }

    /** One configured root: its path as configured, and once found its real path and the directory's identity. */
    private static final class Root {
        private final Path configured;
        /** The code directories' real paths, which a write root may not resolve into; empty for read roots. */
        private final List<Path> keepOut;
        private volatile Found found;

        /** Where the root was found and which directory was there. */
        private record Found(Path real, Object identity) {
        }

        Root(Path configured, List<Path> keepOut) {
            this.configured = configured;
            this.keepOut = keepOut;
            resolve();
        }

        /** Whether the root's path leads into the code directory now (checked at startup). */
        boolean insideKeepOut() {
            try {
                Path real = configured.toRealPath();
                return keepOut.stream().anyMatch(real::startsWith);
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * The root as first found: resolved on first sight, so a root missing at startup is resolved when it
         * appears (and a root that then leads into the code directory is never accepted); null while missing.
         */
        private Found resolve() {
            Found current = found;
            if (current != null) {
                return current;
            }
            synchronized (this) {
                if (found == null) {
                    try {
                        Path real = configured.toRealPath();
                        Stat attributes = Posix.stat(Posix.AT_FDCWD, Posix.absolute(real), true,
                                Posix.display(real));
                        boolean allowed = keepOut.stream().noneMatch(real::startsWith);
                        if (attributes.isDirectory() && allowed) {
                            found = new Found(real, attributes.fileKey());
                        }
                    } catch (IOException e) {
                        // Not there (yet): it allows nothing until it is.
                    }
                }
                return found;
            }
        }

        boolean covers(Path requested) {
            Found current = found;
            return requested.startsWith(configured) || (current != null && requested.startsWith(current.real()));
        }

        int prefixLength(Path requested) {
            return requested.startsWith(configured) ? configured.getNameCount() : found.real().getNameCount();
        }

        Path relativize(Path requested) {
            return (requested.startsWith(configured) ? configured : found.real()).relativize(requested);
        }

        /** The root directory, opened and checked to be the very directory first found there. */
        SecureDirectory open(SecureRoots owner) throws IOException {
            Found expected = resolve();
            if (expected == null) {
                throw new IOException("root not available");
            }
            // The real path, links in it followed (the operator's choice, resolved once): O_DIRECTORY, so nothing but
            // a folder is opened, and the folder is checked to be the very one first found there.
            Descriptor root = new Descriptor(Posix.open(Posix.AT_FDCWD, Posix.absolute(expected.real()),
                    Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NONBLOCK | Posix.O_NOCTTY, 0, "root"));
            try {
                Object identity = root.use(fd -> Posix.fstat(fd, "root")).fileKey();
                if (!expected.identity().equals(identity) || (owner.writable && owner.isCodeDirectory(identity))) {
                    throw new IOException("root replaced since it was first found");
                }
            } catch (IOException | RuntimeException e) {
                root.close();
                throw e;
            }
            return new SecureDirectory(root, expected.real(), owner);
        }
    }
}
