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
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Compares a directory with its backup, reading and writing nothing but listings: one walk of the directory
 * (opened through the read roots, never following a link, {@link TreeWalker}) and one listing of the prefix (with
 * metadata and Content-MD5, {@link PrefixListing}), merged as they come by encoded path ({@link PathCodec}),
 * the rule the backup named the blobs by, so memory holds neither side. Sizes and recorded mtimes settle most files; with {@link VerifyRequest#isCompareContent()} files of equal
 * size are left for a content check, each carrying its blob's Content-MD5 from the listing, which
 * {@link #checkContent} does one file at a time (fanned out by the orchestrator) from one open of the file, without
 * another request to storage. A blob whose name is not an encoding of a path has no file and counts as extra.
 * Every difference goes to the run's problem report as it is found ({@link Differences}), and the files left for
 * a content check to a manifest a slice at a time. A request for a backup snapshot is compared with the snapshot's
 * manifest instead of the listing ({@link SnapshotComparer}): folders, links and attributes too.
 */
public final class BackupComparer {
    private final BlobServiceClient service;
    private final SecureRoots readRoots;
    private final FileWalk walk;
    private final ManifestStore manifests;
    private final ProblemReport reports;
    private final SnapshotStore snapshots;

    public BackupComparer(BlobServiceClient service, SecureRoots readRoots, FileWalk walk, ManifestStore manifests,
                          ProblemReport reports, SnapshotStore snapshots) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.walk = Objects.requireNonNull(walk, "walk");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
    }

    /** The comparer of this app: its backup account, read roots, the secure walk, manifests, reports and snapshots. */
    public static BackupComparer from(AppServices services) {
        return new BackupComparer(services.blobService(), services.readRoots(), TreeWalker.FILES,
                ManifestStore.from(services), ProblemReport.from(services), SnapshotStore.from(services));
    }

    /** The comparison by listings, and what is left to compare by content. */
    public VerifyPlan compare(VerifyRequest request) {
        PathFilter filter;
        SecureDirectory root;
        try {
            filter = request.validate(manifests.containerName());
            root = readRoots.open("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return new VerifyPlan(VerifyReport.rejected(e.getMessage()), null);
        }
        try (root) {
            return request.comparesSnapshot() ? compareSnapshot(request, filter, root) : compare(request, filter, root);
        }
    }

    /** The comparison with the snapshot {@code request} chooses; rejected when it names none. */
    private VerifyPlan compareSnapshot(VerifyRequest request, PathFilter filter, SecureDirectory root) {
        SnapshotInfo snapshot;
        try {
            snapshot = SnapshotChoice.resolve(snapshots, request.getContainer(), request.getBlobPrefix(),
                    request.getSnapshot(), request.getAsOf());
        } catch (IllegalArgumentException e) {
            return new VerifyPlan(VerifyReport.rejected(e.getMessage()), null);
        }
        try (SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(), snapshot.getId())) {
            return new SnapshotComparer(walk, manifests, reports).compare(request, filter, root, entries);
        }
    }

    private VerifyPlan compare(VerifyRequest request, PathFilter filter, SecureDirectory root) {
        String prefix = request.getBlobPrefix();
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        Differences differences = new Differences(new ProblemLog(reports, request.getReport(), "listing", 0));
        // Only the files to check go to this writer: the walk's problems are not differences, so none are logged.
        ManifestWriter toCheck = manifests.writer(request.getRootDirectory(), new ProblemLog(reports, null, "content", 0));
        OrderedMerge<FileEntry, BlobItem> merge = PrefixListing.merge(
                PrefixListing.blobs(container.exists() ? container : null, prefix), prefix, (path, file, blob) -> {
                    if (file == null) {
                        // A blob with no file: extra when the patterns select its path, or when it names no path.
                        Path decoded = PrefixListing.decode(path);
                        if (decoded == null || filter.accepts(decoded.toString())) {
                            differences.extra(Printable.quote(path));
                        }
                    } else if (blob == null) {
                        differences.missing(path);
                    } else if (blob.getProperties().getContentLength() != file.getSize()) {
                        differences.different(new FileProblem(path, "size " + file.getSize() + " here, "
                                + blob.getProperties().getContentLength() + " in the backup"));
                    } else if (request.isCompareContent()) {
                        byte[] md5 = blob.getProperties().getContentMd5();
                        if (md5 == null) {
                            differences.different(new FileProblem(path, "the backup has no Content-MD5 to compare with"));
                        } else {
                            toCheck.add(file.withContentMd5(Base64.getEncoder().encodeToString(md5)));
                        }
                    } else if (Digests.recordedMtime(blob.getMetadata(), Long.MIN_VALUE) != file.getLastModified()) {
                        differences.different(new FileProblem(path, "modified since the backup (mtime differs)"));
                    } else {
                        differences.identical();
                    }
                });
        walk.walk(root, filter, new FileWalk.Visitor() {
            @Override
            public void file(FileEntry file) {
                merge.file(file.getPath(), file);
            }

            @Override
            public void problem(FileProblem problem) {
                // Entries a backup cannot take either (links, special files): not a difference from the backup.
            }
        });
        merge.finish();
        return new VerifyPlan(differences.finish(), toCheck.finish());
    }

    /**
     * Compares one file's MD5 with the Content-MD5 its blob had in the listing: the bytes checked when they
     * match, else a difference. Reads the file only, from one open of it below the root opened through the read
     * roots; a file gone or unreadable since the listing is a difference too, and a request outside the read roots
     * is refused.
     */
    public FileOutcome checkContent(ContentCheck check) {
        Path relative;
        SecureDirectory root;
        try {
            relative = check.validate();
            root = readRoots.open("rootDirectory", check.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(check.getPath(), "refused: " + e.getMessage());
        }
        try (root; OpenedFile file = root.openFileBelow(relative)) {
            return Arrays.equals(check.expectedMd5(), Digests.md5(file))
                    ? FileOutcome.done(check.getPath(), file.before().size())
                    : FileOutcome.notDone(check.getPath(), "content differs (MD5)");
        } catch (NoSuchFileException e) {
            return FileOutcome.notDone(check.getPath(), "not readable here: vanished since it was listed");
        } catch (FileSystemException e) {
            return FileOutcome.notDone(check.getPath(), "not readable here: " + (e.getReason() == null
                    ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            return FileOutcome.notDone(check.getPath(), "not readable here: " + e.getClass().getSimpleName());
        }
    }
}
