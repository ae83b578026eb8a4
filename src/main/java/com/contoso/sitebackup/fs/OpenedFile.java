package com.contoso.sitebackup.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A regular file opened once for reading through a {@link SecureDirectory}: everything read (to hash it, to
 * upload it, in one pass or in blocks) comes from this one handle, never from the name again, so what is read
 * is the file that was checked, wherever its name goes meanwhile.
 *
 * <p>{@link #before()} is the file's state when it was opened; {@link #after()} looks again after the read. The
 * content read is one consistent version only when {@link #unchanged()} holds after the last byte was read:
 * same size, same modification time, same file under that name, and the open handle's size unchanged too.
 *
 * <p>The handle was opened without blocking and checked to be a regular file on the handle itself
 * ({@link SecureDirectory#openFile}); reads are {@code pread}s on it, so reads at positions may run in parallel,
 * and closing waits for a read in progress before the descriptor is released.
 */
public final class OpenedFile implements AutoCloseable {
    private final SecureDirectory directory;
    private final Path name;
    private final HandleChannel channel;
    /** What the handle showed when it was opened. */
    private final Stat opened;
    private final FileState before;
    /** A folder opened only to reach this file, closed with it; null when the caller holds the folder. */
    private final SecureDirectory owned;

    OpenedFile(SecureDirectory directory, Path name, HandleChannel channel, Stat opened) {
        this(directory, name, channel, opened, null);
    }

    private OpenedFile(SecureDirectory directory, Path name, HandleChannel channel, Stat opened,
                       SecureDirectory owned) {
        this.directory = directory;
        this.name = name;
        this.channel = channel;
        this.opened = opened;
        this.before = FileState.of(opened);
        this.owned = owned;
    }

    /** This file, closing {@code folder} (opened to reach it) when it is closed. */
    OpenedFile closingAlso(SecureDirectory folder) {
        return new OpenedFile(directory, name, channel, opened, folder);
    }

    /** The file's name in its directory. */
    public Path name() {
        return name;
    }

    /** The file's state when it was opened. */
    public FileState before() {
        return before;
    }

    /** The open handle, positioned at the start; reads advance it. */
    public SeekableByteChannel channel() {
        return channel;
    }

    /** A stream over the open handle from its current position; closing it closes this file. */
    public InputStream inputStream() {
        return Channels.newInputStream(channel);
    }

    /**
     * Reads from {@code position} without moving the handle's position, for blocks read in parallel.
     *
     * @return the bytes read, -1 at the end of the file
     */
    public int read(ByteBuffer destination, long position) throws IOException {
        return channel.read(destination, position);
    }

    /** The size of the open file now, from the handle itself. */
    public long size() throws IOException {
        return channel.size();
    }

    /**
     * The state of the file now under this name, or null when the name is gone.
     */
    public FileState after() throws IOException {
        try {
            return FileState.of(directory.attributes(name));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The file's nine permission bits, from the open handle; recorded with a backup so that a restore gives them
     * back.
     */
    public Set<PosixFilePermission> permissions() throws IOException {
        return channel.descriptor().use(fd -> Posix.fstat(fd, Posix.display(name))).permissions();
    }

    /** How many names the open file has now (hard links), from the handle itself. */
    public long linkCount() throws IOException {
        return channel.descriptor().use(fd -> Posix.fstat(fd, Posix.display(name))).nlink();
    }

    /** The identity (device and inode) of the open file. */
    public FileKey fileKey() {
        return opened.fileKey();
    }

    /** The handle, for a call on the very file opened ({@link SecureDirectory#createHardLink}). */
    Descriptor descriptor() {
        return channel.descriptor();
    }

    /** Whether the file is, by every sign available, the same version as when it was opened. */
    public boolean unchanged() throws IOException {
        return before.equals(after()) && channel.size() == before.size();
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }
}
