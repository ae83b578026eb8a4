package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.snapshot.SnapshotChoice;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The folders of a restored snapshot: reads the snapshot's manifest once more, streamed, creates every folder it
 * lists (empty ones too) below the target, and sets each one's recorded mode, mtime (ns) and, when the app runs as
 * root, owner and group once everything inside it is done: deepest first, so creating or finishing a sub-folder
 * never changes a finished folder's mtime, and a folder that its mode makes read-only is finished only after
 * everything below it. Runs after every file is in place. The target is opened through the write roots and each folder
 * through the one above it, never following a link ({@link SecureDirectory}).
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
     * Creates and finishes the folders of the snapshot {@code request} names (by its id).
     *
     * @return no files or bytes; the folders that could not be made or set and the manifest lines that are not
     *     entries as problems (every one in the report), or one problem when the request is refused
     * @throws UncheckedIOException when the file system fails (retried by the orchestrator)
     */
    public FanOutSummary finish(RestoreRequest request) {
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
        try (target; SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(),
                snapshot.getId()); Folders folders = new Folders(target, problems)) {
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
                if (entry.getEntryType() == EntryType.DIRECTORY) {
                    folders.enter(entry);
                }
            }
            folders.leaveAllBut(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the folders of '"
                    + Printable.quote(request.getTargetDirectory()) + "'", e);
        }
        problems.flush();
        return new FanOutSummary(0, 0, problems.count(), 0, 0, problems.first(), List.of(), false);
    }

    /**
     * The folders on the current path, each held open, the target at the bottom: entered one name at a time from
     * the folder above, finished through the folder above when left.
     */
    private static final class Folders implements AutoCloseable {
        /**
         * A folder on the current path: its encoded path (empty for the target), depth, handle, and the entry that
         * finishes it (null for the target and for a folder made on the way to one the manifest lists).
         */
        private record Open(String path, int depth, SecureDirectory directory, FileEntry entry) {
        }

        private final Deque<Open> stack = new ArrayDeque<>();
        private final ProblemLog problems;

        Folders(SecureDirectory target, ProblemLog problems) {
            this.problems = problems;
            stack.push(new Open("", 0, target, null));
        }

        /** Finishes every folder on the path that does not hold {@code path} (every folder when null). */
        void leaveAllBut(String path) throws IOException {
            while (stack.size() > 1 && (path == null || !path.startsWith(stack.peek().path() + "/"))) {
                Open left = stack.pop();
                left.directory().close();
                if (left.entry() != null) {
                    finish(stack.peek().directory(), left.entry());
                }
            }
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
                        last ? entry : null);
                stack.push(above);
            }
        }

        /** Sets the recorded mode, mtime and (as root) owner of the folder {@code entry}, through its parent. */
        private void finish(SecureDirectory parent, FileEntry entry) {
            Path name = PrefixListing.decode(entry.getPath()).getFileName();
            try {
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

        /** Closes every folder still held (never the target, the caller's). */
        @Override
        public void close() {
            while (stack.size() > 1) {
                stack.pop().directory().close();
            }
        }
    }
}
