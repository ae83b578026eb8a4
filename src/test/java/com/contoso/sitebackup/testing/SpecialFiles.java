package com.contoso.sitebackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File-system entries Java cannot make itself, made with the system's own tools. */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    /** A named pipe at {@code path} (opening one for reading blocks until a writer comes). */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0 || !Files.exists(path)) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }
}
