package com.contoso.sitebackup.files;


import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Walks a directory tree and lists its regular files, relative to the root, in a stable (sorted) order.
 *
 * <p>Symbolic links are never followed, so the walk cannot leave the root or loop; each link is reported as
 * a problem, as is every entry that cannot be read, and the walk goes on.
 */
public final class FileLister {

    /** The two file system calls the walk makes; tests substitute one to make an entry fail. */
    interface FileSystemView {
        BasicFileAttributes attributes(Path path) throws IOException;

        List<Path> children(Path directory) throws IOException;
    }

    private static final FileSystemView LOCAL = new FileSystemView() {
        @Override
        public BasicFileAttributes attributes(Path path) throws IOException {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public List<Path> children(Path directory) throws IOException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
                stream.forEach(children::add);
            }
            return children;
        }
    };

    private final FileSystemView fileSystem;

    /** A lister over the local file system. */
    public FileLister() {
        this(LOCAL);
    }

    FileLister(FileSystemView fileSystem) {
        this.fileSystem = fileSystem;
    }

    /**
     * Lists the regular files under {@code root} that {@code filter} accepts.
     *
     * @param root an existing directory (canonical path)
     */
    public DirectoryListing list(Path root, PathFilter filter) {
        List<FileEntry> files = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        Deque<Path> directories = new ArrayDeque<>();
        directories.push(root);
        while (!directories.isEmpty()) {
            Path directory = directories.pop();
            List<Path> children;
            try {
                children = fileSystem.children(directory);
            } catch (IOException e) {
                problems.add(new FileProblem(relative(root, directory), "directory not readable: " + describe(e)));
                continue;
            }
            for (Path child : children) {
                String relative = relative(root, child);
                BasicFileAttributes attributes;
                try {
                    attributes = fileSystem.attributes(child);
                } catch (IOException e) {
                    problems.add(new FileProblem(relative, "not readable: " + describe(e)));
                    continue;
                }
                if (attributes.isSymbolicLink()) {
                    if (filter.accepts(relative)) {
                        problems.add(new FileProblem(relative, "symbolic link, not followed"));
                    }
                } else if (attributes.isDirectory()) {
                    directories.push(child);
                } else if (!filter.accepts(relative)) {
                    continue;
                } else if (attributes.isRegularFile()) {
                    files.add(new FileEntry(relative, attributes.size(), attributes.lastModifiedTime().toMillis()));
                } else {
                    problems.add(new FileProblem(relative, "not a regular file"));
                }
            }
        }
        files.sort(Comparator.comparing(FileEntry::getPath));
        problems.sort(Comparator.comparing(FileProblem::getPath));
        return new DirectoryListing(files, problems);
    }

    private static String relative(Path root, Path path) {
        String relative = root.relativize(path).toString();
        return path.getFileSystem().getSeparator().equals("/") ? relative : relative.replace('\\', '/');
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
}
