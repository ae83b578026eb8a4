package com.contoso.sitebackup.standin.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands of the stack run in a session of their own ({@code setsid}, which execs the command in place, so the
 * process this JVM holds is the command itself): a Ctrl-C typed at the terminal reaches the runner alone, which
 * then terminates its instance through the engine and the worker before it stops them. Without {@code setsid} the
 * command runs as it is.
 */
final class Detached {
    private static final Path SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
            .filter(Files::isExecutable).findFirst().orElse(null);

    private Detached() {
    }

    static List<String> command(List<String> command) {
        if (SETSID == null) {
            return command;
        }
        List<String> detached = new ArrayList<>();
        detached.add(SETSID.toString());
        detached.addAll(command);
        return detached;
    }
}
