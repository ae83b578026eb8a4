package com.contoso.sitebackup.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * What a backup records about a file beside its bytes, and how it is read back: the MD5 of the content and
 * the source size and mtime kept in blob metadata. Backup writes them, restore and verify compare with them.
 */
public final class Digests {
    /** Metadata key for the source file's size in bytes. */
    public static final String SOURCE_SIZE = "sourcesize";
    /** Metadata key for the source file's last-modified time, epoch milliseconds. */
    public static final String SOURCE_MTIME = "sourcemtime";

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

    /** The MD5 of a file's content, read in a stream without following a link at the file itself. */
    public static byte[] md5(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = newMd5();
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + file + "'", e);
        }
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
}
