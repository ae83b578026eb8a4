package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
 * Close it when done: it holds the download open.
 *
 * <p>Two ways to read the entries:
 * <ul>
 *   <li>{@link #nextLine()}, for whoever applies the values (a restore): every line comes back on its own, either
 *       its entry, checked ({@link FileEntry#check}: times a file system holds, a size not negative, mode and ids in
 *       range), or a problem naming the line's number (and its path when it has one) and what is wrong with it. One
 *       bad line fails that entry only, never the whole manifest, and never as something to try again.</li>
 *   <li>as an {@link Iterator} ({@link #hasNext}, {@link #next}), for whoever must see every entry or none (a
 *       pruning that keeps what any snapshot references): a line that is not an entry stops the reading with an
 *       IllegalStateException naming the manifest and the line's number. Values are not range-checked here.</li>
 * </ul>
 */
public final class SnapshotReader implements AutoCloseable, Iterator<FileEntry> {
    /** How much of a parser's message a problem quotes. */
    private static final int MAX_REASON = 200;

    /**
     * One line of a manifest after its header: its number (the header is line 1) and the entry it holds, checked,
     * or the problem that keeps it from being one.
     *
     * @param number the line's number in the manifest
     * @param entry the entry, checked when there is no problem; as read (unchecked, so only to see what kind of
     *     entry it is) when a value is out of range; null when the line is not an entry at all
     * @param problem what is wrong with the line, named by its path (or {@code (manifest line N)}); null for a good
     *     entry
     */
    public record Line(long number, FileEntry entry, FileProblem problem) {
        /** Whether the line holds a checked entry, to use. */
        public boolean isEntry() {
            return problem == null;
        }
    }

    private final String name;
    private final BufferedReader lines;
    private final SnapshotInfo info;
    private final int format;
    private FileEntry next;
    /** The line read but not handed out yet, and its number. */
    private String pending;
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
            SnapshotStore.Header header = SnapshotStore.header(name, lines.readLine());
            this.info = header.info();
            this.format = header.format();
        } catch (IOException | RuntimeException e) {
            closeQuietly(lines);
            throw e instanceof IOException io ? new UncheckedIOException("manifest " + name + " is not readable", io)
                    : (RuntimeException) e;
        }
    }

    /**
     * The manifest's format: 1 (before issue 26: nine permission bits, no pipes, devices, hard links, extended
     * attributes or derived blob names) or 2.
     */
    public int format() {
        return format;
    }

    /** The snapshot's summary, as the header line holds it (with the counts of the entries that follow). */
    public SnapshotInfo info() {
        return info;
    }

    /**
     * The next line (see {@link Line}), or null once every line was read.
     *
     * @throws UncheckedIOException when the download fails (worth another try)
     */
    public Line nextLine() {
        if (next != null) {
            FileEntry entry = next;
            next = null;
            pending = null;
            return checked(lineNumber, entry);
        }
        if (!readPending()) {
            return null;
        }
        String line = pending;
        pending = null;
        FileEntry entry;
        try {
            entry = SnapshotStore.JSON.readValue(line, FileEntry.class);
        } catch (JsonProcessingException e) {
            return problem(lineNumber, pathOf(line), "not an entry: " + shortened(e.getOriginalMessage()));
        }
        if (entry == null) {
            return problem(lineNumber, null, "not an entry: null");
        }
        return checked(lineNumber, entry);
    }

    private static Line checked(long number, FileEntry entry) {
        try {
            return new Line(number, entry.check(), null);
        } catch (IllegalArgumentException e) {
            return new Line(number, entry, problemOf(number, entry.getPath(), "out of range: "
                    + shortened(e.getMessage())));
        }
    }

    private static Line problem(long number, String path, String reason) {
        return new Line(number, null, problemOf(number, path, reason));
    }

    private static FileProblem problemOf(long number, String path, String reason) {
        String where = path == null ? "(manifest line " + number + ")" : Printable.quote(path);
        return new FileProblem(where, "manifest line " + number + " " + reason + "; this entry only is skipped");
    }

    /** The text of the line's {@code "path"} when it has one, else null. */
    private static String pathOf(String line) {
        try {
            JsonNode tree = SnapshotStore.JSON.readTree(line);
            JsonNode path = tree == null ? null : tree.get("path");
            return path != null && path.isTextual() && !path.asText().isEmpty() ? path.asText() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static String shortened(String message) {
        String text = Printable.quote(message == null ? "" : message);
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }

    /** Reads the next line into {@link #pending} unless one is there; false at the end. */
    private boolean readPending() {
        if (pending != null) {
            return true;
        }
        if (done) {
            return false;
        }
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
        pending = line;
        return true;
    }

    @Override
    public boolean hasNext() {
        if (next == null && readPending()) {
            try {
                next = SnapshotStore.JSON.readValue(pending, FileEntry.class);
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
        pending = null;
        return entry;
    }

    @Override
    public void close() {
        done = true;
        next = null;
        pending = null;
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
