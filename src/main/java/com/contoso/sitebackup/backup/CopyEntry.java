package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.fs.EntryType;

/**
 * One file or link of a backup's plan: what names and counts it (the copy reads its attributes again from the file
 * it sends), the blob name after the prefix its content goes to when the path's own is too long ({@code blob}, a
 * {@link com.contoso.sitebackup.fs.PathCodec#derivedName}; null for the path's own), and what its blob held when
 * the listing looked ({@code base}):
 * <ul>
 *   <li>null: no blob of that name; the copy creates one only if there still is none;</li>
 *   <li>{@value #REPLACE}: a blob that no snapshot needs kept (a run's copy that a blob snapshot already keeps, or
 *       content that is not this app's): replaced as it is;</li>
 *   <li>an ETag: the blob holds the content a snapshot of an earlier run names, and is the only place that holds
 *       it; the copy takes a blob snapshot of that version first (copy on write), then replaces it.</li>
 * </ul>
 */
public record CopyEntry(String path, long size, long lastModified, EntryType type, String base, String blob) {
    /** {@link #base} of a blob that may be replaced without a snapshot. */
    public static final String REPLACE = "*";

    /** An entry whose content goes to the blob of its own path. */
    public CopyEntry(String path, long size, long lastModified, EntryType type, String base) {
        this(path, size, lastModified, type, base, null);
    }

    public CopyEntry {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("path is required");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        type = type == null ? EntryType.FILE : type;
        if (type != EntryType.FILE && type != EntryType.SYMLINK) {
            throw new IllegalArgumentException("only a file or a link has content to copy: " + type);
        }
        if (blob != null && !blob.equals(com.contoso.sitebackup.fs.PathCodec.derivedName(path))) {
            throw new IllegalArgumentException("blob is not the name derived from the path");
        }
    }
}
