package com.contoso.sitebackup.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The directories a backup may read (and a restore may write). A directory is allowed when its real path
 * (symbolic links resolved) lies under the real path of one of the roots, so a link cannot lead outside.
 */
public final class AllowedRoots {
    private final List<Path> roots;

    /** A policy over {@code roots}; roots that do not exist allow nothing. */
    public AllowedRoots(List<Path> roots) {
        if (Objects.requireNonNull(roots, "roots").isEmpty()) {
            throw new IllegalArgumentException("roots must name at least one directory");
        }
        this.roots = List.copyOf(roots);
    }

    /** The configured roots, as given. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * The canonical path of an existing, allowed directory; otherwise IllegalArgumentException with a message
     * that names {@code argument} and says what is wrong.
     */
    public Path resolveDirectory(String argument, String directory) {
        Path real = realPath(argument, directory);
        if (!Files.isDirectory(real)) {
            throw new IllegalArgumentException(argument + " '" + directory + "' is not a directory");
        }
        return real;
    }

    /**
     * The canonical path of an allowed directory that may not exist yet (a restore target): its nearest
     * existing ancestor must be allowed, and it must not be an existing non-directory.
     */
    public Path resolveTarget(String argument, String directory) {
        Path path = parse(argument, directory);
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException(argument + " '" + directory + "' has no existing parent directory");
        }
        Path real = realPath(argument, existing.toString()).resolve(existing.relativize(path));
        if (Files.exists(real) && !Files.isDirectory(real)) {
            throw new IllegalArgumentException(argument + " '" + directory + "' is not a directory");
        }
        return real;
    }

    private Path realPath(String argument, String directory) {
        Path path = parse(argument, directory);
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(argument + " '" + directory + "' does not exist");
        }
        if (roots.stream().map(AllowedRoots::realOrNull).noneMatch(r -> r != null && real.startsWith(r))) {
            throw new IllegalArgumentException(argument + " '" + directory + "' is not under an allowed root "
                    + roots + " (app setting BACKUP_ALLOWED_ROOTS)");
        }
        return real;
    }

    private static Path parse(String argument, String directory) {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException(argument + " is required and must not be blank");
        }
        Path path;
        try {
            path = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(argument + " '" + directory + "' is not a valid path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(argument + " '" + directory + "' must be an absolute path");
        }
        return path.normalize();
    }

    private static Path realOrNull(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }
}
