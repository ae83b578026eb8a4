package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.snapshot.SnapshotChoice;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;

import com.contoso.sitebackup.fs.EntryAttributes;
import com.contoso.sitebackup.fs.OpenedFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The folders and hard links of a restored snapshot: reads the snapshot's manifest once more, streamed, creates every
 * folder it lists (empty ones too) below the target, makes each later name of a file with several a hard link to the
 * file its first name was restored as ({@link HardLinks}), removes the temporary files restores left in each folder it
 * lists and in the target (below), and sets each folder's recorded extended attributes, mode, mtime (ns) and,
 * when the app runs as root, owner and group once everything inside it is done: deepest first, so creating, sweeping
 * or finishing a sub-folder never changes a finished folder's mtime, and a folder that its mode makes read-only is
 * finished only after everything below it. Runs after every file is in place. The target is opened through the write
 * roots and each folder through the one above it, never following a link ({@link SecureDirectory}).
 *
 * <p><b>The temporary files left.</b> A restore's worker killed mid-download, or a run that ended before a file was
 * tried again, leaves a temporary file ({@link TemporaryFile}). Each folder is swept once its entries are all read,
 * before it is finished (removing a name changes its folder's mtime): removed are only entries with temporary names
 * that are not folders (regular files no file of this process holds open, and the links and special files an
 * overwrite makes under such a name before renaming them into place), never followed, every one of this run (its
 * batches are all done), and those of earlier runs or none unless the snapshot itself lists a file of that name
 * there (a tree backed up with one in it gets it back). Only temporary names are kept for that, so memory stays at the
 * tree's depth.
 *
 * <p><b>Linear in depth.</b> The manifest lists the tree in walk order, so a folder's entries follow it with nothing
 * else between: the folders whose entries are still coming are a stack of at most the tree's depth, each held open,
 * and a folder is finished (through the handle of the folder above it) as soon as an entry outside it arrives. Each
 * folder is opened once, from the folder above it, never again from the target: a chain of n nested folders costs n
 * opens, not n^2/2. Folders deeper than {@link TreeWalker#MAX_DEPTH} levels (which no walk lists) are refused, so
 * the handles held stay bounded.
 *
 * <p>A folder that cannot be made or set (a file or a link in its place, a value out of range) and a manifest line
 * that is not an entry are problems naming them, in the run's report; the other folders are finished. Running the
 * step again does the same work again, harmlessly.
 */
public final class DirectoryRestorer {
    private final SnapshotStore snapshots;
    private final SecureRoots writeRoots;
    private final ProblemReport reports;
    private final String manifestContainer;

    public DirectoryRestorer(SnapshotStore snapshots, SecureRoots writeRoots, ProblemReport reports,
                             String manifestContainer) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.writeRoots = Objects.requireNonNull(writeRoots, "writeRoots");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
    }

    /** The restorer of this app: its snapshots, write roots, reports and manifest container (never restored from). */
    public static DirectoryRestorer from(AppServices services) {
        return new DirectoryRestorer(SnapshotStore.from(services), services.writeRoots(), ProblemReport.from(services),
                services.settings().manifestContainer());
    }

    /**
     * Creates, sweeps and finishes the folders of the snapshot {@code request} names (by its id), restored by the run
     * whose manifest is {@code run} (null: none, every temporary file found is another run's).
     *
     * @return no files or bytes; the folders that could not be made or set and the manifest lines that are not
     *     entries as problems (every one in the report), or one problem when the request is refused
     * @throws UncheckedIOException when the file system fails (retried by the orchestrator)
     */
    public FanOutSummary finish(RestoreRequest request, String run) {
        SnapshotInfo snapshot;
        SecureDirectory target;
        try {
            request.validate(manifestContainer);
            if (request.getSnapshot() == null) {
                throw new IllegalArgumentException("snapshot is required: the id of the snapshot being restored");
            }
            snapshot = SnapshotChoice.resolve(snapshots, request.getContainer(), request.getBlobPrefix(),
                    request.getSnapshot(), null);
            target = writeRoots.openOrCreate("targetDirectory", request.getTargetDirectory());
        } catch (IllegalArgumentException e) {
            FileProblem refused = new FileProblem(FinishDirectories.EVERY_FOLDER, "refused: " + e.getMessage());
            return new FanOutSummary(0, 0, 1, 0, 0, List.of(refused), List.of(), false);
        }
        ProblemLog problems = new ProblemLog(reports, request.getReport(), "directories", FanOutSummary.MAX_LISTED);
        HardLinks links;
        try (target; SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(),
                snapshot.getId()); Folders folders = new Folders(target, run, problems)) {
            links = new HardLinks(target, folders, problems, request.isOverwrite());
            for (SnapshotReader.Line line = entries.nextLine(); line != null; line = entries.nextLine()) {
                if (!line.isEntry()) {
                    // A folder's bad line, or one that says nothing of what it is; a file's or a link's is reported
                    // by its own restore, which refuses it.
                    if (line.entry() == null || line.entry().getEntryType() == EntryType.DIRECTORY) {
                        problems.add(line.problem());
                    }
                    continue;
                }
                FileEntry entry = line.entry();
                folders.leaveAllBut(entry.getPath());
                folders.list(entry);
                if (entry.getEntryType() == EntryType.DIRECTORY) {
                    folders.enter(entry);
                } else if (entry.getEntryType() == EntryType.FILE) {
                    links.file(entry);
                }
            }
            folders.leaveAllBut(null);
            folders.sweepTarget();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the folders of '"
                    + Printable.quote(request.getTargetDirectory()) + "'", e);
        }
        problems.flush();
        return new FanOutSummary(links.done, 0, problems.count(), 0, 0, problems.first(), List.of(), false);
    }

    /**
     * The hard links of a restored snapshot: a later name of a file with several ({@link FileEntry#getHardLink}) is
     * made another name of the file its first name was restored as, once every file is in place (the first name may
     * be in any batch). The first names come before their later names in the manifest, so each one with several
     * names ({@link FileEntry#getNlink}) is remembered as it passes (its MD5 and size; at most
     * {@link TreeWalker#MAX_LINKED_FILES}).
     *
     * <p>A link is only ever made to a file this restore put in place inside the target: the first name is opened
     * below the target one name at a time without a link (never a name looked up again: the inode of that handle is
     * linked, {@link SecureDirectory#createHardLink}), and must be a regular file of the recorded size and MD5 (hashed
     * once per file) whose only other names are the ones this step made or found, so a file swapped in from elsewhere
     * (a hard link to a file outside the target) is never given another name. A name that is already a name of that
     * file counts as done, so running the step again is harmless; any other entry there is refused unless
     * {@code overwrite}, and then replaced in one step (a folder never is).
     */
    private static final class HardLinks {
        /** A first name remembered: what its content must be, and how many names this step made or found. */
        private static final class First {
            final String md5;
            final long size;
            long names;
            boolean checked;

            First(String md5, long size) {
                this.md5 = md5;
                this.size = size;
            }
        }

        private final SecureDirectory target;
        private final Folders folders;
        private final ProblemLog problems;
        private final boolean overwrite;
        private final java.util.Map<String, First> firsts = new java.util.HashMap<>();
        long done;

        HardLinks(SecureDirectory target, Folders folders, ProblemLog problems, boolean overwrite) {
            this.target = target;
            this.folders = folders;
            this.problems = problems;
            this.overwrite = overwrite;
        }

        /** Remembers a first name with several names; links a later name to its first. */
        void file(FileEntry entry) throws IOException {
            if (entry.getHardLink() == null) {
                if (entry.getNlink() != null && entry.getVersion() != null && entry.getMissing() == null
                        && firsts.size() < TreeWalker.MAX_LINKED_FILES) {
                    firsts.put(entry.getPath(), new First(entry.getContentMd5(), entry.getSize()));
                }
                return;
            }
            Path relative = PrefixListing.decode(entry.getPath());
            Path first = PrefixListing.decode(entry.getHardLink());
            if (relative == null || first == null) {
                problems.add(new FileProblem(Printable.quote(entry.getPath()), RestorePlanner.NOT_ENCODED));
                return;
            }
            First recorded = firsts.get(entry.getHardLink());
            if (recorded == null) {
                problems.add(problem(entry, "its first name is not a file of this snapshot that was restored"));
                return;
            }
            SecureDirectory folder;
            try {
                folder = folders.folderOf(relative);
            } catch (NoSuchFileException e) {
                throw e;
            } catch (FileSystemException e) {
                problems.add(problem(entry, "'" + e.getFile() + "' on the way: " + e.getReason()));
                return;
            }
            try {
                link(entry, relative.getFileName(), first, recorded, folder);
            } finally {
                folders.release(folder);
            }
        }

        private void link(FileEntry entry, Path name, Path firstPath, First recorded, SecureDirectory folder)
                throws IOException {
            OpenedFile first;
            try {
                first = target.openFileBelow(firstPath);
            } catch (NoSuchFileException e) {
                problems.add(problem(entry, "its first name is not in place"));
                return;
            } catch (FileSystemException e) {
                problems.add(problem(entry, "its first name: " + e.getReason()));
                return;
            }
            try (first) {
                EntryAttributes existing;
                try {
                    existing = folder.entryAttributes(name);
                } catch (NoSuchFileException e) {
                    existing = null;
                }
                if (existing != null && first.fileKey().equals(existing.fileKey())) {
                    recorded.names++;
                    done++;
                    return;
                }
                if (existing != null && existing.isDirectory()) {
                    problems.add(problem(entry, "a folder of that name exists; not replaced"));
                    return;
                }
                if (existing != null && !overwrite) {
                    problems.add(problem(entry, BlobRestorer.NOT_OVERWRITTEN));
                    return;
                }
                String wrong = check(first, recorded);
                if (wrong != null) {
                    problems.add(problem(entry, "its first name " + wrong + "; not linked"));
                    return;
                }
                try {
                    if (existing == null) {
                        folder.createHardLink(name, first);
                    } else {
                        folder.replaceWithHardLink(name, first);
                    }
                } catch (FileAlreadyExistsException e) {
                    problems.add(problem(entry, BlobRestorer.NOT_OVERWRITTEN));
                    return;
                } catch (NoSuchFileException e) {
                    throw e;
                } catch (FileSystemException e) {
                    // Another file system on the way (EXDEV), too many links, no permission: another try cannot help.
                    problems.add(problem(entry, e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
                    return;
                }
                recorded.names++;
                done++;
            }
        }

        /**
         * Why the open first name is not the file this restore put in place, or null: not the recorded size or MD5,
         * or a name more than this step made or found.
         */
        private static String check(OpenedFile first, First recorded) throws IOException {
            if (first.before().size() != recorded.size) {
                return "is not the size recorded";
            }
            if (first.linkCount() != 1 + recorded.names) {
                return "has other names than this restore made";
            }
            if (!recorded.checked) {
                if (recorded.md5 != null && !java.util.Arrays.equals(java.util.Base64.getDecoder().decode(recorded.md5),
                        com.contoso.sitebackup.blob.Digests.md5(first))) {
                    return "is not the content recorded";
                }
                recorded.checked = true;
            }
            return null;
        }

        private static FileProblem problem(FileEntry entry, String why) {
            return new FileProblem(entry.getPath(), "hard link to '" + Printable.quote(entry.getHardLink())
                    + "' not made: " + why);
        }
    }

    /**
     * The folders on the current path, each held open, the target at the bottom: entered one name at a time from
     * the folder above, swept and finished through the folder above when left.
     */
    private static final class Folders implements AutoCloseable {
        /**
         * A folder on the current path: its encoded path (empty for the target), depth, handle, the entry that
         * finishes it (null for the target and for a folder made on the way to one the manifest lists), and the
         * temporary names the snapshot lists in it (null for a folder made on the way: never swept).
         */
        private record Open(String path, int depth, SecureDirectory directory, FileEntry entry, Set<String> listed) {
        }

        private final Deque<Open> stack = new ArrayDeque<>();
        private final String run;
        private final ProblemLog problems;

        Folders(SecureDirectory target, String run, ProblemLog problems) {
            this.run = run;
            this.problems = problems;
            stack.push(new Open("", 0, target, null, new HashSet<>()));
        }

        /** Sweeps, closes and finishes every folder on the path that does not hold {@code path} (every one: null). */
        void leaveAllBut(String path) throws IOException {
            while (stack.size() > 1 && (path == null || !path.startsWith(stack.peek().path() + "/"))) {
                Open left = stack.pop();
                if (left.listed() != null) {
                    sweep(left);
                }
                left.directory().close();
                if (left.entry() != null) {
                    finish(stack.peek().directory(), left.entry());
                }
            }
        }

        /** Keeps the name of {@code entry} when it is a temporary name in the deepest folder held, which lists it. */
        void list(FileEntry entry) {
            Open folder = stack.peek();
            int slash = entry.getPath().lastIndexOf('/');
            String parent = slash < 0 ? "" : entry.getPath().substring(0, slash);
            if (folder.listed() != null && parent.equals(folder.path())) {
                Path relative = PrefixListing.decode(entry.getPath());
                if (relative != null && relative.getNameCount() > 0
                        && TemporaryFile.isTemporaryName(relative.getFileName().toString())) {
                    folder.listed().add(relative.getFileName().toString());
                }
            }
        }

        /** Sweeps the target, once every folder below it is left. */
        void sweepTarget() throws IOException {
            sweep(stack.getLast());
        }

        /**
         * Removes the temporary files {@code folder} holds that a restore left: every one of this run, and those of
         * other runs (or none) whose names the snapshot does not list there.
         */
        private void sweep(Open folder) throws IOException {
            TemporaryFile.sweep(folder.directory(), name -> TemporaryFile.isOfRun(name, run)
                    || !folder.listed().contains(name));
        }

        /** Creates (or opens) the folder {@code entry} names below the deepest open folder that holds it. */
        void enter(FileEntry entry) throws IOException {
            Path relative = PrefixListing.decode(entry.getPath());
            if (relative == null) {
                problems.add(new FileProblem(Printable.quote(entry.getPath()), RestorePlanner.NOT_ENCODED));
                return;
            }
            if (relative.getNameCount() > TreeWalker.MAX_DEPTH) {
                problems.add(new FileProblem(entry.getPath(), "deeper than " + TreeWalker.MAX_DEPTH
                        + " folders; not created"));
                return;
            }
            String[] names = entry.getPath().split("/");
            Open above = stack.peek();
            for (int depth = above.depth(); depth < names.length; depth++) {
                Path name = relative.getName(depth);
                SecureDirectory folder;
                try {
                    folder = above.directory().openOrCreateDirectory(name);
                } catch (NoSuchFileException e) {
                    // A folder on the way removed while it was being entered: worth another try.
                    throw e;
                } catch (FileSystemException e) {
                    problems.add(new FileProblem(entry.getPath(), "refused: '" + e.getFile() + "' on the way: "
                            + e.getReason() + "; not created"));
                    return;
                }
                boolean last = depth == names.length - 1;
                above = new Open(String.join("/", java.util.Arrays.copyOf(names, depth + 1)), depth + 1, folder,
                        last ? entry : null, last ? new HashSet<>() : null);
                stack.push(above);
            }
        }

        /** Sets the recorded mode, mtime and (as root) owner of the folder {@code entry}, through its parent. */
        private void finish(SecureDirectory parent, FileEntry entry) {
            Path name = PrefixListing.decode(entry.getPath()).getFileName();
            try {
                // Extended attributes first: the mode may make the folder read-only.
                String warning = parent.setExtendedAttributes(name, entry);
                if (warning != null) {
                    problems.add(new FileProblem(entry.getPath(), warning));
                }
                parent.setAttributes(name, entry);
            } catch (NoSuchFileException e) {
                problems.add(new FileProblem(entry.getPath(), "removed before its mode and mtime could be set"));
            } catch (FileSystemException e) {
                problems.add(new FileProblem(entry.getPath(), "refused: '" + e.getFile() + "': " + e.getReason()
                        + "; mode and mtime not set"));
            } catch (IOException e) {
                problems.add(new FileProblem(entry.getPath(), "not set: " + Printable.quote(String.valueOf(
                        e.getMessage()))));
            } catch (IllegalArgumentException e) {
                problems.add(new FileProblem(entry.getPath(), "refused: " + e.getMessage() + "; mode and mtime not set"));
            }
        }

        /**
         * The folder {@code relative} (an entry's path) is in: the deepest folder held that holds it, and below it the
         * names still missing, opened or created one at a time (folders the snapshot does not list, such as ones a
         * filter left out). Give it back with {@link #release}.
         */
        SecureDirectory folderOf(Path relative) throws IOException {
            Open above = stack.peek();
            int depth = relative.getNameCount() - 1;
            if (above.depth() == depth) {
                return above.directory();
            }
            return above.directory().openOrCreateDirectories(relative.subpath(above.depth(), depth));
        }

        /** Closes a folder {@link #folderOf} opened (not one it held already). */
        void release(SecureDirectory folder) {
            for (Open open : stack) {
                if (open.directory() == folder) {
                    return;
                }
            }
            folder.close();
        }

        /** Closes every folder still held (never the target, the caller's). */
        @Override
        public void close() {
            while (stack.size() > 1) {
                stack.pop().directory().close();
            }
        }
    }
}
