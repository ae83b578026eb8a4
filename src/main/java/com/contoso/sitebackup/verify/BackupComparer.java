package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.FileWalk;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.blob.OrderedMerge;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.snapshot.SnapshotChoice;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NotDirectoryException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a directory with a backup snapshot (the latest unless the request names one), reading nothing but the
 * directory and the snapshot's manifest ({@link SnapshotComparer}): files, folders, links and attributes, merged as
 * they come, so memory holds neither side. With {@link VerifyRequest#isCompareContent()} files equal by their
 * attributes are left for a content check, each carrying the MD5 the snapshot recorded, which {@link #checkContent}
 * does from one open of the file, without a request to storage, batch by batch ({@link CheckFileContent}). Every
 * difference goes to the run's problem report as it is found ({@link Differences}).
 */
public final class BackupComparer {
    private final SecureRoots readRoots;
    private final FileWalk walk;
    private final ManifestStore manifests;
    private final ProblemReport reports;
    private final SnapshotStore snapshots;

    public BackupComparer(SecureRoots readRoots, FileWalk walk, ManifestStore manifests, ProblemReport reports,
                          SnapshotStore snapshots) {
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.walk = Objects.requireNonNull(walk, "walk");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
    }

    /** The comparer of this app: its read roots, the secure walk, manifests, reports and snapshots. */
    public static BackupComparer from(AppServices services) {
        return new BackupComparer(services.readRoots(), TreeWalker.FILES, ManifestStore.from(services),
                ProblemReport.from(services), SnapshotStore.from(services));
    }

    /** The comparison with the snapshot, and what is left to compare by content; rejected when there is none. */
    public VerifyPlan compare(VerifyRequest request) {
        String foreign = manifests.accountMismatch(request.getAccount());
        if (foreign != null) {
            return new VerifyPlan(VerifyReport.rejected(foreign), null);
        }
        PathFilter filter;
        SecureDirectory root;
        SnapshotInfo snapshot;
        try {
            filter = request.validate(manifests.containerName());
            snapshot = SnapshotChoice.resolve(snapshots, request.getContainer(), request.getBlobPrefix(),
                    request.getSnapshot() == null && request.getAsOf() == null ? SnapshotChoice.LATEST
                            : request.getSnapshot(), request.getAsOf());
            root = readRoots.open("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return new VerifyPlan(VerifyReport.rejected(e.getMessage()), null);
        }
        try (root; SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(),
                snapshot.getId())) {
            VerifyPlan plan = new SnapshotComparer(walk, manifests, reports).compare(request, filter, root, entries,
                    entries.format());
            return new VerifyPlan(plan.getReport(), plan.getToCheck().withSnapshot(snapshot.getId()));
        }
    }

    /**
     * Compares one file's MD5 with the one the snapshot recorded: the bytes checked when they match, else a
     * difference. Reads the file only, from one open of it below the root opened through the read roots; a file gone
     * since the listing, or that is now a link, a folder or something else, or not readable for its permissions, is a
     * difference too, and a request outside the read roots is refused. Any other failure of the file system is thrown
     * (the fan-out tries the file again, and names it a failure on the last attempt), never reported as a difference.
     */
    public FileOutcome checkContent(VerifyJob job, FileEntry entry) {
        Path relative;
        SecureDirectory root;
        byte[] expected;
        try {
            relative = PathCodec.decodePath(entry.getPath());
            if (entry.getContentMd5() == null) {
                throw new IllegalArgumentException("the entry carries no MD5 to check against");
            }
            expected = Base64.getDecoder().decode(entry.getContentMd5());
            root = readRoots.open("rootDirectory", job.rootDirectory());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(entry.getPath(), "refused: " + e.getMessage());
        }
        try (root; OpenedFile file = root.openFileBelow(relative)) {
            return Arrays.equals(expected, Digests.md5(file))
                    ? FileOutcome.done(entry.getPath(), file.before().size())
                    : FileOutcome.notDone(entry.getPath(), "content differs (MD5)");
        } catch (NoSuchFileException e) {
            return FileOutcome.notDone(entry.getPath(), "not readable here: vanished since it was listed");
        } catch (FileSystemException e) {
            if (!unreadableForGood(e)) {
                throw new UncheckedIOException("cannot read '" + entry.getPath() + "'", e);
            }
            return FileOutcome.notDone(entry.getPath(), "not readable here: " + (e.getReason() == null
                    ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + entry.getPath() + "'", e);
        }
    }

    /** What an entry on the way to a file, or the file, is when it cannot be read for what it is (as the walk says). */
    private static final Set<String> UNREADABLE = Set.of("symbolic link, not followed", "a file, not a folder",
            "a folder, not a file", "not a regular file or folder");

    /**
     * Whether the file cannot be read for what it or a folder on the way is (a link, a folder, a file, something
     * else) or for its permissions, which another try would not change; anything else may pass with time.
     */
    static boolean unreadableForGood(FileSystemException e) {
        return e instanceof AccessDeniedException || e instanceof NotDirectoryException
                || e instanceof FileSystemLoopException || UNREADABLE.contains(e.getReason());
    }
}
