package com.contoso.sitebackup.fs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of a tree, as a plan, a snapshot manifest and the walk name it: its path relative to the root as
 * {@link PathCodec} encodes it (the blob's name after its prefix; names joined by forward slashes, every
 * character that could be lost or forge a line escaped), its size in bytes and its last-modified time in epoch
 * milliseconds (numbers, so Gson and Jackson agree on them).
 *
 * <p>Everything else is optional and left out of the JSON when null, so a plain file entry stays small:
 * <ul>
 *   <li>{@code contentMd5}: the stored content's MD5 (base64), for a content check or a snapshot;</li>
 *   <li>{@code type}: {@link EntryType}; absent means a regular file;</li>
 *   <li>{@code modtimeNanos}, {@code mode} (the twelve mode bits: {@code rwxrwxrwx}, set-uid, set-gid, sticky; a
 *       manifest of format 1 holds the nine permission bits only), {@code uid}, {@code gid}: the POSIX attributes
 *       recorded when the walk read them;</li>
 *   <li>{@code target}: a symbolic link's target, encoded like a path ({@link PathCodec#encodeLinkTarget}: the
 *       same escapes, a leading {@code /} and {@code ..} names allowed), so any bytes survive JSON;</li>
 *   <li>{@code deviceMajor}, {@code deviceMinor}: a device node's number;</li>
 *   <li>{@code nlink}: how many names a regular file had when walked, when more than one;</li>
 *   <li>{@code hardLink}: for the second and later names of one file in a tree (in walk order), the encoded path of
 *       its first name, which alone holds the content: a restore makes this name a hard link to that one;</li>
 *   <li>{@code blob}: the blob name after the prefix that holds the content when the path's own is longer than a
 *       blob name may be ({@link PathCodec#derivedName}); absent when the content is at the path's own name;</li>
 *   <li>{@code xattrs}: the {@value ExtendedAttributes#NAMESPACE} extended attributes ({@link ExtendedAttributes}),
 *       name (escaped) to value (base64);</li>
 *   <li>{@code version}: in a backup snapshot, the version that holds this entry's content: the run that uploaded
 *       it (which tags the blob, or the blob snapshot copy on write kept it in), or in older manifests a blob
 *       snapshot's time;</li>
 *   <li>{@code missing}: why a snapshot has no stored content for an entry that was in the tree;</li>
 *   <li>{@code note}: what a restore must say about an entry whose content is older than its snapshot (the run
 *       could not copy it, and the version is the last one stored).</li>
 * </ul>
 * Immutable; the {@code with...} methods return a changed copy.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FileEntry {
    /**
     * The earliest time accepted, in epoch nanoseconds: 1901-12-13T20:45:52Z (-2^31 s), the earliest that ext4, XFS
     * and Azure Files hold.
     */
    public static final long MIN_NANOS = -(1L << 31) * 1_000_000_000L;
    /**
     * The latest time accepted, in epoch nanoseconds: 2262-04-11T23:47:15.999999999Z, the last whole second before
     * a long of nanoseconds overflows (the value {@code 2^63-1} itself stands for "later", not for a time).
     */
    public static final long MAX_NANOS = 9_223_372_035_999_999_999L;
    /** The highest mode recorded: the permission bits with set-uid, set-gid and sticky. */
    public static final int MAX_MODE = 07777;
    private static final String RANGE = "1901-12-13T20:45:52Z to 2262-04-11T23:47:15Z";
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    /** Every field, for the copies the {@code with...} methods make. */
    private static final class Fields implements Cloneable {
        String path;
        long size;
        long lastModified;
        String contentMd5;
        EntryType type;
        Long modtimeNanos;
        Integer mode;
        Long uid;
        Long gid;
        String target;
        String version;
        String missing;
        String note;
        Long deviceMajor;
        Long deviceMinor;
        Long nlink;
        String hardLink;
        String blob;
        SortedMap<String, String> xattrs;

        Fields copy() {
            try {
                return (Fields) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final String path;
    private final long size;
    private final long lastModified;
    private final String contentMd5;
    private final EntryType type;
    private final Long modtimeNanos;
    private final Integer mode;
    private final Long uid;
    private final Long gid;
    private final String target;
    private final String version;
    private final String missing;
    private final String note;
    private final Long deviceMajor;
    private final Long deviceMinor;
    private final Long nlink;
    private final String hardLink;
    private final String blob;
    private final SortedMap<String, String> xattrs;

    /** A regular file's entry without a Content-MD5 or POSIX attributes. */
    public FileEntry(String path, long size, long lastModified) {
        this(path, size, lastModified, null);
    }

    /** A regular file's entry with a Content-MD5 (base64, or null) and no POSIX attributes. */
    public FileEntry(String path, long size, long lastModified, String contentMd5) {
        this(path, size, lastModified, contentMd5, null, null, null, null, null, null, null, null, null);
    }

    /** An entry without a note. */
    public FileEntry(String path, long size, long lastModified, String contentMd5, EntryType type, Long modtimeNanos,
                     Integer mode, Long uid, Long gid, String target, String version, String missing) {
        this(path, size, lastModified, contentMd5, type, modtimeNanos, mode, uid, gid, target, version, missing, null);
    }

    /** An entry of the fields a format-1 manifest holds. */
    public FileEntry(String path, long size, long lastModified, String contentMd5, EntryType type, Long modtimeNanos,
                     Integer mode, Long uid, Long gid, String target, String version, String missing, String note) {
        this(path, size, lastModified, contentMd5, type, modtimeNanos, mode, uid, gid, target, version, missing, note,
                null, null, null, null, null, null);
    }

    @JsonCreator
    public FileEntry(@JsonProperty("path") String path,
                     @JsonProperty("size") long size,
                     @JsonProperty("lastModified") long lastModified,
                     @JsonProperty("contentMd5") String contentMd5,
                     @JsonProperty("type") EntryType type,
                     @JsonProperty("modtimeNanos") Long modtimeNanos,
                     @JsonProperty("mode") Integer mode,
                     @JsonProperty("uid") Long uid,
                     @JsonProperty("gid") Long gid,
                     @JsonProperty("target") String target,
                     @JsonProperty("version") String version,
                     @JsonProperty("missing") String missing,
                     @JsonProperty("note") String note,
                     @JsonProperty("deviceMajor") Long deviceMajor,
                     @JsonProperty("deviceMinor") Long deviceMinor,
                     @JsonProperty("nlink") Long nlink,
                     @JsonProperty("hardLink") String hardLink,
                     @JsonProperty("blob") String blob,
                     @JsonProperty("xattrs") Map<String, String> xattrs) {
        this.path = Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (mode != null && (mode < 0 || mode > MAX_MODE)) {
            throw new IllegalArgumentException("mode must be 0 to 07777: " + Integer.toOctalString(mode));
        }
        this.size = size;
        this.lastModified = lastModified;
        this.contentMd5 = contentMd5;
        this.type = type == EntryType.FILE ? null : type;
        this.modtimeNanos = modtimeNanos;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.target = target;
        this.version = version;
        this.missing = missing;
        this.note = note;
        this.deviceMajor = deviceMajor;
        this.deviceMinor = deviceMinor;
        this.nlink = nlink;
        this.hardLink = hardLink;
        this.blob = blob;
        this.xattrs = xattrs == null || xattrs.isEmpty() ? null
                : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
    }

    private FileEntry(Fields f) {
        this(f.path, f.size, f.lastModified, f.contentMd5, f.type, f.modtimeNanos, f.mode, f.uid, f.gid, f.target,
                f.version, f.missing, f.note, f.deviceMajor, f.deviceMinor, f.nlink, f.hardLink, f.blob, f.xattrs);
    }

    private Fields fields() {
        Fields f = new Fields();
        f.path = path;
        f.size = size;
        f.lastModified = lastModified;
        f.contentMd5 = contentMd5;
        f.type = type;
        f.modtimeNanos = modtimeNanos;
        f.mode = mode;
        f.uid = uid;
        f.gid = gid;
        f.target = target;
        f.version = version;
        f.missing = missing;
        f.note = note;
        f.deviceMajor = deviceMajor;
        f.deviceMinor = deviceMinor;
        f.nlink = nlink;
        f.hardLink = hardLink;
        f.blob = blob;
        f.xattrs = xattrs;
        return f;
    }

    /** A copy of this entry with what {@code change} sets. */
    private FileEntry with(java.util.function.Consumer<Fields> change) {
        Fields f = fields();
        change.accept(f);
        return new FileEntry(f);
    }

    /**
     * Checks every value of this entry, wherever it came from: the worker binds activity inputs with Gson, which
     * sets the fields without running the constructor (so its checks), and a manifest or a queue message may be
     * forged. Called where the values are used ({@link SecureDirectory#setAttributes},
     * {@link TemporaryFile#setAttributes}, a snapshot's reader): a path is present; the size is not negative; the
     * times are within what Linux file systems hold ({@link #MIN_NANOS} to {@link #MAX_NANOS}); the mode is 0 to
     * 07777 (what is applied of it is the restore's choice, see {@link SecureDirectory#appliedMode}); uid and gid
     * are 0 to 4294967294; a device's numbers are 0 to 4294967295 and only a device has them; a hard link names
     * another path and only a regular file is one; a blob name is the {@link PathCodec#derivedName} of the path; the
     * extended attributes are within {@link ExtendedAttributes}'s bounds.
     *
     * @return this entry
     * @throws IllegalArgumentException naming the entry and the first value out of range (a bad input: trying again
     *     cannot help)
     */
    public FileEntry check() {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("an entry has no path");
        }
        try {
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative: " + size);
            }
            if (lastModified < Math.floorDiv(MIN_NANOS, 1_000_000L) || lastModified > MAX_NANOS / 1_000_000L) {
                throw new IllegalArgumentException("lastModified " + lastModified + " ms is outside what a file system"
                        + " holds (" + RANGE + ")");
            }
            if (modtimeNanos != null) {
                checkNanos("modtimeNanos", modtimeNanos);
            }
            if (mode != null && (mode < 0 || mode > MAX_MODE)) {
                throw new IllegalArgumentException("mode must be 0 to 07777: " + Integer.toOctalString(mode));
            }
            SecureDirectory.id(uid);
            SecureDirectory.id(gid);
            EntryType kind = getEntryType();
            if ((deviceMajor != null || deviceMinor != null) != kind.isDevice()) {
                throw new IllegalArgumentException(kind.isDevice() ? "a device needs deviceMajor and deviceMinor"
                        : "only a device has deviceMajor and deviceMinor");
            }
            if (kind.isDevice() && (deviceMajor == null || deviceMinor == null || deviceMajor < 0
                    || deviceMajor > MAX_UINT32 || deviceMinor < 0 || deviceMinor > MAX_UINT32)) {
                throw new IllegalArgumentException("deviceMajor and deviceMinor must be 0 to 4294967295");
            }
            if (nlink != null && (nlink < 2 || nlink > MAX_UINT32)) {
                throw new IllegalArgumentException("nlink must be 2 to 4294967295: " + nlink);
            }
            if (hardLink != null) {
                if (kind != EntryType.FILE || hardLink.equals(path)) {
                    throw new IllegalArgumentException("only a regular file is a hard link, and to another path");
                }
                PathCodec.decode(hardLink);
            }
            if (blob != null && !blob.equals(PathCodec.derivedName(path))) {
                throw new IllegalArgumentException("blob '" + com.contoso.sitebackup.text.Printable.quote(blob)
                        + "' is not the name derived from the path");
            }
            ExtendedAttributes.decode(xattrs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + com.contoso.sitebackup.text.Printable.quote(path) + "': "
                    + e.getMessage());
        }
        return this;
    }

    /**
     * Refuses a time in epoch nanoseconds outside {@link #MIN_NANOS} to {@link #MAX_NANOS}.
     *
     * @param what the value's name, for the message
     */
    static void checkNanos(String what, long nanos) {
        if (nanos < MIN_NANOS || nanos > MAX_NANOS) {
            throw new IllegalArgumentException(what + " " + nanos + " ns is outside what a file system holds ("
                    + RANGE + ")");
        }
    }

    /** The last-modified time to set, in epoch nanoseconds: the nanoseconds when recorded, else the milliseconds. */
    long modtimeNanosOrMillis() {
        return modtimeNanos != null ? modtimeNanos : lastModified * 1_000_000L;
    }

    /** The encoded relative path ({@link PathCodec#decodePath} gives the path to open). */
    public String getPath() {
        return path;
    }

    public long getSize() {
        return size;
    }

    /** The last-modified time in epoch milliseconds. */
    public long getLastModified() {
        return lastModified;
    }

    /** The blob's Content-MD5 in base64, for a content check; null when the entry carries none. */
    public String getContentMd5() {
        return contentMd5;
    }

    /** What the entry is; a regular file unless told otherwise. */
    @JsonIgnore
    public EntryType getEntryType() {
        return type == null ? EntryType.FILE : type;
    }

    /** The type as stored: null for a regular file (so it is left out of the JSON). */
    @JsonProperty("type")
    EntryType getType() {
        return type;
    }

    /** The last-modified time in epoch nanoseconds, when the walk read it at full precision; else null. */
    public Long getModtimeNanos() {
        return modtimeNanos;
    }

    /**
     * The mode bits recorded (0 to 07777: a walk records all twelve; a format-1 manifest the nine permission bits),
     * or null when not recorded. A restore applies the nine permission bits only, unless set-id bits are allowed
     * ({@link SecureDirectory#appliedMode}).
     */
    public Integer getMode() {
        return mode;
    }

    /** The numeric owner, or null when not recorded. */
    public Long getUid() {
        return uid;
    }

    /** The numeric group, or null when not recorded. */
    public Long getGid() {
        return gid;
    }

    /** A symbolic link's target, encoded ({@link PathCodec#decodeLinkTarget} gives it back); null otherwise. */
    public String getTarget() {
        return target;
    }

    /** The blob snapshot holding this entry's content in a backup snapshot; null elsewhere. */
    public String getVersion() {
        return version;
    }

    /** Why a snapshot holds no content for this entry; null when it does (or outside a snapshot). */
    public String getMissing() {
        return missing;
    }

    /** What a restore must say about this entry's content (older than its snapshot), or null. */
    public String getNote() {
        return note;
    }

    /** A device node's major number, or null for anything else. */
    public Long getDeviceMajor() {
        return deviceMajor;
    }

    /** A device node's minor number, or null for anything else. */
    public Long getDeviceMinor() {
        return deviceMinor;
    }

    /** How many names the regular file had when walked, when more than one; else null. */
    public Long getNlink() {
        return nlink;
    }

    /** For a later name of a file with several: the encoded path of its first name in the tree; else null. */
    public String getHardLink() {
        return hardLink;
    }

    /** The blob name after the prefix that holds the content, when it is not the path's own; else null. */
    public String getBlob() {
        return blob;
    }

    /** The extended attributes recorded ({@link ExtendedAttributes}): name (escaped) to value (base64); or null. */
    public SortedMap<String, String> getXattrs() {
        return xattrs;
    }

    /** The blob name after the prefix that holds this entry's content: {@link #getBlob()}, else the path. */
    public String blobPath() {
        return blob != null ? blob : path;
    }

    /** This entry with {@code text} as its note. */
    public FileEntry withNote(String text) {
        return with(f -> f.note = text);
    }

    /** This entry with {@code md5} (base64) as the Content-MD5 to check its content against. */
    public FileEntry withContentMd5(String md5) {
        return with(f -> f.contentMd5 = md5);
    }

    /** This entry with its type and POSIX attributes (any may be null); the milliseconds follow the nanoseconds. */
    public FileEntry withAttributes(EntryType entryType, Long nanos, Integer permissions, Long owner, Long group,
                                    String linkTarget) {
        long millis = nanos == null ? lastModified : Math.floorDiv(nanos, 1_000_000L);
        return with(f -> {
            f.lastModified = millis;
            f.type = entryType;
            f.modtimeNanos = nanos;
            f.mode = permissions;
            f.uid = owner;
            f.gid = group;
            f.target = linkTarget;
        });
    }

    /** This entry with the blob snapshot that holds its content, and its MD5 (base64). */
    public FileEntry withVersion(String snapshot, String md5) {
        return with(f -> {
            f.contentMd5 = md5;
            f.version = snapshot;
        });
    }

    /** This entry marked as having no stored content in a snapshot, and why. */
    public FileEntry withMissing(String reason) {
        return with(f -> {
            f.version = null;
            f.missing = reason;
            f.note = null;
        });
    }

    /** This entry as a device node of number {@code major}:{@code minor}. */
    public FileEntry withDevice(long major, long minor) {
        return with(f -> {
            f.deviceMajor = major;
            f.deviceMinor = minor;
        });
    }

    /** This entry with the number of names its file had (null: one). */
    public FileEntry withNlink(Long names) {
        return with(f -> f.nlink = names);
    }

    /** This entry as a later name of the file whose first name in the tree is {@code firstPath} (null: none). */
    public FileEntry withHardLink(String firstPath) {
        return with(f -> f.hardLink = firstPath);
    }

    /** This entry with its content at the blob name {@code name} after the prefix (null: the path's own). */
    public FileEntry withBlob(String name) {
        return with(f -> f.blob = name);
    }

    /** This entry with the extended attributes {@code attributes} (null or empty: none). */
    public FileEntry withXattrs(Map<String, String> attributes) {
        return with(f -> f.xattrs = attributes == null || attributes.isEmpty() ? null : new TreeMap<>(attributes));
    }

    /**
     * This entry with the attributes only a walk records and a blob's metadata does not hold (its extended
     * attributes, its count of names, its derived blob name), taken from {@code walked}, the same path's entry in the
     * walk.
     */
    public FileEntry withWalkedOnly(FileEntry walked) {
        return with(f -> {
            f.xattrs = walked.xattrs;
            f.nlink = walked.nlink;
            f.blob = walked.blob;
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEntry f && f.path.equals(path) && f.size == size && f.lastModified == lastModified
                && Objects.equals(f.contentMd5, contentMd5) && Objects.equals(f.type, type)
                && Objects.equals(f.modtimeNanos, modtimeNanos) && Objects.equals(f.mode, mode)
                && Objects.equals(f.uid, uid) && Objects.equals(f.gid, gid) && Objects.equals(f.target, target)
                && Objects.equals(f.version, version) && Objects.equals(f.missing, missing)
                && Objects.equals(f.note, note) && Objects.equals(f.deviceMajor, deviceMajor)
                && Objects.equals(f.deviceMinor, deviceMinor) && Objects.equals(f.nlink, nlink)
                && Objects.equals(f.hardLink, hardLink) && Objects.equals(f.blob, blob)
                && Objects.equals(f.xattrs, xattrs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, size, lastModified, contentMd5, type, modtimeNanos, mode, uid, gid, target, version,
                missing, note, deviceMajor, deviceMinor, nlink, hardLink, blob, xattrs);
    }

    @Override
    public String toString() {
        return path + " (" + (type == null ? size + " bytes" : type.name().toLowerCase(java.util.Locale.ROOT)) + ")";
    }
}
