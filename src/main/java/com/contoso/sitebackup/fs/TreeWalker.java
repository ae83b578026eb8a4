package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.filter.PathFilter;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Lists the regular files, folders, symbolic links, named pipes and device nodes under a pinned directory, going
 * down through sub-directories opened the same way (each relative to the one above, never following a link), so the
 * walk cannot leave the tree or loop, whatever is renamed or swapped while it runs. A link is listed with its target
 * and never followed; a pipe or a device is listed and never opened. Sockets, unreadable entries and folders, and
 * folders deeper than {@value #MAX_DEPTH} levels are reported as problems, and the walk goes on.
 *
 * <p><b>Attributes.</b> Every entry listed carries its type, its mtime in nanoseconds, its twelve mode bits (set-id
 * and sticky included) and its numeric owner and group, read without following links through each folder's pinned
 * handle, once per folder ({@link SecureDirectory#entryAttributes}); a device its number; a regular file or folder
 * its {@code user.*} extended attributes, within {@link ExtendedAttributes}'s bounds (beyond them none, and a note
 * saying so).
 *
 * <p><b>Hard links.</b> {@link #FILES} groups the names of one regular file (same device and inode) among the
 * entries the filter selects: the first one met keeps its content (and records how many names the file has), each
 * later one is recorded as a hard link to it ({@link FileEntry#getHardLink}). The walk remembers a file only until
 * all its names are met, and at most {@value #MAX_LINKED_FILES} at once; a file met beyond that keeps its later
 * names as separate files, with a note.
 *
 * <p><b>Order.</b> Everything comes in the order of the entries' encoded relative names ({@link PathCodec}),
 * compared by Unicode code point, which is the order of their UTF-8 bytes and so the order in which the storage
 * service lists the blobs under a prefix: each folder's entries are sorted by their encoded name, a folder's
 * followed by {@code /} ({@code a.txt} before everything in folder {@code a}, {@code a0} after it, as in the full
 * names). A walk and a listing of the backup can therefore be merged in one pass.
 *
 * <p><b>Memory.</b> The walk is lazy ({@link #stream}): it holds one open folder and one sorted list of entries per
 * level of the current path, never the whole tree.
 */
public final class TreeWalker {
    /** The deepest folder level listed: each level holds an open folder while the walk is below it. */
    public static final int MAX_DEPTH = 256;

    /**
     * The most files with several names (hard links) a walk remembers at once, until it has met all their names:
     * about 200 bytes each.
     */
    public static final int MAX_LINKED_FILES = 100_000;

    /** Encoded names in the order the walk (and a blob listing) produces them: by code point. */
    public static final Comparator<String> ENCODED_ORDER = NameOrder.PATHS;

    /**
     * The walk as a {@link FileWalk}: the regular files (later names of one file as hard links to the first),
     * folders, links, pipes and devices {@code filter} accepts, with the notes about them, and the problems of the
     * entries it accepts and of every folder that could not be listed (files below it are unknown, whatever the
     * filter). Folders are entered whatever the filter says of them.
     */
    public static final FileWalk FILES = TreeWalker::walk;

    /**
     * One thing the walk met: a regular file (with its state when listed), a folder or a link, each with its
     * attributes as a {@link FileEntry}; or an entry that is not listed and why.
     *
     * @param relativePath the path relative to the start directory, holding the names' bytes
     * @param encodedPath the path's encoding ({@link PathCodec#encode(Path)}); empty for the start directory
     * @param entry the file's, folder's or link's entry with its type and attributes; null for a problem
     * @param state a file's state; null for anything else
     * @param problem why the entry is not listed; null for a file, folder or link
     * @param folder whether the problem is about a folder (unreadable, too deep), so files below it are unknown
     * @param note something about a listed entry that is not recorded (its extended attributes), or null
     */
    public record Entry(Path relativePath, String encodedPath, FileEntry entry, FileState state, String problem,
                        boolean folder, String note) {
        /** An entry without a note. */
        public Entry(Path relativePath, String encodedPath, FileEntry entry, FileState state, String problem,
                     boolean folder) {
            this(relativePath, encodedPath, entry, state, problem, folder, null);
        }

        /** A problem: an entry that is not listed, and why. */
        static Entry unlisted(Path relativePath, String encodedPath, String problem, boolean folder) {
            return new Entry(relativePath, encodedPath, null, null, problem, folder);
        }

        /** Whether this is a regular file. */
        public boolean isFile() {
            return entry != null && entry.getEntryType() == EntryType.FILE;
        }

        /** Whether this is a problem (otherwise a file, a folder or a link). */
        public boolean isProblem() {
            return problem != null;
        }
    }

    private TreeWalker() {
    }

    /**
     * The regular files under {@code start} (which stays open) and the problems met, lazily and in encoded-name
     * order, as the walk has always listed them: folders are not listed, links are problems ("symbolic link, not
     * followed"). Close the stream when done: it holds the folders of the current path open.
     */
    public static Stream<Entry> stream(SecureDirectory start) {
        return entries(start).filter(entry -> entry.isFile() || entry.isProblem()
                        || entry.entry().getEntryType() != EntryType.DIRECTORY)
                .map(entry -> entry.isFile() || entry.isProblem() ? entry : Entry.unlisted(entry.relativePath(),
                        entry.encodedPath(), entry.entry().getEntryType() == EntryType.SYMLINK
                                ? SecureDirectory.LINK_NOT_FOLLOWED : SecureDirectory.NOT_FILE_OR_FOLDER, false));
    }

    /**
     * Everything under {@code start} (which stays open), lazily and in encoded-name order: files, folders (each
     * before its content), links (never followed) and problems. Close the stream when done: it holds the folders
     * of the current path open.
     */
    public static Stream<Entry> entries(SecureDirectory start) {
        Walk walk = new Walk(start);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(walk,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(walk::close);
    }

    /** Walks {@code start} for {@link #FILES}. */
    private static void walk(SecureDirectory start, PathFilter filter, FileWalk.Visitor visitor) {
        HardLinks links = new HardLinks();
        try (Stream<Entry> walk = entries(start)) {
            walk.forEach(entry -> {
                boolean selected = filter.accepts(entry.relativePath().toString());
                if (entry.isProblem()) {
                    if (selected || entry.folder()) {
                        visitor.problem(new FileProblem(entry.encodedPath(), entry.problem()));
                    }
                } else if (selected) {
                    if (entry.note() != null) {
                        visitor.note(new FileProblem(entry.encodedPath(), entry.note()));
                    }
                    switch (entry.entry().getEntryType()) {
                        case FILE -> visitor.file(links.name(entry, visitor));
                        case DIRECTORY -> visitor.directory(entry.entry());
                        case SYMLINK -> visitor.link(entry.entry());
                        case FIFO, CHARACTER_DEVICE, BLOCK_DEVICE -> visitor.special(entry.entry());
                    }
                }
            });
        }
    }

    /**
     * The files with several names met so far whose other names are still to come: by identity, the first name's
     * encoded path and how many names are left. A file leaves when its last name is met.
     */
    private static final class HardLinks {
        private static final class Group {
            final String first;
            long left;

            Group(String first, long left) {
                this.first = first;
                this.left = left;
            }
        }

        private final java.util.Map<Object, Group> open = new java.util.HashMap<>();

        /** The file {@code entry} as recorded: its own content, or a hard link to its first name met. */
        FileEntry name(Entry entry, FileWalk.Visitor visitor) {
            FileEntry file = entry.entry();
            if (file.getNlink() == null || entry.state() == null || entry.state().fileKey() == null) {
                return file;
            }
            Object key = entry.state().fileKey();
            Group group = open.get(key);
            if (group == null) {
                if (open.size() >= MAX_LINKED_FILES) {
                    visitor.note(new FileProblem(file.getPath(), "hard links not recorded: more than "
                            + MAX_LINKED_FILES + " files with several names at once; its other names are stored as"
                            + " separate files"));
                    return file;
                }
                open.put(key, new Group(file.getPath(), file.getNlink() - 1));
                return file;
            }
            if (--group.left <= 0) {
                open.remove(key);
            }
            return file.withNlink(null).withHardLink(group.first);
        }
    }

    /**
     * One entry of a folder, as listed: its name, encoding, sort key, and attributes, target and extended attributes,
     * or why missing.
     */
    private record Child(Path name, String encoded, String key, EntryAttributes attributes, Path target,
                         ExtendedAttributes.Read xattrs, String error) {
    }

    /** A folder on the current path: its handle (owned unless it is the caller's start), place and sorted entries. */
    private static final class Frame {
        final SecureDirectory directory;
        final boolean owned;
        final Path relative;
        final String encoded;
        final int depth;
        final List<Child> children;
        int next;

        Frame(SecureDirectory directory, boolean owned, Path relative, String encoded, int depth, List<Child> children) {
            this.directory = directory;
            this.owned = owned;
            this.relative = relative;
            this.encoded = encoded;
            this.depth = depth;
            this.children = children;
        }
    }

    /** The walk as an iterator: depth first over a stack of frames. */
    private static final class Walk implements Iterator<Entry> {
        private final Deque<Frame> frames = new ArrayDeque<>();
        private final Deque<Entry> ready = new ArrayDeque<>();

        Walk(SecureDirectory start) {
            enter(start, false, Path.of(""), "", 0);
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && !frames.isEmpty()) {
                step();
            }
            return !ready.isEmpty();
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        /** Moves one entry on: reports it, or goes down into it, or leaves a finished folder. */
        private void step() {
            Frame frame = frames.peek();
            if (frame.next == frame.children.size()) {
                close(frames.pop());
                return;
            }
            Child child = frame.children.get(frame.next++);
            Path relative = frame.relative.toString().isEmpty() ? child.name() : frame.relative.resolve(child.name());
            String encoded = frame.encoded.isEmpty() ? child.encoded() : frame.encoded + "/" + child.encoded();
            EntryAttributes attributes = child.attributes();
            ExtendedAttributes.Read xattrs = child.xattrs() == null ? ExtendedAttributes.Read.NONE : child.xattrs();
            if (attributes == null) {
                ready.add(Entry.unlisted(relative, encoded, "not readable: " + child.error(), false));
            } else if (attributes.isRegularFile()) {
                ready.add(new Entry(relative, encoded, attributes.toEntry(encoded, null)
                        .withXattrs(xattrs.attributes()), attributes.state(), null, false, xattrs.note()));
            } else if (attributes.isSymbolicLink()) {
                ready.add(new Entry(relative, encoded, attributes.toEntry(encoded, child.target()), null, null, false));
            } else if (attributes.type() == null) {
                // A socket: made by the program that listens on it, not by a restore.
                ready.add(Entry.unlisted(relative, encoded, SecureDirectory.NOT_FILE_OR_FOLDER, false));
            } else if (attributes.type().isSpecial()) {
                ready.add(new Entry(relative, encoded, attributes.toEntry(encoded, null), null, null, false));
            } else if (frame.depth + 1 > MAX_DEPTH) {
                ready.add(Entry.unlisted(relative, encoded, "deeper than " + MAX_DEPTH + " folders; not listed", true));
            } else {
                SecureDirectory sub;
                try {
                    sub = frame.directory.openDirectory(child.name());
                } catch (IOException e) {
                    ready.add(Entry.unlisted(relative, encoded, "folder not readable: " + reason(e), true));
                    return;
                }
                ready.add(new Entry(relative, encoded, attributes.toEntry(encoded, null)
                        .withXattrs(xattrs.attributes()), null, null, false, xattrs.note()));
                enter(sub, true, relative, encoded, frame.depth + 1);
            }
        }

        /** Lists and sorts {@code folder} and makes it the current one; an owned folder is closed when left. */
        private void enter(SecureDirectory folder, boolean owned, Path relative, String encoded, int depth) {
            List<Child> children = new ArrayList<>();
            try {
                for (SecureDirectory.Listed listed : folder.list()) {
                    String encodedName = PathCodec.encode(listed.name());
                    EntryAttributes attributes = listed.attributes();
                    if (attributes == null) {
                        children.add(new Child(listed.name(), encodedName, encodedName, null, null, null,
                                reason(listed.error())));
                    } else {
                        children.add(new Child(listed.name(), encodedName, attributes.isDirectory()
                                ? encodedName + "/" : encodedName, attributes, listed.target(), listed.xattrs(),
                                null));
                    }
                }
            } catch (IOException e) {
                if (owned) {
                    folder.close();
                }
                ready.add(Entry.unlisted(relative, encoded, "folder not readable: " + reason(e), true));
                return;
            }
            children.sort(Comparator.comparing(Child::key, ENCODED_ORDER));
            frames.push(new Frame(folder, owned, relative, encoded, depth, children));
        }

        /** Closes every folder the walk still holds open (never the caller's start). */
        void close() {
            while (!frames.isEmpty()) {
                close(frames.pop());
            }
        }

        private static void close(Frame frame) {
            if (frame.owned) {
                frame.directory.close();
            }
        }
    }

    /** Why an operation failed, without the names the JDK puts in a file system exception's message. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        return e instanceof FileNotFoundException || e.getMessage() == null
                ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
    }
}
