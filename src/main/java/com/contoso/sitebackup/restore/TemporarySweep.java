package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Removes the temporary files that restores left in a target (their workers killed mid-download, their runs ended
 * before a file was tried again): at the end of a restore, before its folders get their mtimes, in the target and in
 * every folder of the snapshot below it. Removed are only regular files whose names are temporary names
 * ({@link TemporaryFile#isTemporaryName}) that no file of this process holds open: every one of this run (its
 * batches are all done), and those of earlier runs or none, unless the snapshot itself lists a file of that name there
 * (a tree backed up with one in it gets it back). Nothing is followed, nothing else is touched; a folder that is
 * missing, or a link or a file where the snapshot has a folder, is left to {@link DirectoryRestorer}, which reports it.
 *
 * <p>The manifest lists the tree in walk order, so a folder's entries follow it with nothing else between: a folder
 * is swept as soon as an entry outside it arrives, knowing every name the snapshot lists in it, and only temporary
 * names are kept for that, so memory stays at the tree's depth.
 */
final class TemporarySweep {
    private final SnapshotStore snapshots;
    private final SecureRoots writeRoots;

    TemporarySweep(SnapshotStore snapshots, SecureRoots writeRoots) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.writeRoots = Objects.requireNonNull(writeRoots, "writeRoots");
    }

    /** A folder whose entries are still coming, and the temporary names the snapshot lists in it. */
    private record Open(String path, Path relative, Set<String> listed) {
    }

    /**
     * Sweeps the target of the restore {@code job}, whose manifest is {@code run}; returns how many files it removed.
     *
     * @throws IllegalArgumentException when the target is refused
     * @throws UncheckedIOException when the file system fails
     */
    long sweep(RestoreJob job, String run) {
        long removed = 0;
        Deque<Open> open = new ArrayDeque<>();
        try (SecureDirectory target = writeRoots.openOrCreate("targetDirectory", job.targetDirectory());
             SnapshotReader entries = snapshots.open(job.container(), job.blobPrefix(), job.snapshot())) {
            open.push(new Open("", null, new HashSet<>()));
            while (entries.hasNext()) {
                FileEntry entry = entries.next();
                while (open.size() > 1 && !entry.getPath().startsWith(open.peek().path() + "/")) {
                    removed += sweep(target, open.pop(), run);
                }
                Path relative = PrefixListing.decode(entry.getPath());
                if (relative == null || relative.toString().isEmpty()) {
                    continue;
                }
                String name = relative.getFileName().toString();
                if (TemporaryFile.isTemporaryName(name)) {
                    Path parent = relative.getParent();
                    if (Objects.equals(parent, open.peek().relative())) {
                        open.peek().listed().add(name);
                    }
                }
                if (entry.getEntryType() == EntryType.DIRECTORY) {
                    open.push(new Open(entry.getPath(), relative, new HashSet<>()));
                }
            }
            while (!open.isEmpty()) {
                removed += sweep(target, open.pop(), run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep the temporary files of '" + job.targetDirectory() + "'", e);
        }
        return removed;
    }

    private static long sweep(SecureDirectory target, Open folder, String run) throws IOException {
        if (folder.relative() == null) {
            return TemporaryFile.sweep(target, name -> left(name, run, folder.listed()));
        }
        SecureDirectory directory;
        try {
            directory = target.openDirectories(folder.relative());
        } catch (FileSystemException notThere) {
            // Missing, or not a folder reached without a link: nothing of a restore's is in it.
            return 0;
        }
        try (directory) {
            return TemporaryFile.sweep(directory, name -> left(name, run, folder.listed()));
        }
    }

    /** Whether the temporary name {@code name} was left by a restore: this run's, or one the snapshot does not list. */
    private static boolean left(String name, String run, Set<String> listed) {
        return TemporaryFile.isOfRun(name, run) || !listed.contains(name);
    }
}
