package com.contoso.sitebackup.files;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The {@link FileWalk} of this app: depth first, each folder's entries sorted by {@link NameOrder#siblingKey},
 * so files come out in {@link NameOrder} and only the folders on the current path are held (one open handle and
 * one sorted list of entries per level).
 *
 * <p>Every folder is opened relative to the handle of the folder above it, refusing a link
 * ({@link SecureDirectoryStream}, {@code openat} with {@code O_NOFOLLOW}), and every entry's attributes are read
 * through that handle without following a link: a folder renamed or replaced by a link while the walk runs
 * cannot lead it outside the root. A link is reported, never followed; so are special files and whatever cannot
 * be read, and the walk goes on. Needs a file system with secure directory streams (Linux, where the app runs).
 */
public final class SortedWalk implements FileWalk {
    private enum Kind { FILE, DIRECTORY, LINK, OTHER, UNREADABLE }

    /** One entry of a folder: what the walk needs of it, read through the folder's handle. */
    private record Entry(String name, String key, Kind kind, long size, long lastModified, String error) {
    }

    /** A folder on the current path: its handle, relative path, sorted entries and the next one to visit. */
    private static final class Frame {
        final SecureDirectoryStream<Path> stream;
        final String relative;
        final List<Entry> entries;
        int next;

        Frame(SecureDirectoryStream<Path> stream, String relative, List<Entry> entries) {
            this.stream = stream;
            this.relative = relative;
            this.entries = entries;
        }
    }

    @Override
    public void walk(Path root, PathFilter filter, Visitor visitor) {
        DirectoryStream<Path> top;
        try {
            top = Files.newDirectoryStream(root);
        } catch (IOException e) {
            visitor.problem(new FileProblem("", "directory not readable: " + describe(e)));
            return;
        }
        if (!(top instanceof SecureDirectoryStream<Path> secure)) {
            close(top);
            throw new UnsupportedOperationException("walking '" + root + "' needs secure directory streams (Linux)");
        }
        Deque<Frame> path = new ArrayDeque<>();
        try {
            push(path, secure, "", visitor);
            while (!path.isEmpty()) {
                Frame frame = path.peek();
                if (frame.next == frame.entries.size()) {
                    close(path.pop().stream);
                    continue;
                }
                Entry entry = frame.entries.get(frame.next++);
                String relative = frame.relative.isEmpty() ? entry.name() : frame.relative + "/" + entry.name();
                switch (entry.kind()) {
                    case DIRECTORY -> {
                        SecureDirectoryStream<Path> child;
                        try {
                            child = frame.stream.newDirectoryStream(Path.of(entry.name()), LinkOption.NOFOLLOW_LINKS);
                        } catch (IOException e) {
                            visitor.problem(new FileProblem(relative, "directory not readable: " + describe(e)));
                            continue;
                        }
                        push(path, child, relative, visitor);
                    }
                    case UNREADABLE -> visitor.problem(new FileProblem(relative, "not readable: " + entry.error()));
                    default -> {
                        if (filter.accepts(relative)) {
                            report(entry, relative, visitor);
                        }
                    }
                }
            }
        } finally {
            path.forEach(frame -> close(frame.stream));
        }
    }

    private static void report(Entry entry, String relative, Visitor visitor) {
        switch (entry.kind()) {
            case FILE -> visitor.file(new FileEntry(relative, entry.size(), entry.lastModified()));
            case LINK -> visitor.problem(new FileProblem(relative, "symbolic link, not followed"));
            default -> visitor.problem(new FileProblem(relative, "not a regular file"));
        }
    }

    /** Lists and sorts the entries of {@code stream}, and makes it the deepest folder of {@code path}. */
    private static void push(Deque<Frame> path, SecureDirectoryStream<Path> stream, String relative, Visitor visitor) {
        List<Entry> entries = new ArrayList<>();
        try {
            for (Path child : stream) {
                entries.add(entry(stream, child.getFileName()));
            }
        } catch (DirectoryIteratorException e) {
            visitor.problem(new FileProblem(relative, "directory not readable: " + describe(e.getCause())));
            close(stream);
            return;
        }
        entries.sort(Comparator.comparing(Entry::key, NameOrder.PATHS));
        path.push(new Frame(stream, relative, entries));
    }

    private static Entry entry(SecureDirectoryStream<Path> directory, Path name) {
        String text = name.toString();
        try {
            BasicFileAttributes attributes = directory.getFileAttributeView(name, BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            Kind kind = attributes.isSymbolicLink() ? Kind.LINK : attributes.isDirectory() ? Kind.DIRECTORY
                    : attributes.isRegularFile() ? Kind.FILE : Kind.OTHER;
            return new Entry(text, NameOrder.siblingKey(text, kind == Kind.DIRECTORY), kind, attributes.size(),
                    attributes.lastModifiedTime().toMillis(), null);
        } catch (IOException e) {
            return new Entry(text, text, Kind.UNREADABLE, 0, 0, describe(e));
        }
    }

    private static void close(DirectoryStream<Path> stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Closing a directory handle that was only read cannot lose data; nothing to report.
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
}
