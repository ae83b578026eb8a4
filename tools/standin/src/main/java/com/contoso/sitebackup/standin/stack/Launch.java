package com.contoso.sitebackup.standin.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the stand-in starts a JVM of its own (a bridge): this JVM's {@code java}, on the stand-in's jar (its manifest
 * names its {@code lib/}). The jar is the one these classes came from, else the one the system property
 * {@value #JAR_PROPERTY} names (the project's tests, which compile these classes in, name the jar the build made);
 * without either, this JVM's own class path.
 */
public final class Launch {
    /** The system property naming the stand-in's jar. */
    public static final String JAR_PROPERTY = "sitebackup.standin.jar";

    private Launch() {
    }

    /** The command that runs {@code mainClass} of the stand-in, with {@code jvmOptions} before it. */
    public static List<String> java(String mainClass, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        return command;
    }

    /** The class path of the stand-in's JVMs. */
    public static String classPath() {
        Path own = Project.standInJar();
        if (own != null) {
            return own.toString();
        }
        String named = System.getProperty(JAR_PROPERTY);
        if (named != null && !named.isBlank()) {
            if (!Files.isRegularFile(Path.of(named))) {
                throw new IllegalStateException(JAR_PROPERTY + " names " + named + ", which does not exist: build it"
                        + " with scripts/build-standin.sh");
            }
            return named;
        }
        return System.getProperty("java.class.path");
    }
}
