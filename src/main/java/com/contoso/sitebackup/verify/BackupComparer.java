package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.AllowedRoots;
import com.contoso.sitebackup.files.BlobListing;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileLister;
import com.contoso.sitebackup.files.FileProblem;
import com.contoso.sitebackup.files.PathFilter;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares a directory with its backup, reading and writing nothing but listings: one walk of the
 * directory and one listing of the prefix (with metadata and Content-MD5). Sizes and recorded mtimes settle
 * most files; with {@link VerifyRequest#isCompareContent()} files of equal size are left for a content check,
 * each carrying its blob's Content-MD5 from the listing, which {@link #checkContent} does one file at a time
 * (fanned out by the orchestrator) without another request to storage. Every difference goes to the run's
 * problem report.
 */
public final class BackupComparer {
    private final BlobServiceClient service;
    private final AllowedRoots readRoots;
    private final FileLister lister;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public BackupComparer(BlobServiceClient service, AllowedRoots readRoots, FileLister lister, ManifestStore manifests,
                          ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.lister = Objects.requireNonNull(lister, "lister");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The comparer of this app: its backup account, read roots, manifests and reports. */
    public static BackupComparer from(AppServices services) {
        return new BackupComparer(services.blobService(), services.readRoots(), new FileLister(),
                ManifestStore.from(services), ProblemReport.from(services));
    }

    /** The comparison by listings, and what is left to compare by content. */
    public VerifyPlan compare(VerifyRequest request) {
        Path root;
        PathFilter filter;
        try {
            filter = request.validate();
            root = readRoots.resolveDirectory("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return new VerifyPlan(VerifyReport.rejected(e.getMessage()), null);
        }
        Map<String, BlobItem> blobs = new TreeMap<>();
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (container.exists()) {
            BlobListing.byRelativePath(container, request.getBlobPrefix()).forEach((relative, blob) -> {
                if (filter.accepts(relative)) {
                    blobs.put(relative, blob);
                }
            });
        }
        long identical = 0;
        List<String> missing = new ArrayList<>();
        List<FileProblem> different = new ArrayList<>();
        List<FileEntry> toCheck = new ArrayList<>();
        for (FileEntry file : lister.list(root, filter).getFiles()) {
            BlobItem blob = blobs.remove(file.getPath());
            if (blob == null) {
                missing.add(file.getPath());
            } else if (blob.getProperties().getContentLength() != file.getSize()) {
                different.add(new FileProblem(file.getPath(), "size " + file.getSize() + " here, "
                        + blob.getProperties().getContentLength() + " in the backup"));
            } else if (request.isCompareContent()) {
                byte[] md5 = blob.getProperties().getContentMd5();
                if (md5 == null) {
                    different.add(new FileProblem(file.getPath(), "the backup has no Content-MD5 to compare with"));
                } else {
                    toCheck.add(file.withContentMd5(Base64.getEncoder().encodeToString(md5)));
                }
            } else if (Digests.recordedMtime(blob.getMetadata(), Long.MIN_VALUE) != file.getLastModified()) {
                different.add(new FileProblem(file.getPath(), "modified since the backup (mtime differs)"));
            } else {
                identical++;
            }
        }
        VerifyReport report = VerifyReport.of(identical, missing, new ArrayList<>(blobs.keySet()), different);
        if (report.differenceCount() > 0 && request.getReport() != null) {
            List<FileProblem> all = new ArrayList<>();
            missing.forEach(path -> all.add(new FileProblem(path, VerifyReport.MISSING)));
            blobs.keySet().forEach(path -> all.add(new FileProblem(path, VerifyReport.EXTRA)));
            all.addAll(different);
            reports.append(request.getReport(), "listing", all);
        }
        return new VerifyPlan(report, manifests.holdIfLarge(JobPlan.of(root.toString(), toCheck, List.of())));
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
