package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.AllowedRoots;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileProblem;
import com.contoso.sitebackup.files.FileWalk;
import com.contoso.sitebackup.files.OrderedMerge;
import com.contoso.sitebackup.files.PathFilter;
import com.contoso.sitebackup.files.PrefixListing;
import com.contoso.sitebackup.files.SortedWalk;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Compares a directory with its backup, reading and writing nothing but listings: one walk of the
 * directory and one listing of the prefix (with metadata and Content-MD5), merged as they come in the same
 * name order, so memory does not grow with the tree. Sizes and recorded mtimes settle
 * most files; with {@link VerifyRequest#isCompareContent()} files of equal size are left for a content check,
 * each carrying its blob's Content-MD5 from the listing, which {@link #checkContent} does one file at a time
 * (fanned out by the orchestrator) without another request to storage. Every difference goes to the run's
 * problem report.
 */
public final class BackupComparer {
    private final BlobServiceClient service;
    private final AllowedRoots readRoots;
    private final FileWalk walk;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public BackupComparer(BlobServiceClient service, AllowedRoots readRoots, FileWalk walk, ManifestStore manifests,
                          ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.walk = Objects.requireNonNull(walk, "walk");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The comparer of this app: its backup account, read roots, manifests and reports. */
    public static BackupComparer from(AppServices services) {
        return new BackupComparer(services.blobService(), services.readRoots(), new SortedWalk(),
                ManifestStore.from(services), ProblemReport.from(services));
    }

    /** The comparison by listings, and what is left to compare by content. */
    public VerifyPlan compare(VerifyRequest request) {
        Path root;
        PathFilter filter;
        try {
            filter = request.validate();
            if (request.getReport() != null) {
                ProblemReport.check(request.getReport());
            }
            root = readRoots.resolveDirectory("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return new VerifyPlan(VerifyReport.rejected(e.getMessage()), null);
        }
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        String prefix = request.getBlobPrefix();
        Differences differences = new Differences(new ProblemLog(reports, request.getReport(), "listing", 0));
        ManifestWriter toCheck = manifests.writer(root.toString(), new ProblemLog(reports, null, "content", 0));
        OrderedMerge<FileEntry, BlobItem> merge = PrefixListing.merge(
                PrefixListing.blobs(container.exists() ? container : null, prefix), prefix, (path, file, blob) -> {
                    if (file == null) {
                        if (filter.accepts(path)) {
                            differences.extra(path);
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
     * match, else a difference. Reads the file only; a file gone or unreadable since the listing is a
     * difference too.
     */
    public FileOutcome checkContent(ContentCheck check) {
        Path root = Path.of(check.getRootDirectory());
        Path file = root.resolve(check.getPath()).normalize();
        if (!file.startsWith(root)) {
            return FileOutcome.notDone(check.getPath(), "path leads outside the root");
        }
        byte[] actual;
        try {
            actual = Digests.md5(file);
        } catch (UncheckedIOException e) {
            return FileOutcome.notDone(check.getPath(), "not readable here: " + e.getCause().getMessage());
        }
        return Arrays.equals(Base64.getDecoder().decode(check.getContentMd5()), actual)
                ? FileOutcome.done(check.getPath(), file.toFile().length())
                : FileOutcome.notDone(check.getPath(), "content differs (MD5)");
    }
}
