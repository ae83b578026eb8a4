package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Linux system calls the trust boundary is made of, called through JNA (direct mapping onto the C
 * library), because Java's NIO cannot pass them what they need: {@code O_NONBLOCK} (so that no open waits on a
 * named pipe), {@code O_PATH} (a handle to an entry that opens nothing), the type checked on the handle itself
 * ({@code statx} with {@code AT_EMPTY_PATH}), {@code mkdirat} and the attribute calls on a handle ({@code fchmod},
 * {@code fchown}, {@code futimens}).
 *
 * <p>Names are passed as their bytes ({@link PathCodec}), NUL-terminated here, so a name that is not valid UTF-8
 * reaches the kernel exactly. Every call that fails reports its {@code errno} as the exception NIO would use
 * ({@link NoSuchFileException}, {@link FileAlreadyExistsException}, {@link AccessDeniedException},
 * {@link FileSystemException} with the reason), naming the entry by its printable name only.
 *
 * <p>Linux on 64-bit x86 or ARM with a C library that has {@code statx} (glibc 2.28 or later) is required; anywhere
 * else nothing is opened and every call says why ({@link #check()}).
 */
final class Posix {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;
    /** {@code O_DIRECTORY} and {@code O_NOFOLLOW}: their values differ between x86 and ARM. */
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE = 256;
    /** {@code UTIME_OMIT}: a {@code tv_nsec} that leaves that time as it is. */
    private static final long UTIME_OMIT = (1L << 30) - 2;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int ERANGE = 34;
    static final int ENODATA = 61;
    static final int ENOTSUP = 95;
    static final int EXDEV = 18;
    static final int E2BIG = 7;
    static final int ENOSPC = 28;
    static final int EMLINK = 31;
    static final int AT_SYMLINK_FOLLOW = 0x400;
    /** {@code S_IFIFO}, {@code S_IFCHR}, {@code S_IFBLK}: what {@code mknodat} makes. */
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;

    /** The largest read or write handed to the kernel at once through the per-thread buffer. */
    private static final int CHUNK = 256 * 1024;
    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(CHUNK));
    private static final byte[] EMPTY = {0};
    private static final byte[] PROC_SELF_FD = "/proc/self/fd/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Why the calls are not available here; null when they are. */
    private static final String UNAVAILABLE;
    /**
     * The C library's {@code syscall}, for {@code mknodat}: glibc before 2.33 (Debian 11, which the Functions images
     * are built on) exports no {@code mknodat} symbol, only an inline wrapper, so it is called by its number.
     */
    private static final com.sun.jna.Function SYSCALL;
    /** {@code SYS_mknodat}: 259 on x86-64, 33 on ARM64 (the generic table). */
    private static final long SYS_MKNODAT;

    static {
        boolean arm = Platform.ARCH.startsWith("aarch64") || Platform.ARCH.startsWith("arm")
                || Platform.ARCH.startsWith("ppc");
        O_DIRECTORY = arm ? 040000 : 0200000;
        O_NOFOLLOW = arm ? 0100000 : 0400000;
        SYS_MKNODAT = Platform.ARCH.startsWith("x86-64") || Platform.ARCH.startsWith("x86_64")
                || Platform.ARCH.equals("amd64") ? 259 : Platform.ARCH.startsWith("aarch64") ? 33 : -1;
        com.sun.jna.Function syscall = null;
        String unavailable = null;
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            unavailable = "the file-system layer needs 64-bit Linux (this is " + System.getProperty("os.name") + ", "
                    + Platform.ARCH + ")";
        } else {
            try {
                Native.register(Posix.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                syscall = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("syscall");
            } catch (LinkageError | RuntimeException e) {
                unavailable = "the file-system layer cannot reach the C library's system calls (statx needs glibc"
                        + " 2.28 or later): " + e.getMessage();
            }
        }
        UNAVAILABLE = unavailable;
        SYSCALL = syscall;
    }

    private Posix() {
    }

    private static native int openat(int dirfd, byte[] path, int flags, int mode);

    private static native int close(int fd);

    private static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buffer);

    private static native long pread(int fd, Pointer buffer, long count, long offset);

    private static native long pwrite(int fd, Pointer buffer, long count, long offset);

    private static native int fsync(int fd);

    private static native int ftruncate(int fd, long length);

    private static native int mkdirat(int dirfd, byte[] path, int mode);

    private static native int unlinkat(int dirfd, byte[] path, int flags);

    private static native int renameat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath);

    private static native int renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

    private static native int syncfs(int fd);

    private static native int fstatfs(int fd, byte[] buffer);

    private static native int symlinkat(byte[] target, int newdirfd, byte[] linkpath);

    private static native long readlinkat(int dirfd, byte[] path, byte[] buffer, long size);

    private static native int fchmod(int fd, int mode);

    private static native int fchmodat(int dirfd, byte[] path, int mode, int flags);

    private static native int fchown(int fd, int owner, int group);

    private static native int fchownat(int dirfd, byte[] path, int owner, int group, int flags);

    private static native int utimensat(int dirfd, byte[] path, long[] times, int flags);

    private static native int futimens(int fd, long[] times);

    private static native Pointer fdopendir(int fd);

    private static native Pointer readdir(Pointer dir);

    private static native int closedir(Pointer dir);

    private static native int geteuid();

    private static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

    private static native long llistxattr(byte[] path, byte[] list, long size);

    private static native long listxattr(byte[] path, byte[] list, long size);

    private static native long getxattr(byte[] path, byte[] name, byte[] value, long size);

    private static native int setxattr(byte[] path, byte[] name, byte[] value, long size, int flags);

    private static native int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags);

    /** @throws IllegalStateException when the system calls are not available on this platform */
    static void check() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
    }

    /** The effective uid of the process. */
    static int effectiveUid() {
        check();
        return geteuid();
    }

    /** The NUL-terminated bytes of a single name or a relative path. */
    static byte[] name(Path relative) {
        return terminated(PathCodec.bytes(relative));
    }

    /** The NUL-terminated bytes of an absolute path. */
    static byte[] absolute(Path path) {
        return terminated(PathCodec.linkTargetBytes(path));
    }

    private static byte[] terminated(byte[] bytes) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }

    /**
     * {@code openat(dirfd, name, flags, mode)}, tried again when interrupted.
     *
     * @param display the entry's name for messages
     */
    static int open(int dirfd, byte[] name, int flags, int mode, String display) throws IOException {
        check();
        while (true) {
            int fd = openat(dirfd, name, flags | O_CLOEXEC, mode);
            if (fd >= 0) {
                return fd;
            }
            int errno = Native.getLastError();
            if (errno != EINTR) {
                throw exception(errno, display);
            }
        }
    }

    /** The attributes of {@code name} in {@code dirfd}, never following a link when {@code follow} is false. */
    static Stat stat(int dirfd, byte[] name, boolean follow, String display) throws IOException {
        check();
        byte[] buffer = new byte[STATX_SIZE];
        if (statx(dirfd, name, follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) != 0) {
            throw exception(Native.getLastError(), display);
        }
        return Stat.of(ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder()));
    }

    /** The attributes of what the handle {@code fd} is (a link's own, for a handle to a link). */
    static Stat fstat(int fd, String display) throws IOException {
        check();
        byte[] buffer = new byte[STATX_SIZE];
        if (statx(fd, EMPTY, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) != 0) {
            throw exception(Native.getLastError(), display);
        }
        return Stat.of(ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder()));
    }

    /** Reads from {@code position} into {@code destination}; -1 at the end of the file. At most one chunk. */
    static int pread(int fd, ByteBuffer destination, long position, String display) throws IOException {
        check();
        int wanted = Math.min(destination.remaining(), CHUNK);
        if (wanted == 0) {
            return 0;
        }
        Memory buffer = BUFFER.get();
        while (true) {
            long read = pread(fd, buffer, wanted, position);
            if (read >= 0) {
                if (read == 0) {
                    return -1;
                }
                destination.put(buffer.getByteBuffer(0, read));
                return (int) read;
            }
            int errno = Native.getLastError();
            if (errno != EINTR) {
                throw exception(errno, display);
            }
        }
    }

    /** Writes all of {@code source} at {@code position}; returns the bytes written. */
    static int pwrite(int fd, ByteBuffer source, long position, String display) throws IOException {
        check();
        Memory buffer = BUFFER.get();
        int total = 0;
        while (source.hasRemaining()) {
            int length = Math.min(source.remaining(), CHUNK);
            ByteBuffer chunk = source.duplicate();
            chunk.limit(chunk.position() + length);
            buffer.getByteBuffer(0, length).put(chunk);
            int written = 0;
            while (written < length) {
                long n = pwrite(fd, buffer.share(written), length - written, position + total + written);
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == EINTR) {
                        continue;
                    }
                    source.position(source.position() + written);
                    throw exception(errno, display);
                }
                written += (int) n;
            }
            source.position(source.position() + length);
            total += length;
        }
        return total;
    }

    /** How many {@code fsync} and {@code syncfs} calls this process made (for tests that count work, not time). */
    static final java.util.concurrent.atomic.LongAdder FLUSHES = new java.util.concurrent.atomic.LongAdder();

    static void fsync(int fd, String display) throws IOException {
        check();
        FLUSHES.increment();
        while (fsync(fd) != 0) {
            int errno = Native.getLastError();
            if (errno != EINTR) {
                throw exception(errno, display);
            }
        }
    }

    static void ftruncate(int fd, long length, String display) throws IOException {
        check();
        while (ftruncate(fd, length) != 0) {
            int errno = Native.getLastError();
            if (errno != EINTR) {
                throw exception(errno, display);
            }
        }
    }

    static void mkdir(int dirfd, byte[] name, int mode, String display) throws IOException {
        check();
        if (mkdirat(dirfd, name, mode) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** Removes the entry {@code name} (a file, a link, a pipe; never a folder). */
    static void unlink(int dirfd, byte[] name, String display) throws IOException {
        check();
        if (unlinkat(dirfd, name, 0) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    static void rename(int dirfd, byte[] from, byte[] to, String display) throws IOException {
        check();
        if (renameat(dirfd, from, dirfd, to) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** {@code RENAME_NOREPLACE}: {@code renameat2} fails with EEXIST instead of replacing the target. */
    private static final int RENAME_NOREPLACE = 1;

    /**
     * Renames {@code from} to {@code to} in the directory {@code dirfd} only if {@code to} does not exist, in one step
     * ({@code renameat2} with {@code RENAME_NOREPLACE}); false, with nothing done, when the file system cannot do that
     * (EINVAL, ENOSYS, ENOTSUP: over SMB, say), so the caller claims the name another way.
     *
     * @throws FileAlreadyExistsException when {@code to} exists (nothing is renamed)
     */
    static boolean renameNoReplace(int dirfd, byte[] from, byte[] to, String display) throws IOException {
        check();
        if (renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
            return false;
        }
        throw exception(errno, display);
    }

    /**
     * Writes every dirty page and inode of the file system {@code fd} is on to the disk and waits for it
     * ({@code syncfs}); since Linux 5.8 it fails when a write-back of that file system failed after {@code fd} was
     * opened.
     */
    static void syncfs(int fd, String display) throws IOException {
        check();
        FLUSHES.increment();
        if (syncfs(fd) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** The type ({@code f_type}) of the file system {@code fd} is on, from {@code fstatfs}. */
    static long fileSystemType(int fd, String display) throws IOException {
        check();
        byte[] buffer = new byte[STATFS_SIZE];
        if (fstatfs(fd, buffer) != 0) {
            throw exception(Native.getLastError(), display);
        }
        // struct statfs starts with f_type, a long (__fsword_t) on 64-bit Linux.
        return ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder()).getLong(0);
    }

    /** {@code sizeof(struct statfs)} on 64-bit Linux is 120; room to spare. */
    private static final int STATFS_SIZE = 256;

    static void symlink(byte[] target, int dirfd, byte[] name, String display) throws IOException {
        check();
        if (symlinkat(target, dirfd, name) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** The bytes a link holds, exactly. */
    static byte[] readlink(int dirfd, byte[] name, String display) throws IOException {
        check();
        for (int size = 256; ; size *= 2) {
            byte[] buffer = new byte[size];
            long length = readlinkat(dirfd, name, buffer, size);
            if (length < 0) {
                int errno = Native.getLastError();
                if (errno == EINVAL) {
                    throw new NotLinkException(display);
                }
                throw exception(errno, display);
            }
            if (length < size) {
                return java.util.Arrays.copyOf(buffer, (int) length);
            }
        }
    }

    /** Sets the mode of the file or folder open as {@code fd} (a real open, not {@code O_PATH}). */
    static void fchmod(int fd, int mode, String display) throws IOException {
        check();
        if (fchmod(fd, mode) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /**
     * Sets the mode of the file or folder an {@code O_PATH} handle {@code fd} stands for, through the kernel's
     * own link to the handle ({@code /proc/self/fd/N}), which leads to that very entry, not to a name: Linux has no
     * {@code fchmod} of an {@code O_PATH} handle before 6.6. Never called for a link (Linux keeps no mode of its own
     * for one, and the call would reach its target).
     */
    static void chmodHandle(int fd, int mode, String display) throws IOException {
        check();
        byte[] path = procPath(fd, null);
        if (fchmodat(AT_FDCWD, path, mode, 0) != 0) {
            int errno = Native.getLastError();
            throw errno == ENOENT ? new FileSystemException(display, null, "no /proc/self/fd to set the mode"
                    + " through; nothing set") : exception(errno, display);
        }
    }

    /** {@code fchown} of an open handle; -1 leaves that id as it is. */
    static void fchown(int fd, int uid, int gid, String display) throws IOException {
        check();
        if (fchown(fd, uid, gid) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** Sets the owner and group of what the handle stands for ({@code O_PATH} handles and links included). */
    static void chownHandle(int fd, int uid, int gid, String display) throws IOException {
        check();
        if (fchownat(fd, EMPTY, uid, gid, AT_EMPTY_PATH) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** Sets the modification time of an open handle (a real open), leaving the access time. */
    static void futimens(int fd, long seconds, long nanos, String display) throws IOException {
        check();
        if (futimens(fd, new long[] {0, UTIME_OMIT, seconds, nanos}) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /**
     * Sets the modification time of what an {@code O_PATH} handle stands for (a link's own time for a link),
     * leaving the access time: {@code utimensat(fd, "", AT_EMPTY_PATH)} (Linux 5.8 and later); on an older kernel
     * that refuses it, through {@code utimensat(dirfd, name, AT_SYMLINK_NOFOLLOW)} in the same pinned folder once
     * the name is checked to still be that entry ({@code expected}).
     */
    static void utimensHandle(int fd, int dirfd, byte[] name, FileKey expected, long seconds, long nanos,
                              String display) throws IOException {
        check();
        long[] times = {0, UTIME_OMIT, seconds, nanos};
        if (utimensat(fd, EMPTY, times, AT_EMPTY_PATH) == 0) {
            return;
        }
        int errno = Native.getLastError();
        if (errno != EINVAL) {
            throw exception(errno, display);
        }
        if (!stat(dirfd, name, false, display).fileKey().equals(expected)) {
            throw new FileSystemException(display, null, "replaced while its time was being set; not set");
        }
        if (utimensat(dirfd, name, times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /**
     * {@code /proc/self/fd/N}, NUL-terminated: the kernel's own link to the handle {@code fd}, which leads to that
     * very entry (never to a name); with {@code name}, {@code /proc/self/fd/N/name}: the single name {@code name}
     * in the folder open as {@code fd}, looked up there as {@code *at} calls look it up.
     */
    private static byte[] procPath(int fd, byte[] name) {
        byte[] digits = Integer.toString(fd).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int nameLength = name == null ? 0 : name.length; // a '/' and the name's bytes without its NUL
        byte[] path = new byte[PROC_SELF_FD.length + digits.length + nameLength + 1];
        System.arraycopy(PROC_SELF_FD, 0, path, 0, PROC_SELF_FD.length);
        System.arraycopy(digits, 0, path, PROC_SELF_FD.length, digits.length);
        if (name != null) {
            path[PROC_SELF_FD.length + digits.length] = '/';
            System.arraycopy(name, 0, path, PROC_SELF_FD.length + digits.length + 1, name.length - 1);
        }
        return path;
    }

    /**
     * Makes the named pipe or device node {@code name} in the folder open as {@code dirfd}, exclusively
     * ({@code mknodat}; never over an existing entry, never through a link).
     *
     * @param typeBits {@link #S_IFIFO}, {@link #S_IFCHR} or {@link #S_IFBLK}
     * @param permissions the permission bits it is made with (before the umask)
     * @param device the device number ({@code makedev(major, minor)}); 0 for a pipe
     */
    static void mknod(int dirfd, byte[] name, int typeBits, int permissions, long device, String display)
            throws IOException {
        check();
        if (SYSCALL == null || SYS_MKNODAT < 0) {
            throw new FileSystemException(display, null, "mknodat is not available on " + Platform.ARCH);
        }
        if (typeBits != S_IFIFO && typeBits != S_IFCHR && typeBits != S_IFBLK) {
            throw new IllegalArgumentException("mknod makes a named pipe or a device only");
        }
        Memory path = new Memory(name.length);
        path.write(0, name, 0, name.length);
        // syscall(2) reads every argument as a long: each is passed as one, so no upper half is left undefined.
        long result = SYSCALL.invokeLong(new Object[] {SYS_MKNODAT, (long) dirfd, path,
                (long) (typeBits | (permissions & 07777)), device});
        if (result != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** {@code makedev(major, minor)}, as glibc builds a {@code dev_t}. */
    static long makedev(long major, long minor) {
        return FileKey.of(major, minor, 0).dev();
    }

    /**
     * Makes {@code name} in the folder open as {@code newdirfd} another name of the file open as {@code fd} (a real
     * open of a regular file): {@code linkat(AT_FDCWD, "/proc/self/fd/N", newdirfd, name, AT_SYMLINK_FOLLOW)}, which
     * links the very inode of the handle (the kernel's link leads to it, not to a name), needs no capability, and
     * never replaces an existing entry.
     */
    static void linkHandle(int fd, int newdirfd, byte[] name, String display) throws IOException {
        check();
        if (linkat(AT_FDCWD, procPath(fd, null), newdirfd, name, AT_SYMLINK_FOLLOW) != 0) {
            throw exception(Native.getLastError(), display);
        }
    }

    /** What a list or a get of extended attributes gave: the bytes, or the errno that refused it. */
    record Xattr(byte[] bytes, int errno) {
    }

    /**
     * The names of the extended attributes of the entry {@code name} itself in the folder open as {@code dirfd}
     * ({@code llistxattr} of {@code /proc/self/fd/D/name}: a link is not followed), NUL-separated; or the errno
     * ({@link #ENOTSUP} when the file system keeps none, {@link #ERANGE} when they take more than {@code max} bytes).
     */
    static Xattr listAttributes(int dirfd, byte[] name, int max) {
        check();
        return list(procPath(dirfd, name), max, true);
    }

    /** The names of the extended attributes of what the handle {@code fd} stands for (an {@code O_PATH} handle too). */
    static Xattr listAttributesOfHandle(int fd, int max) {
        check();
        return list(procPath(fd, null), max, false);
    }

    private static Xattr list(byte[] path, int max, boolean nofollow) {
        while (true) {
            long size = nofollow ? llistxattr(path, null, 0) : listxattr(path, null, 0);
            if (size < 0) {
                return new Xattr(null, Native.getLastError());
            }
            if (size == 0) {
                return new Xattr(new byte[0], 0);
            }
            if (size > max) {
                return new Xattr(null, ERANGE);
            }
            byte[] list = new byte[(int) size];
            long read = nofollow ? llistxattr(path, list, size) : listxattr(path, list, size);
            if (read >= 0) {
                return new Xattr(java.util.Arrays.copyOf(list, (int) read), 0);
            }
            int errno = Native.getLastError();
            if (errno != ERANGE) {
                return new Xattr(null, errno);
            }
            // Grown between the two calls: asked again.
        }
    }

    /**
     * The value of the extended attribute {@code attribute} (NUL-terminated) of what the handle {@code fd} stands
     * for ({@code getxattr} of {@code /proc/self/fd/N}); {@link #ERANGE} when it is longer than {@code max} bytes.
     */
    static Xattr getAttributeOfHandle(int fd, byte[] attribute, int max) {
        check();
        byte[] path = procPath(fd, null);
        while (true) {
            long size = getxattr(path, attribute, null, 0);
            if (size < 0) {
                return new Xattr(null, Native.getLastError());
            }
            if (size > max) {
                return new Xattr(null, ERANGE);
            }
            byte[] value = new byte[(int) size];
            long read = size == 0 ? 0 : getxattr(path, attribute, value, size);
            if (read >= 0) {
                return new Xattr(java.util.Arrays.copyOf(value, (int) read), 0);
            }
            int errno = Native.getLastError();
            if (errno != ERANGE) {
                return new Xattr(null, errno);
            }
        }
    }

    /** Sets the extended attribute {@code attribute} (NUL-terminated) of the file open as {@code fd}; 0 or the errno. */
    static int setAttribute(int fd, byte[] attribute, byte[] value) {
        check();
        return fsetxattr(fd, attribute, value, value.length, 0) == 0 ? 0 : Native.getLastError();
    }

    /**
     * Sets the extended attribute {@code attribute} of what the {@code O_PATH} handle {@code fd} stands for, through
     * {@code /proc/self/fd/N} (Linux has no {@code fsetxattr} of an {@code O_PATH} handle); 0 or the errno.
     */
    static int setAttributeOfHandle(int fd, byte[] attribute, byte[] value) {
        check();
        return setxattr(procPath(fd, null), attribute, value, value.length, 0) == 0 ? 0 : Native.getLastError();
    }

    /**
     * The names in the folder open as {@code dirfd} (without {@code .} and {@code ..}), as bytes, read through a new
     * open of the folder itself ({@code openat(dirfd, ".")}), so each listing starts at the beginning.
     */
    static List<byte[]> list(int dirfd, String display) throws IOException {
        int own = open(dirfd, new byte[] {'.', 0}, O_RDONLY | O_DIRECTORY | O_NONBLOCK, 0, display);
        Pointer dir = fdopendir(own);
        if (dir == null) {
            int errno = Native.getLastError();
            close(own);
            throw exception(errno, display);
        }
        try {
            List<byte[]> names = new ArrayList<>();
            while (true) {
                Native.setLastError(0);
                Pointer entry = readdir(dir);
                if (entry == null) {
                    int errno = Native.getLastError();
                    if (errno != 0) {
                        throw exception(errno, display);
                    }
                    return names;
                }
                // struct dirent (64-bit Linux): d_ino 8, d_off 8, d_reclen 2, d_type 1, then d_name.
                int length = (int) entry.indexOf(19, (byte) 0);
                byte[] name = entry.getByteArray(19, length);
                boolean dots = (length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.');
                if (!dots) {
                    names.add(name);
                }
            }
        } finally {
            closedir(dir);
        }
    }

    /** Closes a descriptor; what close reports is of no use (the descriptor is released whatever it says). */
    static void closeQuietly(int fd) {
        if (UNAVAILABLE == null) {
            close(fd);
        }
    }

    /** The exception NIO would throw for {@code errno}, naming the entry {@code display}. */
    static IOException exception(int errno, String display) {
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(display);
            case EEXIST -> new FileAlreadyExistsException(display);
            case EACCES -> new AccessDeniedException(display);
            case ENOTEMPTY -> new DirectoryNotEmptyException(display);
            case ELOOP -> new FileSystemException(display, null, SecureDirectory.LINK_NOT_FOLLOWED);
            default -> new FileSystemException(display, null, reason(errno));
        };
    }

    static String reason(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case 5 -> "Input/output error";
            case 7 -> "Argument list too long";
            case ENXIO -> "No such device or address";
            case 9 -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case 12 -> "Cannot allocate memory";
            case 16 -> "Device or resource busy";
            case 18 -> "Invalid cross-device link";
            case ENOTDIR -> "Not a directory";
            case EISDIR -> "Is a directory";
            case EINVAL -> "Invalid argument";
            case 23, 24 -> "Too many open files";
            case 26 -> "Text file busy";
            case 27 -> "File too large";
            case 28 -> "No space left on device";
            case 30 -> "Read-only file system";
            case 31 -> "Too many links";
            case 34 -> "Numerical result out of range";
            case 36 -> "File name too long";
            case 38 -> "Function not implemented";
            case 75 -> "Value too large for defined data type";
            case 61 -> "No data available";
            case 95 -> "Operation not supported";
            case 122 -> "Disk quota exceeded";
            default -> "error " + errno;
        };
    }

    /** A name as messages show it: escaped ({@link Printable}), never raw. */
    static String display(Path name) {
        return Printable.quote(name.toString());
    }
}
