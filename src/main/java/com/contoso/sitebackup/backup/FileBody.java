package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.fs.OpenedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A request body read from one open file as it is sent, that never hands out the file's last bytes unless the file
 * is still the version it was when opened: the bytes are read in pieces of {@link #PIECE} bytes from the handle
 * ({@link OpenedFile#read(ByteBuffer, long)}, never from the name), and once the piece holding the last byte has been
 * read, {@link OpenedFile#unchanged()} is asked before any of it is handed out. A file that changed (or shrank) makes
 * the read fail with an {@link IllegalStateException} instead: the request then ends before its Content-Length was
 * sent, and the service stores nothing. The same for a read that fails ({@link #failure()} tells which): the HTTP
 * client's retry policy retries I/O errors, so none reaches it as one.
 *
 * <p>The HTTP client reads it in small chunks as the connection takes them (Netty's {@code ChunkedStream}, only while
 * the channel is writable), so the memory a file in flight holds is one piece, whatever its size. It supports
 * {@link #mark}/{@link #reset} to its start, so the SDK can send it again on a retry (reading it again from the
 * handle, checked again at its end).
 */
final class FileBody extends InputStream {
    /** The bytes read from the file at once. */
    static final int PIECE = 256 * 1024;

    private final OpenedFile file;
    private final long size;
    private final byte[] piece;
    /** The file's position of the piece's first byte, and how many bytes of it are read and still to hand out. */
    private long pieceStart;
    private int pieceLength;
    private int handedOut;
    private long mark;
    private volatile boolean changed;
    private volatile IOException failure;

    FileBody(OpenedFile file) {
        this.file = file;
        this.size = file.before().size();
        this.piece = new byte[(int) Math.min(PIECE, Math.max(1, size))];
    }

    /** Whether a read found the file changed since it was opened (the body was cut short). */
    boolean changed() {
        return changed;
    }

    /** The read error that cut the body short, or null. */
    IOException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] destination, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (handedOut == pieceLength && !nextPiece()) {
            return -1;
        }
        int count = Math.min(length, pieceLength - handedOut);
        System.arraycopy(piece, handedOut, destination, offset, count);
        handedOut += count;
        return count;
    }

    @Override
    public int available() {
        return pieceLength - handedOut;
    }

    /** Reads the next piece; false at the end. Checks the file unchanged once its last byte has been read. */
    private boolean nextPiece() {
        long start = pieceStart + pieceLength;
        if (start >= size) {
            return false;
        }
        int length = (int) Math.min(piece.length, size - start);
        ByteBuffer buffer = ByteBuffer.wrap(piece, 0, length);
        try {
            while (buffer.hasRemaining()) {
                if (file.read(buffer, start + buffer.position()) < 0) {
                    changed = true;
                    throw new IllegalStateException("the file shrank while it was sent");
                }
            }
            if (start + length == size && !file.unchanged()) {
                changed = true;
                throw new IllegalStateException("the file changed while it was sent");
            }
        } catch (IOException e) {
            failure = e;
            throw new IllegalStateException("the file could not be read: " + e.getMessage());
        }
        pieceStart = start;
        pieceLength = length;
        handedOut = 0;
        return true;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int limit) {
        mark = pieceStart + handedOut;
    }

    @Override
    public synchronized void reset() {
        pieceStart = mark;
        pieceLength = 0;
        handedOut = 0;
    }
}
