package com.contoso.sitebackup.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A restore's temporary file: created exclusively with mode 0600 in a pinned {@link SecureDirectory}, written
 * through its one handle, then given its final name in the same directory, relative to the pinned handle
 * ({@link #moveTo}: a rename, or a hard link when nothing may be replaced). Closing it before that removes it.
 *
 * <p>Before its time or permissions are set and before it is moved, the name is checked to still be the very
 * file written (same file key, same size as the handle): anything else put under that name meanwhile is
 * refused, not moved into place.
 */
public final class TemporaryFile implements AutoCloseable {
    private final SecureDirectory directory;
    private final Path name;
    private final SeekableByteChannel channel;
    private final Object fileKey;
    private boolean moved;

    TemporaryFile(SecureDirectory directory, Path name, SeekableByteChannel channel, Object fileKey) {
        this.directory = directory;
        this.name = name;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /** The temporary name in its directory. */
    public Path name() {
        return name;
    }

    /** The write handle. */
    public SeekableByteChannel channel() {
        return channel;
    }

    /** A stream writing to the handle; closing the stream closes the handle (the file stays until moved or closed). */
    public OutputStream outputStream() {
        return Channels.newOutputStream(channel);
    }

    /** Flushes the content to the disk, so a rename cannot publish a file whose bytes are still in memory only. */
    public void force() throws IOException {
        ((FileChannel) channel).force(true);
    }

    /** Sets the modification time (the one recorded at backup time). */
    public void setLastModified(FileTime time) throws IOException {
        checkStillOurs();
        directory.view(name).setTimes(time, null, null);
    }

    /**
     * Sets the permissions the file will have under its final name (it is created 0600, so that no one else
     * can read it while it is written).
     */
    public void setPermissions(Set<PosixFilePermission> permissions) throws IOException {
        checkStillOurs();
        directory.posixView(name).setPermissions(permissions);
    }

    /**
     * Gives the file the name {@code target} in the same directory, atomically. With {@code replace}, by a rename
     * that replaces whatever entry has that name (a link is replaced, never followed); without, by a hard link
     * that fails with FileAlreadyExistsException when the name exists (then the temporary name is removed), so
     * an existing file is never replaced, even one created a moment before.
     */
    public void moveTo(Path target, boolean replace) throws IOException {
        SecureDirectory.checkName(target);
        checkStillOurs();
        if (replace) {
            directory.rename(name, target);
        } else {
            directory.link(name, target);
            directory.deleteFile(name);
        }
        moved = true;
    }

    /** Closes the handle and, unless moved into place, removes the file. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (!moved) {
                try {
                    directory.deleteFile(name);
                } catch (NoSuchFileException gone) {
                    // Already removed: nothing to clean up.
                }
            }
        }
    }

    private void checkStillOurs() throws IOException {
        BasicFileAttributes now = directory.attributes(name);
        if (!now.isRegularFile() || !fileKey.equals(now.fileKey()) || now.size() != channel.size()) {
            throw new FileSystemException(name.toString(), null, "the temporary file was replaced; not used");
        }
    }
}
