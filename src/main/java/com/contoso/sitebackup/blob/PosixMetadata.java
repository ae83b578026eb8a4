package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An entry's POSIX attributes as blob metadata, under the keys and in the formats AzCopy uses with
 * {@code --preserve-posix-properties} (checked against its {@code common/unixStatAdapter.go}), so a backup made by
 * either tool restores with the other:
 * <ul>
 *   <li>{@value #MODTIME}: the last-modified time in Unix nanoseconds, decimal;</li>
 *   <li>{@value #PERMISSIONS}: the whole {@code st_mode}, type bits included, decimal ({@code 33188} for a regular
 *       file of mode 0644); read as octal when it starts with {@code 0}, as AzCopy reads the octal form AMLFS
 *       writes ({@code 0644});</li>
 *   <li>{@value #OWNER}, {@value #GROUP}: the numeric owner and group, decimal;</li>
 *   <li>{@value #SYMLINK}: {@code true} for a symbolic link, whose blob's content is the link's target;</li>
 *   <li>{@value #FOLDER}: {@code true} for a folder (an empty marker blob).</li>
 * </ul>
 * AzCopy writes more keys (inode, device, link count, access and change times); they say nothing a restore sets
 * and are neither written nor read here.
 */
public final class PosixMetadata {
    /** The last-modified time, Unix nanoseconds in decimal. */
    public static final String MODTIME = "modtime";
    /** The whole {@code st_mode} in decimal (type and permission bits); octal when it starts with 0. */
    public static final String PERMISSIONS = "permissions";
    /** The numeric owner in decimal. */
    public static final String OWNER = "posix_owner";
    /** The numeric group in decimal. */
    public static final String GROUP = "posix_group";
    /** {@code true} on a symbolic link's blob. */
    public static final String SYMLINK = "is_symlink";
    /** {@code true} on a folder's blob. */
    public static final String FOLDER = "hdi_isfolder";

    private static final String TRUE = "true";
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private PosixMetadata() {
    }

    /**
     * The metadata that records {@code entry}'s type and attributes: always {@value #MODTIME} (from the
     * nanoseconds, else the milliseconds), and each other key whose attribute the entry holds.
     */
    public static Map<String, String> of(FileEntry entry) {
        Map<String, String> metadata = new LinkedHashMap<>();
        long nanos = entry.getModtimeNanos() != null ? entry.getModtimeNanos()
                : Math.multiplyExact(entry.getLastModified(), 1_000_000L);
        metadata.put(MODTIME, Long.toString(nanos));
        if (entry.getMode() != null) {
            metadata.put(PERMISSIONS, Integer.toString(entry.getEntryType().typeBits() | entry.getMode()));
        }
        if (entry.getUid() != null) {
            metadata.put(OWNER, Long.toString(entry.getUid()));
        }
        if (entry.getGid() != null) {
            metadata.put(GROUP, Long.toString(entry.getGid()));
        }
        if (entry.getEntryType() == EntryType.SYMLINK) {
            metadata.put(SYMLINK, TRUE);
        } else if (entry.getEntryType() == EntryType.DIRECTORY) {
            metadata.put(FOLDER, TRUE);
        }
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * The entry a blob at {@code path} (encoded) stands for, from its metadata (keys looked up regardless of case,
     * as the service treats them): a link when {@value #SYMLINK} is true, else a folder when {@value #FOLDER} is,
     * else a regular file; its size the blob's {@code contentLength} (a link's target's length); its mtime from
     * {@value #MODTIME}, else {@code lastModified} (epoch milliseconds, e.g. the app's own recorded mtime); each
     * attribute null where its key is absent or its value does not parse. A link's target is the blob's content,
     * not part of the metadata: it is left null here.
     */
    public static FileEntry read(String path, Map<String, String> metadata, long contentLength, long lastModified) {
        Objects.requireNonNull(metadata, "metadata");
        EntryType type = isTrue(value(metadata, SYMLINK)) ? EntryType.SYMLINK
                : isTrue(value(metadata, FOLDER)) ? EntryType.DIRECTORY : EntryType.FILE;
        Long nanos = signed(value(metadata, MODTIME));
        Long mode = permissions(value(metadata, PERMISSIONS));
        return new FileEntry(path, contentLength, lastModified).withAttributes(type, nanos,
                mode == null ? null : (int) (mode & 07777), unsigned32(value(metadata, OWNER), 10),
                unsigned32(value(metadata, GROUP), 10), null);
    }

    /** {@code st_mode} as AzCopy reads it: octal when it starts with 0 (AMLFS's {@code %04o}), else decimal. */
    private static Long permissions(String text) {
        return text != null && text.startsWith("0") ? unsigned32(text, 8) : unsigned32(text, 10);
    }

    /** An unsigned 32-bit number of digits only, in {@code radix}; null when absent or not one. */
    private static Long unsigned32(String text, int radix) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) >= '0' + radix) {
                return null;
            }
        }
        try {
            long value = Long.parseLong(text, radix);
            return value <= MAX_UINT32 ? value : null;
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /** A signed 64-bit decimal (an optional sign, then digits); null when absent or not one. */
    private static Long signed(String text) {
        if (text == null) {
            return null;
        }
        int start = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return null;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    private static boolean isTrue(String text) {
        return TRUE.equalsIgnoreCase(text);
    }

    /** The value of {@code key}, whatever the case of the key in {@code metadata}; null when absent. */
    private static String value(Map<String, String> metadata, String key) {
        String exact = metadata.get(key);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
