package com.contoso.sitebackup.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a backup records about a file beside its bytes, and how it is read back: the MD5 of the content and
 * the source size, mtime and permissions kept in blob metadata. Backup writes them, restore and verify compare
 * with them.
 */
public final class Digests {
    /** Metadata key for the source file's size in bytes. */
    public static final String SOURCE_SIZE = "sourcesize";
    /** Metadata key for the source file's last-modified time, epoch milliseconds. */
    public static final String SOURCE_MTIME = "sourcemtime";
    /** Metadata key for the source file's permissions, as {@code ls} shows them ({@code rw-r--r--}). */
    public static final String SOURCE_MODE = "sourcemode";
    /** The permissions a restored file gets when its blob records none: {@code rw-r--r--} (0644). */
    public static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private static final Pattern MODE = Pattern.compile("[r-][w-][x-][r-][w-][x-][r-][w-][x-]");
    private static final int BUFFER = 64 * 1024;

    private Digests() {
    }

    /** A new MD5 digest; every JDK has one. */
    public static MessageDigest newMd5() {
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

    /** The source mtime recorded in a blob's metadata at backup time, or {@code fallback} when there is none. */
    public static long recordedMtime(Map<String, String> metadata, long fallback) {
        String recorded = metadata == null ? null : metadata.get(SOURCE_MTIME);
        try {
            return recorded == null ? fallback : Long.parseLong(recorded);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * The permissions recorded in a blob's metadata at backup time, or {@link #DEFAULT_MODE} when there are none
     * or they are not nine {@code rwx} flags (so no set-user-id or other special bit is ever restored).
     */
    public static Set<PosixFilePermission> recordedMode(Map<String, String> metadata) {
        String recorded = metadata == null ? null : metadata.get(SOURCE_MODE);
        return recorded != null && MODE.matcher(recorded).matches()
                ? PosixFilePermissions.fromString(recorded) : DEFAULT_MODE;
    }

    /** How {@code permissions} are recorded in metadata. */
    public static String mode(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.toString(permissions);
    }
}
