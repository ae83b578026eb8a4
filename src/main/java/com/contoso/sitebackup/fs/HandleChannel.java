package com.contoso.sitebackup.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A byte channel over one open descriptor, read with {@code pread} and written with {@code pwrite} at its own
 * position, so reads at given positions ({@link #read(ByteBuffer, long)}) may run beside it in other threads.
 * Closing it closes the descriptor (once no read is using it).
 */
final class HandleChannel implements SeekableByteChannel {
    private final Descriptor descriptor;
    private final boolean writable;
    private final String display;
    private long position;

    HandleChannel(Descriptor descriptor, boolean writable, String display) {
        this.descriptor = descriptor;
        this.writable = writable;
        this.display = display;
    }

    Descriptor descriptor() {
        return descriptor;
    }

    @Override
    public synchronized int read(ByteBuffer destination) throws IOException {
        if (writable) {
            throw new NonReadableChannelException();
        }
        int read = read(destination, position);
        if (read > 0) {
            position += read;
        }
        return read;
    }

    /** Reads from {@code at} without moving the position; -1 at the end of the file. */
    int read(ByteBuffer destination, long at) throws IOException {
        if (at < 0) {
            throw new IllegalArgumentException("negative position: " + at);
        }
        return descriptor.use(fd -> Posix.pread(fd, destination, at, display));
    }

    @Override
    public synchronized int write(ByteBuffer source) throws IOException {
        if (!writable) {
            throw new NonWritableChannelException();
        }
        int written = descriptor.use(fd -> Posix.pwrite(fd, source, position, display));
        position += written;
        return written;
    }

    @Override
    public synchronized long position() throws IOException {
        checkOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position: " + newPosition);
        }
        checkOpen();
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        return descriptor.use(fd -> Posix.fstat(fd, display)).size();
    }

    /**
     * Cuts the file to {@code size} bytes (a download started again from the start: the content it wrote was not the
     * version asked for); the position moves back to {@code size} if it was past it.
     */
    @Override
    public synchronized SeekableByteChannel truncate(long size) throws IOException {
        if (!writable) {
            throw new NonWritableChannelException();
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        descriptor.use(fd -> {
            Posix.ftruncate(fd, size, display);
            return null;
        });
        position = Math.min(position, size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return descriptor.isOpen();
    }

    @Override
    public void close() {
        descriptor.close();
    }

    private void checkOpen() throws ClosedChannelException {
        if (!descriptor.isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
