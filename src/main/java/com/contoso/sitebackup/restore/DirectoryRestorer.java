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
 * <p>The manifest lists the tree in walk order, so a folder's entries follow it with nothing else between: the
 * folders whose entries are still coming are a stack of at most the tree's depth, and a folder is finished as soon as
 * an entry outside it arrives. A folder that cannot be made or set (a file or a link in its place) is a problem
 * naming it, in the run's report; running the step again does the same work again, harmlessly.
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
     * @return no files or bytes; the folders that could not be made or set as problems (every one in the report), or
     *     one problem when the request is refused
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
        Deque<FileEntry> open = new ArrayDeque<>();
        try (target; SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(),
                snapshot.getId())) {
            while (entries.hasNext()) {
                FileEntry entry = entries.next();
                while (!open.isEmpty() && !entry.getPath().startsWith(open.peek().getPath() + "/")) {
                    finish(target, open.pop(), problems);
                }
                if (entry.getEntryType() == EntryType.DIRECTORY && create(target, entry, problems)) {
                    open.push(entry);
                }
            }
            while (!open.isEmpty()) {
                finish(target, open.pop(), problems);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the folders of '" + request.getTargetDirectory() + "'", e);
        }
        problems.flush();
        return new FanOutSummary(0, 0, problems.count(), 0, 0, problems.first(), List.of(), false);
    }

    /** Creates the folder {@code entry} names (and any missing above it); false, with a problem, when it cannot. */
    private static boolean create(SecureDirectory target, FileEntry entry, ProblemLog problems) throws IOException {
        Path relative = PrefixListing.decode(entry.getPath());
        if (relative == null) {
            problems.add(new FileProblem(Printable.quote(entry.getPath()), RestorePlanner.NOT_ENCODED));
            return false;
        }
        try {
            target.openOrCreateDirectories(relative).close();
            return true;
        } catch (NoSuchFileException e) {
            // A folder on the way removed while it was being entered: worth another try.
            throw e;
        } catch (FileSystemException e) {
            problems.add(new FileProblem(entry.getPath(), "refused: '" + e.getFile() + "' on the way: " + e.getReason()
                    + "; not created"));
            return false;
        }
    }

    /** Sets the recorded mode, mtime and (as root) owner of the folder {@code entry}, relative to its parent. */
    private static void finish(SecureDirectory target, FileEntry entry, ProblemLog problems) throws IOException {
        Path relative = PrefixListing.decode(entry.getPath());
        Path parent = relative.getParent();
        try (SecureDirectory folder = parent == null ? null : target.openDirectories(parent)) {
            (folder == null ? target : folder).setAttributes(relative.getFileName(), entry);
        } catch (NoSuchFileException e) {
            problems.add(new FileProblem(entry.getPath(), "removed before its mode and mtime could be set"));
        } catch (FileSystemException e) {
            problems.add(new FileProblem(entry.getPath(), "refused: '" + e.getFile() + "': " + e.getReason()
                    + "; mode and mtime not set"));
        }
    }
}
