package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.FileEntry;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads one snapshot manifest as a stream: its summary ({@link #info}) from the header line, then its entries in
 * the order they were written, one line at a time, so memory holds a read buffer whatever the manifest's size.
 * A line that is not an entry stops the reading with an IllegalStateException naming the manifest and the line's
 * number. Close it when done: it holds the download open.
 */
public final class SnapshotReader implements AutoCloseable, Iterator<FileEntry> {
    private final String name;
    private final BufferedReader lines;
    private final SnapshotInfo info;
    private FileEntry next;
    private long lineNumber = 1;
    private boolean done;

    /** Reads the header of manifest {@code name} from {@code compressed}, which this reader closes. */
    SnapshotReader(String name, InputStream compressed) {
        this.name = Objects.requireNonNull(name, "name");
        try {
            this.lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(compressed, 64 * 1024),
                    StandardCharsets.UTF_8), 16 * 1024);
        } catch (IOException e) {
            closeQuietly(compressed);
            throw new UncheckedIOException("manifest " + name + " is not readable", e);
        }
        try {
            this.info = SnapshotStore.parseHeader(name, lines.readLine());
        } catch (IOException | RuntimeException e) {
            closeQuietly(lines);
            throw e instanceof IOException io ? new UncheckedIOException("manifest " + name + " is not readable", io)
                    : (RuntimeException) e;
        }
    }

    /** The snapshot's summary, as the header line holds it (with the counts of the entries that follow). */
    public SnapshotInfo info() {
        return info;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            String line;
            try {
                line = lines.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("manifest " + name + " is not readable after line " + lineNumber, e);
            }
            if (line == null) {
                done = true;
                return false;
            }
            lineNumber++;
            try {
                next = SnapshotStore.JSON.readValue(line, FileEntry.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("manifest " + name + " line " + lineNumber + " is not an entry", e);
            }
        }
        return next != null;
    }

    @Override
    public FileEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("manifest " + name + " has no more entries");
        }
        FileEntry entry = next;
        next = null;
        return entry;
    }

    @Override
    public void close() {
        done = true;
        next = null;
        closeQuietly(lines);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Nothing was being written; a download that cannot be closed cleanly has nothing left to lose.
        }
    }
}
