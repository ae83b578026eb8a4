package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.FileWalk;
import com.contoso.sitebackup.fs.NameOrder;
import com.contoso.sitebackup.blob.OrderedMerge;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.fs.SecureDirectory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Compares a directory with a backup snapshot: one walk of the directory, reporting its files, folders, links, pipes
 * and devices with their attributes, merged as it comes with the snapshot's manifest (which lists the tree in the
 * walk's order), so memory holds neither side. A path on one side only is missing (here, not in the snapshot) or
 * extra (in the snapshot, not here), a folder's path ending with {@code /}; on both sides an entry differs when its
 * kind, a file's size, mode (all twelve bits) or (unless content is compared) mtime, whether it is a hard link and to
 * which name, a folder's mode, a link's target, a device's number or the extended attributes differ, or when the
 * snapshot holds no content for it. With a content check, files equal by those are left for {@link BackupComparer#checkContent},
 * each carrying the MD5 the manifest recorded. Owners are not compared: only a restore run as root can set them.
 */
final class SnapshotComparer {
    /** Why a file cannot be compared by content: the snapshot recorded no MD5 for it. */
    static final String NO_MD5 = "the snapshot has no MD5 to compare with";

    private final FileWalk walk;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    SnapshotComparer(FileWalk walk, ManifestStore manifests, ProblemReport reports) {
        this.walk = Objects.requireNonNull(walk, "walk");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** Compares {@code root} (selected by {@code filter}) with {@code snapshot}, a format-2 manifest's entries in order. */
    VerifyPlan compare(VerifyRequest request, PathFilter filter, SecureDirectory root, Iterator<FileEntry> snapshot) {
        return compare(request, filter, root, snapshot, 2);
    }

    /**
     * Compares {@code root} (selected by {@code filter}) with {@code snapshot}, the entries in order of a manifest of
     * {@code format}. A format-1 manifest recorded neither set-id bits, pipes, devices, hard links nor extended
     * attributes, so against one only the nine permission bits are compared, pipes and devices are passed over (as a
     * backup of then passed them over), and hard links and extended attributes are not compared.
     */
    VerifyPlan compare(VerifyRequest request, PathFilter filter, SecureDirectory root, Iterator<FileEntry> snapshot,
                       int format) {
        boolean full = format >= 2;
        Differences differences = new Differences(new ProblemLog(reports, request.getReport(), "listing", 0));
        // Only the files to check go to this writer: the walk's problems are not differences, so none are logged.
        ManifestWriter toCheck = manifests.writer(new VerifyJob(request.getRootDirectory(), request.getReport()),
                request.getRootDirectory(), new ProblemLog(reports, null, "content", 0));
        OrderedMerge<FileEntry, FileEntry> merge = new OrderedMerge<>(snapshot, SnapshotComparer::key,
                NameOrder::isOrderSensitive, (key, here, recorded) -> {
                    if (here == null) {
                        if (selected(filter, recorded)) {
                            differences.extra(Printable.quote(key));
                        }
                    } else if (recorded == null) {
                        differences.missing(key);
                    } else {
                        String difference = difference(here, recorded, request.isCompareContent(), full);
                        if (difference != null) {
                            differences.different(new FileProblem(here.getPath(), difference));
                        } else if (!request.isCompareContent() || here.getEntryType() != EntryType.FILE
                                || (full && here.getHardLink() != null)) {
                            // A later name of a file is a name of its first, whose content is checked.
                            differences.identical();
                        } else if (recorded.getContentMd5() == null) {
                            differences.different(new FileProblem(here.getPath(), NO_MD5));
                        } else {
                            toCheck.add(here.withContentMd5(recorded.getContentMd5()));
                        }
                    }
                });
        walk.walk(root, filter, new FileWalk.Visitor() {
            @Override
            public void file(FileEntry file) {
                merge.file(key(file), file);
            }

            @Override
            public void directory(FileEntry directory) {
                merge.file(key(directory), directory);
            }

            @Override
            public void link(FileEntry link) {
                merge.file(key(link), link);
            }

            @Override
            public void special(FileEntry special) {
                if (full) {
                    merge.file(key(special), special);
                }
                // A format-1 snapshot passed pipes and devices over, as this walk then does.
            }

            @Override
            public void problem(FileProblem problem) {
                // Entries a backup cannot take either (special files, unreadable ones): not a difference.
            }
        });
        merge.finish();
        return new VerifyPlan(differences.finish(), toCheck.finish());
    }

    /**
     * The path an entry is matched and ordered by: a folder's followed by {@code /}, as the walk orders it; null (not
     * compared) for an entry without a path.
     */
    static String key(FileEntry entry) {
        if (entry.getPath().isEmpty()) {
            return null;
        }
        return NameOrder.siblingKey(entry.getPath(), entry.getEntryType() == EntryType.DIRECTORY);
    }

    /** Whether the patterns select a snapshot entry that has no counterpart here; an entry that names no path is. */
    private static boolean selected(PathFilter filter, FileEntry recorded) {
        try {
            return filter.accepts(PathCodec.decodePath(recorded.getPath()).toString());
        } catch (IllegalArgumentException notAPath) {
            return true;
        }
    }

    /** How {@code here} differs from {@code recorded} (the same path) of a format-2 manifest, or null. */
    static String difference(FileEntry here, FileEntry recorded, boolean compareContent) {
        return difference(here, recorded, compareContent, true);
    }

    /**
     * How {@code here} differs from {@code recorded} (the same path), or null when it does not; {@code full} for a
     * manifest of format 2, which records the twelve mode bits, device numbers, hard links and extended attributes.
     */
    static String difference(FileEntry here, FileEntry recorded, boolean compareContent, boolean full) {
        if (recorded.getMissing() != null) {
            return "the snapshot holds no content for it: " + recorded.getMissing();
        }
        if (here.getEntryType() != recorded.getEntryType()) {
            return kind(here) + " here, " + kind(recorded) + " in the snapshot";
        }
        List<String> reasons = new ArrayList<>();
        if (here.getEntryType() == EntryType.SYMLINK) {
            if (!Objects.equals(here.getTarget(), recorded.getTarget())) {
                reasons.add("link target '" + Printable.quote(here.getTarget()) + "' here, '"
                        + Printable.quote(recorded.getTarget()) + "' in the snapshot");
            }
            return reasons.isEmpty() ? null : String.join("; ", reasons);
        }
        if (here.getEntryType() == EntryType.FILE && here.getSize() != recorded.getSize()) {
            reasons.add("size " + here.getSize() + " here, " + recorded.getSize() + " in the snapshot");
        }
        if (here.getEntryType().isDevice() && (!Objects.equals(here.getDeviceMajor(), recorded.getDeviceMajor())
                || !Objects.equals(here.getDeviceMinor(), recorded.getDeviceMinor()))) {
            reasons.add("device " + here.getDeviceMajor() + ":" + here.getDeviceMinor() + " here, "
                    + recorded.getDeviceMajor() + ":" + recorded.getDeviceMinor() + " in the snapshot");
        }
        int bits = full ? 07777 : 0777;
        if (here.getMode() != null && recorded.getMode() != null
                && (here.getMode() & bits) != (recorded.getMode() & bits)) {
            reasons.add("mode " + modeText(here.getMode() & bits) + " here, " + modeText(recorded.getMode() & bits)
                    + " in the snapshot");
        }
        if (here.getEntryType() == EntryType.FILE && !compareContent && !sameMtime(here, recorded)) {
            reasons.add("modified since the snapshot (mtime differs)");
        }
        if (full && here.getEntryType() == EntryType.FILE && !Objects.equals(here.getHardLink(), recorded.getHardLink())) {
            reasons.add(linkText(here.getHardLink()) + " here, " + linkText(recorded.getHardLink()) + " in the snapshot");
        }
        if (full && !Objects.equals(here.getXattrs(), recorded.getXattrs())) {
            reasons.add("extended attributes differ (" + count(here) + " here, " + count(recorded)
                    + " in the snapshot)");
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private static String linkText(String firstName) {
        return firstName == null ? "a file of its own" : "a hard link to '" + Printable.quote(firstName) + "'";
    }

    private static int count(FileEntry entry) {
        return entry.getXattrs() == null ? 0 : entry.getXattrs().size();
    }

    /** Compared in nanoseconds when both sides recorded them, else in milliseconds. */
    private static boolean sameMtime(FileEntry here, FileEntry recorded) {
        if (here.getModtimeNanos() != null && recorded.getModtimeNanos() != null) {
            return here.getModtimeNanos().equals(recorded.getModtimeNanos());
        }
        return here.getLastModified() == recorded.getLastModified();
    }

    private static String kind(FileEntry entry) {
        return switch (entry.getEntryType()) {
            case FILE -> "a file";
            case DIRECTORY -> "a folder";
            case SYMLINK -> "a symbolic link";
            case FIFO -> "a named pipe";
            case CHARACTER_DEVICE -> "a character device";
            case BLOCK_DEVICE -> "a block device";
        };
    }

    /**
     * The twelve mode bits as {@code ls} shows them ({@code rwxr-x---}, {@code rwsr-xr-x} with set-uid,
     * {@code rwxrwxrwt} with the sticky bit, a capital letter where the execute bit under it is off).
     */
    static String modeText(int mode) {
        char[] text = new char[9];
        for (int bit = 8; bit >= 0; bit--) {
            text[8 - bit] = (mode & (1 << bit)) == 0 ? '-' : "rwx".charAt((8 - bit) % 3);
        }
        special(text, 2, (mode & 04000) != 0, 's');
        special(text, 5, (mode & 02000) != 0, 's');
        special(text, 8, (mode & 01000) != 0, 't');
        return new String(text);
    }

    private static void special(char[] text, int at, boolean set, char letter) {
        if (set) {
            text[at] = text[at] == 'x' ? letter : Character.toUpperCase(letter);
        }
    }
}
