package com.contoso.sitebackup.files;

import java.util.regex.Pattern;

/**
 * Rules for container and blob names. A file's blob is {@code <prefix>/<relative path>}; relative paths are
 * unique under one root, so no two files of a backup share a blob name.
 */
public final class BlobNames {
    /** Azure's limit on a blob name, in characters. */
    public static final int MAX_BLOB_NAME_LENGTH = 1024;

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

    /** The blob name of a file, from the backup's prefix and the file's relative path. */
    public static String blobName(String prefix, String relativePath) {
        return prefix.isEmpty() ? relativePath : prefix + "/" + relativePath;
    }

    /** The relative path of a blob under {@code prefix}, or null when the blob is not under it. */
    public static String relativePath(String prefix, String blobName) {
        if (prefix.isEmpty()) {
            return blobName;
        }
        return blobName.startsWith(prefix + "/") ? blobName.substring(prefix.length() + 1) : null;
    }

    /**
     * Whether a blob's path relative to its prefix is safe to restore as a file under a target directory:
     * relative, forward slashes only, and no empty, {@code .} or {@code ..} segment.
     */
    public static boolean isSafeRelativePath(String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")
                || relative.contains("\0") || (relative.length() > 1 && relative.charAt(1) == ':')) {
            return false;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** Throws IllegalArgumentException naming {@code argument} unless {@code name} is a valid container name. */
    public static void checkContainer(String argument, String name) {
        if (name == null || !CONTAINER.matcher(name).matches()) {
            throw new IllegalArgumentException(argument + " '" + name + "' is not a valid container name: use 3-63"
                    + " lowercase letters, digits and single hyphens, starting and ending with a letter or digit");
        }
    }

    /** Throws IllegalArgumentException naming {@code argument} unless {@code prefix} is a usable blob prefix. */
    public static void checkPrefix(String argument, String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException(argument + " is required");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//") || prefix.contains("\\")) {
            throw new IllegalArgumentException(argument + " '" + prefix
                    + "' must use single forward slashes and neither start nor end with one");
        }
        for (String segment : prefix.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(argument + " '" + prefix + "' must not contain '.' or '..' segments");
            }
        }
        if (prefix.length() > MAX_BLOB_NAME_LENGTH / 2) {
            throw new IllegalArgumentException(argument + " is longer than " + MAX_BLOB_NAME_LENGTH / 2 + " characters");
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
