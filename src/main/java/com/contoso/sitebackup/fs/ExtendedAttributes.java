package com.contoso.sitebackup.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The extended attributes a backup records and a restore gives back: those of the {@value #NAMESPACE} namespace of
 * regular files and folders, the only ones an unprivileged process may set and the only namespace Linux allows
 * beside the kernel's own on those two types. {@code security.*} (file capabilities, SELinux labels),
 * {@code trusted.*} and {@code system.*} (ACLs) are not recorded: they grant privileges or belong to the system's
 * policy, as set-id bits do, and would need the operator's consent to be given back.
 *
 * <p><b>Where they are kept.</b> In the snapshot manifest's entry ({@link FileEntry#getXattrs}), as a map from the
 * name (escaped as {@link PathCodec} escapes bytes, so any name survives JSON) to the value in base64. Not in the
 * blob's metadata: AzCopy has no key for them, a blob's metadata holds 8 KB with the POSIX keys, and a folder has
 * no blob. A change of extended attributes alone (which changes no mtime) therefore shows in the next snapshot
 * without a new upload.
 *
 * <p><b>Bounds.</b> At most {@value #MAX_COUNT} attributes and {@value #MAX_BYTES} bytes of names and values
 * together per entry, each name at most {@value #MAX_NAME_BYTES} bytes (Linux's own limit): a manifest line stays
 * under 24 KB and a restore batch of 512 entries (the default) under 12 MB. An entry with more records none of
 * them, and the backup reports it by name (never a silent loss). Attributes never travel in an activity's input,
 * output or status: they are in the manifests and batches in storage, and only counts and reasons are reported.
 */
public final class ExtendedAttributes {
    /** The namespace recorded. */
    public static final String NAMESPACE = "user.";
    /** The most attributes recorded per entry. */
    public static final int MAX_COUNT = 32;
    /** The most bytes of names and values together recorded per entry. */
    public static final int MAX_BYTES = 16 * 1024;
    /** Linux's limit on a name ({@code XATTR_NAME_MAX}). */
    public static final int MAX_NAME_BYTES = 255;
    /** The most bytes of names a listing is read for (Linux's own limit on a list: 64 KiB). */
    private static final int MAX_LIST_BYTES = 64 * 1024;
    private static final byte[] PREFIX = NAMESPACE.getBytes(StandardCharsets.US_ASCII);

    private ExtendedAttributes() {
    }

    /**
     * What a walk read of one entry's attributes: the ones recorded (null when there are none), or why none are
     * (null when nothing needs saying).
     */
    record Read(SortedMap<String, String> attributes, String note) {
        static final Read NONE = new Read(null, null);
    }

    /**
     * The {@value #NAMESPACE} attributes of the entry {@code name} (a regular file or a folder whose identity is
     * {@code expected}) in the folder open as {@code dirfd}: a listing of its names first (one call, no open, no link
     * followed), and only when it has some, an {@code O_PATH} handle to the entry, checked to be {@code expected},
     * through which the values are read, so they are the values of the entry whose other attributes were recorded.
     */
    static Read read(int dirfd, byte[] name, FileKey expected, String display) {
        Posix.Xattr listed = Posix.listAttributes(dirfd, name, MAX_LIST_BYTES);
        if (listed.errno() != 0) {
            return listed.errno() == Posix.ENOTSUP || listed.errno() == Posix.ENOENT ? Read.NONE
                    : listed.errno() == Posix.ERANGE ? over("more than " + MAX_LIST_BYTES + " bytes of names")
                    : new Read(null, "extended attributes not recorded: " + Posix.reason(listed.errno()));
        }
        List<byte[]> names = ours(listed.bytes());
        if (names.isEmpty()) {
            return Read.NONE;
        }
        if (names.size() > MAX_COUNT) {
            return over(names.size() + " attributes");
        }
        int fd;
        try {
            fd = Posix.open(dirfd, name, Posix.O_PATH | Posix.O_NOFOLLOW, 0, display);
        } catch (java.io.IOException gone) {
            return new Read(null, "extended attributes not recorded: " + gone.getClass().getSimpleName());
        }
        try {
            Stat now = Posix.fstat(fd, display);
            if (!now.fileKey().equals(expected) || (!now.isRegularFile() && !now.isDirectory())) {
                return new Read(null, "extended attributes not recorded: replaced while they were read");
            }
            SortedMap<String, String> attributes = new TreeMap<>();
            int bytes = 0;
            for (byte[] attribute : names) {
                byte[] terminated = java.util.Arrays.copyOf(attribute, attribute.length + 1);
                Posix.Xattr value = Posix.getAttributeOfHandle(fd, terminated, MAX_BYTES);
                if (value.errno() == Posix.ENODATA) {
                    continue; // removed since it was listed
                }
                if (value.errno() == Posix.ERANGE) {
                    return over("a value of more than " + MAX_BYTES + " bytes");
                }
                if (value.errno() != 0) {
                    return new Read(null, "extended attributes not recorded: " + Posix.reason(value.errno()));
                }
                bytes += attribute.length + value.bytes().length;
                if (bytes > MAX_BYTES) {
                    return over(names.size() + " attributes of more than " + MAX_BYTES + " bytes");
                }
                attributes.put(PathCodec.escapeBytes(attribute), Base64.getEncoder().encodeToString(value.bytes()));
            }
            return attributes.isEmpty() ? Read.NONE : new Read(Collections.unmodifiableSortedMap(attributes), null);
        } catch (java.io.IOException e) {
            return new Read(null, "extended attributes not recorded: " + e.getClass().getSimpleName());
        } finally {
            Posix.closeQuietly(fd);
        }
    }

    private static Read over(String what) {
        return new Read(null, "extended attributes not recorded: " + what + ", more than a backup records ("
                + MAX_COUNT + " attributes, " + MAX_BYTES + " bytes of names and values)");
    }

    /** The {@value #NAMESPACE} names of a NUL-separated list, each at most {@value #MAX_NAME_BYTES} bytes. */
    private static List<byte[]> ours(byte[] list) {
        List<byte[]> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                if (i - start > PREFIX.length && startsWithPrefix(list, start)) {
                    names.add(java.util.Arrays.copyOfRange(list, start, i));
                }
                start = i + 1;
            }
        }
        return names;
    }

    private static boolean startsWithPrefix(byte[] bytes, int from) {
        for (int k = 0; k < PREFIX.length; k++) {
            if (bytes[from + k] != PREFIX[k]) {
                return false;
            }
        }
        return true;
    }

    /** One attribute to set: its name (NUL-terminated, as the kernel takes it) and value. */
    record Attribute(byte[] name, byte[] value) {
    }

    /**
     * The attributes {@code recorded} holds, decoded, after checking every bound: names of the {@value #NAMESPACE}
     * namespace written the one way {@link PathCodec} writes bytes, at most {@value #MAX_NAME_BYTES} bytes each,
     * values in base64, at most {@value #MAX_COUNT} of them and {@value #MAX_BYTES} bytes in all.
     *
     * @throws IllegalArgumentException naming the first value out of bounds
     */
    public static List<Attribute> decode(Map<String, String> recorded) {
        if (recorded == null || recorded.isEmpty()) {
            return List.of();
        }
        if (recorded.size() > MAX_COUNT) {
            throw new IllegalArgumentException("xattrs: " + recorded.size() + " attributes, more than " + MAX_COUNT);
        }
        List<Attribute> attributes = new ArrayList<>(recorded.size());
        int bytes = 0;
        for (Map.Entry<String, String> entry : recorded.entrySet()) {
            byte[] name;
            byte[] value;
            try {
                name = PathCodec.unescapeBytes(entry.getKey());
                value = Base64.getDecoder().decode(entry.getValue() == null ? "" : entry.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("xattrs: '" + com.contoso.sitebackup.text.Printable.quote(
                        entry.getKey()) + "' is not a name and a base64 value");
            }
            if (name.length > MAX_NAME_BYTES || name.length <= PREFIX.length || !startsWithPrefix(name, 0)) {
                throw new IllegalArgumentException("xattrs: '" + com.contoso.sitebackup.text.Printable.quote(
                        entry.getKey()) + "' is not a name of the " + NAMESPACE + " namespace of at most "
                        + MAX_NAME_BYTES + " bytes");
            }
            bytes += name.length + value.length;
            if (bytes > MAX_BYTES) {
                throw new IllegalArgumentException("xattrs: more than " + MAX_BYTES + " bytes of names and values");
            }
            attributes.add(new Attribute(java.util.Arrays.copyOf(name, name.length + 1), value));
        }
        return attributes;
    }

    /** Sets one attribute somewhere: 0, or the errno. */
    @FunctionalInterface
    interface Setter {
        int set(byte[] name, byte[] value);
    }

    /**
     * Sets every attribute of {@code attributes} with {@code setter}; null when all were set, else a warning that
     * says how many were not and why (the first reason): a file system that takes none ({@code ENOTSUP}), no
     * permission, no room. Never thrown: the entry itself is restored.
     */
    static String set(List<Attribute> attributes, Setter setter) {
        int failed = 0;
        int firstErrno = 0;
        for (Attribute attribute : attributes) {
            int errno = setter.set(attribute.name(), attribute.value());
            if (errno != 0) {
                failed++;
                firstErrno = firstErrno == 0 ? errno : firstErrno;
            }
        }
        if (failed == 0) {
            return null;
        }
        String why = firstErrno == Posix.ENOTSUP ? "the target's file system does not take them"
                : Posix.reason(firstErrno);
        return failed + " of " + attributes.size() + " extended attributes not restored: " + why;
    }
}
