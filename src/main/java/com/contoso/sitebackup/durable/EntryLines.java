package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.files.FileEntry;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.options.BlockBlobOutputStreamOptions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A list of tree entries kept in one block blob as gzip-compressed JSON lines, one {@link FileEntry} per line, written
 * and read as a stream: memory holds a buffer, never the list. The blob appears only when the writer is
 * {@linkplain Writer#commit committed} (its block list is committed at the end), so a reader never sees half a list.
 */
public final class EntryLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EntryLines() {
    }

    /** A writer that replaces {@code blob} when committed. */
    public static Writer writer(BlobClient blob) {
        return new Writer(blob);
    }

    /** The entries of {@code blob}, streamed; close when done. */
    public static Reader reader(BlobClient blob) {
        return new Reader(blob.openInputStream());
    }

    /** Streams entries into a blob. */
    public static final class Writer implements AutoCloseable {
        private final BlobClient blob;
        private final OutputStream out;
        private boolean committed;

        private Writer(BlobClient blob) {
            this.blob = blob;
            try {
                this.out = new GZIPOutputStream(blob.getBlockBlobClient()
                        .getBlobOutputStream(new BlockBlobOutputStreamOptions()), 64 * 1024, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + blob.getBlobName(), e);
            }
        }

        /** Appends {@code entry}. */
        public void add(FileEntry entry) {
            try {
                out.write(JSON.writeValueAsBytes(entry));
                out.write('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize entry '" + entry.getPath() + "'", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + blob.getBlobName(), e);
            }
        }

        /** Commits the blob with everything added. */
        public void commit() {
            try {
                out.close();
                committed = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit " + blob.getBlobName(), e);
            }
        }

        /** Without a commit, nothing is written (blocks staged so far are never committed, and expire). */
        @Override
        public void close() {
            if (!committed) {
                committed = true;
                // Closing the blob stream would commit what was staged: it is left open and dropped instead.
            }
        }
    }

    /** Reads entries back in the order they were written. */
    public static final class Reader implements Iterator<FileEntry>, AutoCloseable {
        private final BufferedReader lines;
        private String next;

        private Reader(InputStream in) {
            try {
                this.lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 64 * 1024),
                        StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("the entry list is not gzip", e);
            }
            advance();
        }

        private void advance() {
            try {
                do {
                    next = lines.readLine();
                } while (next != null && next.isEmpty());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the entry list", e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public FileEntry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            try {
                FileEntry entry = JSON.readValue(next, FileEntry.class);
                advance();
                return entry;
            } catch (IOException e) {
                throw new UncheckedIOException("an entry of the list is not readable", e);
            }
        }

        @Override
        public void close() {
            try {
                lines.close();
            } catch (IOException e) {
                // A read-only stream: nothing is lost when its close fails.
            }
        }
    }
}
