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
 * Compares a directory with a backup snapshot: one walk of the directory, reporting its files, folders and links
 * with their attributes, merged as it comes with the snapshot's manifest (which lists the tree in the walk's order),
 * so memory holds neither side. A path on one side only is missing (here, not in the snapshot) or extra (in the
 * snapshot, not here), a folder's path ending with {@code /}; on both sides an entry differs when its kind, a file's
 * size, mode or (unless content is compared) mtime, a folder's mode or a link's target differs, or when the snapshot
 * holds no content for it. With a content check, files equal by those are left for {@link BackupComparer#checkContent},
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

    /** Compares {@code root} (selected by {@code filter}) with {@code snapshot}, the manifest's entries in order. */
    VerifyPlan compare(VerifyRequest request, PathFilter filter, SecureDirectory root, Iterator<FileEntry> snapshot) {
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
                        String difference = difference(here, recorded, request.isCompareContent());
                        if (difference != null) {
                            differences.different(new FileProblem(here.getPath(), difference));
                        } else if (!request.isCompareContent() || here.getEntryType() != EntryType.FILE) {
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

    /** How {@code here} differs from {@code recorded} (the same path), or null when it does not. */
    static String difference(FileEntry here, FileEntry recorded, boolean compareContent) {
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
        if (here.getMode() != null && recorded.getMode() != null && !here.getMode().equals(recorded.getMode())) {
            reasons.add("mode " + modeText(here.getMode()) + " here, " + modeText(recorded.getMode()) + " in the snapshot");
        }
        if (here.getEntryType() == EntryType.FILE && !compareContent && !sameMtime(here, recorded)) {
            reasons.add("modified since the snapshot (mtime differs)");
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
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
        };
    }

    /** Nine permission bits as {@code ls} shows them ({@code rwxr-x---}). */
    static String modeText(int mode) {
        StringBuilder text = new StringBuilder(9);
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) == 0 ? '-' : "rwx".charAt((8 - bit) % 3));
        }
        return text.toString();
    }
}
