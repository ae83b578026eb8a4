package com.contoso.sitebackup.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The directories a job may touch: the read roots for a backup or a verification, the write roots for a
 * restore. A directory is allowed when its real path (symbolic links resolved) lies under the real path of
 * one of the roots, so a link cannot lead outside; a write root never allows the app's own code.
 */
public final class AllowedRoots {
    private final String setting;
    private final List<Path> roots;
    private final List<Path> forbidden;

    private AllowedRoots(String setting, List<Path> roots, List<Path> forbidden) {
        this.setting = setting;
        this.roots = List.copyOf(Objects.requireNonNull(roots, "roots"));
        this.forbidden = List.copyOf(Objects.requireNonNull(forbidden, "forbidden"));
    }

    /** The directories a backup or a verification may read; roots that do not exist allow nothing. */
    public static AllowedRoots forReading(List<Path> roots) {
        return new AllowedRoots("BACKUP_READ_ROOTS", roots, List.of());
    }

    /** The directories a restore may write: under {@code roots}, never under {@code code}. */
    public static AllowedRoots forWriting(List<Path> roots, List<Path> code) {
        return new AllowedRoots("BACKUP_WRITE_ROOTS", roots, code);
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
        return notForbidden(argument, directory, real);
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
        return notForbidden(argument, directory, real);
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
                    + roots + " (app setting " + setting + ")");
        }
        return real;
    }

    /** {@code real} unless it lies in, or holds, a forbidden directory (the app's own code). */
    private Path notForbidden(String argument, String directory, Path real) {
        if (forbidden.stream().map(AllowedRoots::realOrNull).anyMatch(f -> f != null && (real.startsWith(f) || f.startsWith(real)))) {
            throw new IllegalArgumentException(argument + " '" + directory + "' is not under an allowed root "
                    + roots + " (app setting " + setting + ")");
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
