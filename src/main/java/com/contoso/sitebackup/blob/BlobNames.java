package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.text.Printable;

import java.util.regex.Pattern;

/**
 * Rules for containers and for the prefix of blob names. A file's blob is {@code <prefix>/<encoded path>}, where
 * the encoded path is the file's path relative to its root written by {@link PathCodec}, the one rule that
 * turns paths into blob names and back; this class only joins and splits the two parts and checks the parts a
 * request names.
 */
public final class BlobNames {
    /** The start of the containers the Functions host keeps its own state in (keys, timers, leases). */
    public static final String HOST_CONTAINER_PREFIX = "azure-webjobs-";

    private static final Pattern CONTAINER = Pattern.compile("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$");

    private BlobNames() {
    }

    /**
     * The default prefix for a root: its absolute path without the leading slash (or drive colon), so two
     * different roots never write to the same blobs. {@code /home/site/wwwroot} gives {@code home/site/wwwroot}.
     */
    public static String defaultPrefix(String rootDirectory) {
        String p = rootDirectory.replace('\\', '/');
        if (p.length() >= 2 && p.charAt(1) == ':') {
            p = p.charAt(0) + p.substring(2);
        }
        return trimSlashes(p.replaceAll("/+", "/"));
    }

    /** The blob name of a file: the backup's prefix and the file's encoded path ({@link PathCodec}). */
    public static String blobName(String prefix, String encodedPath) {
        return prefix.isEmpty() ? encodedPath : prefix + "/" + encodedPath;
    }

    /**
     * The part of a blob's name after {@code prefix} and its slash: the encoded path of the file it stands for
     * (to be decoded with {@link PathCodec}), or null when the blob is not under the prefix.
     */
    public static String encodedPath(String prefix, String blobName) {
        if (prefix.isEmpty()) {
            return blobName;
        }
        return blobName.startsWith(prefix + "/") ? blobName.substring(prefix.length() + 1) : null;
    }

    /**
     * Throws IllegalArgumentException naming {@code argument} unless {@code name} is a valid container name that
     * holds backups: not a container of the Functions host ({@value #HOST_CONTAINER_PREFIX}...), not the app's
     * manifest container ({@code BACKUP_MANIFEST_CONTAINER}, where the plans and problem reports are), and not a
     * {@code $} container ({@code $root}, {@code $web}, {@code $logs}: not a valid name here).
     *
     * @param manifestContainer the app's manifest container
     */
    public static void checkContainer(String argument, String name, String manifestContainer) {
        if (name == null || !CONTAINER.matcher(name).matches()) {
            throw new IllegalArgumentException(argument + " '" + Printable.quote(name) + "' is not a valid container"
                    + " name: use 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter"
                    + " or digit");
        }
        if (name.startsWith(HOST_CONTAINER_PREFIX) || name.equals(manifestContainer)) {
            throw new IllegalArgumentException(argument + " '" + name + "' is reserved (the Functions host's state, or"
                    + " this app's plans and reports); choose another container for backups");
        }
    }

    /**
     * Throws IllegalArgumentException naming {@code argument} unless {@code prefix} is a usable blob prefix: not
     * empty (a backup at the container's root would hold every other backup of the container under its own
     * prefix), single forward slashes, neither at the start nor the end, no {@code .} or {@code ..} segment, no
     * segment ending with a dot (the service drops it), no backslash (the service turns it into a slash), no control
     * character, no line separator or unpaired surrogate (none can be stored, or listed back, as sent), at most half
     * a blob name long. Backups, restores, verifies and retention all check their prefix here.
     */
    public static void checkPrefix(String argument, String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException(argument + " is required");
        }
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException(argument + " must not be empty: a backup at the container's root would"
                    + " hold every other backup of the container, and its retention would see their blobs as its own;"
                    + " name a folder, such as the root directory's path");
        }
        String quoted = Printable.quote(prefix);
        if (!quoted.equals(prefix)) {
            throw new IllegalArgumentException(argument + " '" + quoted
                    + "' must not hold control characters, line separators or unpaired surrogates");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//") || prefix.contains("\\")) {
            throw new IllegalArgumentException(argument + " '" + prefix
                    + "' must use single forward slashes and neither start nor end with one");
        }
        for (String segment : prefix.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(argument + " '" + prefix + "' must not contain '.' or '..' segments");
            }
            if (segment.endsWith(".")) {
                throw new IllegalArgumentException(argument + " '" + prefix
                        + "' must not have a segment that ends with '.' (the storage service drops it)");
            }
        }
        if (prefix.length() > PathCodec.MAX_BLOB_NAME_LENGTH / 2) {
            throw new IllegalArgumentException(argument + " is longer than " + PathCodec.MAX_BLOB_NAME_LENGTH / 2
                    + " characters");
        }
    }

    /**
     * Whether the backups under prefixes {@code a} and {@code b} of one container would share blob names: the same
     * prefix, one inside the other ({@code sites} and {@code sites/main}), or either empty. Text only: {@code site}
     * and {@code site2} do not overlap.
     */
    public static boolean overlap(String a, String b) {
        return a.isEmpty() || b.isEmpty() || a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }

    /**
     * The identity of the backup under {@code prefix} in {@code container}: 32 hex digits of the SHA-256 of both,
     * tagged on every blob it uploads ({@link StoredBlob#BACKUP}), so retention deletes only content of its own.
     */
    public static String backupId(String container, String prefix) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(
                    (container + "\n" + prefix).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String trimSlashes(String p) {
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        return p.substring(start, end);
    }
}
