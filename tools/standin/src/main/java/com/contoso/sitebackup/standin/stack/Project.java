package com.contoso.sitebackup.standin.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project is: the folder that holds {@code scripts/} (the sidecar's build), {@code tools/},
 * {@code node_modules/} (Azurite) and {@code target/azure-functions/} (the packaged app). Named by the system
 * property {@value #PROPERTY} (the scripts set it); else the project above the stand-in's jar
 * ({@code <project>/tools/standin/target/site-backup-standin.jar}); else the first folder at or above the working
 * directory that holds {@code scripts/sidecar.sh} (Maven runs tests in the project).
 */
public final class Project {
    /** The system property that names the project folder. */
    public static final String PROPERTY = "sitebackup.project";
    /** The packaged app, relative to the project. */
    public static final String APP = "target/azure-functions/site-backup-func";

    private Project() {
    }

    /** The project folder. */
    public static Path root() {
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            return Path.of(named).toAbsolutePath().normalize();
        }
        Path jar = standInJar();
        if (jar != null) {
            Path candidate = jar.getParent().getParent().getParent().getParent();
            if (candidate != null && isProject(candidate)) {
                return candidate;
            }
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (isProject(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no scripts/sidecar.sh in " + dir + " or above, and -D" + PROPERTY
                + " is not set: run from the project");
    }

    /** The packaged app of the project. */
    public static Path app() {
        return root().resolve(APP);
    }

    /**
     * The stand-in's jar when these classes were loaded from it (its manifest names its lib/), or null when they
     * were loaded from a folder of classes (the project's tests compile them in).
     */
    public static Path standInJar() {
        try {
            Path location = Path.of(Project.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    private static boolean isProject(Path dir) {
        return Files.isRegularFile(dir.resolve("scripts").resolve("sidecar.sh"));
    }
}
