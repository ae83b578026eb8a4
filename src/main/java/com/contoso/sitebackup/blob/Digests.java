package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.OpenedFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The MD5 of a file's content, and the mtime and permissions a backup recorded in blob metadata
 * ({@link PosixMetadata}, AzCopy's keys), read back for a restore or a verification of the latest content.
 */
public final class Digests {
    /** The permissions a restored file gets when its blob records none: {@code rw-r--r--} (0644). */
    public static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private static final int BUFFER = 64 * 1024;

    private Digests() {
    }

    /**
     * A new MD5 digest: OpenSSL's when it is there ({@link NativeMd5}, twice as fast in the worker's C1-only JVM),
     * else the JDK's, which every JDK has.
     */
    public static MessageDigest newMd5() {
        MessageDigest fast = NativeMd5.create();
        if (fast != null) {
            return fast;
        }
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    /** The MD5 of an opened file's content, read from its one handle (from the start, whatever its position). */
    public static byte[] md5(OpenedFile file) throws IOException {
        MessageDigest digest = newMd5();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = 0;
        for (int n = file.read(buffer, position); n >= 0; n = file.read(buffer, position)) {
            digest.update(buffer.array(), 0, n);
            position += n;
            buffer.clear();
        }
        return digest.digest();
    }

    /**
     * The source mtime (epoch milliseconds) recorded in a blob's metadata at backup time ({@value PosixMetadata#MODTIME},
     * nanoseconds), or {@code fallback} when there is none or it does not parse.
     */
    public static long recordedMtime(Map<String, String> metadata, long fallback) {
        Long nanos = metadata == null ? null : PosixMetadata.read("", metadata, 0, fallback).getModtimeNanos();
        return nanos == null ? fallback : Math.floorDiv(nanos, 1_000_000L);
    }

    /**
     * The permission bits recorded in a blob's metadata at backup time ({@value PosixMetadata#PERMISSIONS}), or
     * {@link #DEFAULT_MODE} when there are none or they do not parse; never a set-user-id or other special bit.
     */
    public static Set<PosixFilePermission> recordedMode(Map<String, String> metadata) {
        Integer mode = metadata == null ? null : PosixMetadata.read("", metadata, 0, 0).getMode();
        return mode == null ? DEFAULT_MODE : permissions(mode);
    }

    /** The permission set of the nine bits of {@code mode}. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (0400 >> bit)) != 0) {
                permissions.add(order[bit]);
            }
        }
        return permissions;
    }
}
