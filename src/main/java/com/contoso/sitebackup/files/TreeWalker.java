package com.contoso.sitebackup.files;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Lists the regular files under a pinned directory, going down through sub-directories opened the same way
 * (each relative to the one above, never following a link), so the walk cannot leave the tree or loop, whatever
 * is renamed or swapped while it runs. Links, other special files, unreadable folders and folders deeper than
 * {@value #MAX_DEPTH} levels are reported as problems, and the walk goes on.
 */
public final class TreeWalker {
    /** The deepest folder level listed: each level holds two file descriptors while the walk is below it. */
    public static final int MAX_DEPTH = 256;

    /** Receives what the walk finds; paths are relative to the start directory and keep the names' bytes. */
    public interface Visitor {
        /** A regular file and its state when listed. */
        void file(Path relativePath, FileState state);

        /** An entry that is not listed, and why. */
        void problem(Path relativePath, String reason);
    }

    private TreeWalker() {
    }

    /** Walks everything under {@code start} (which stays open). */
    public static void walk(SecureDirectory start, Visitor visitor) {
        walk(start, null, 0, visitor);
    }

    private static void walk(SecureDirectory directory, Path relative, int depth, Visitor visitor) {
        List<Path> names;
        try {
            names = directory.names();
        } catch (IOException e) {
            visitor.problem(relative == null ? Path.of("") : relative, "folder not readable: " + reason(e));
            return;
        }
        for (Path name : names) {
            Path child = relative == null ? name : relative.resolve(name);
            BasicFileAttributes attributes;
            try {
                attributes = directory.attributes(name);
            } catch (IOException e) {
                visitor.problem(child, "not readable: " + reason(e));
                continue;
            }
            if (attributes.isRegularFile()) {
                visitor.file(child, FileState.of(attributes));
            } else if (!attributes.isDirectory()) {
                visitor.problem(child, SecureDirectory.describe(attributes));
            } else if (depth + 1 > MAX_DEPTH) {
                visitor.problem(child, "deeper than " + MAX_DEPTH + " folders; not listed");
            } else {
                try (SecureDirectory sub = directory.openDirectory(name)) {
                    walk(sub, child, depth + 1, visitor);
                } catch (IOException e) {
                    visitor.problem(child, "folder not readable: " + reason(e));
                }
            }
        }
    }

    /** Why an operation failed, without the path the JDK may put in the message. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e instanceof FileNotFoundException || e.getMessage() == null
                ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
    }
}
