package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.AllowedRoots;
import com.contoso.sitebackup.files.BlobListing;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.DirectoryListing;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans a backup: checks the root against the read roots, lists its files, and leaves out every file whose
 * blob is already up to date. Whether a blob is up to date comes from one listing of the prefix (with
 * metadata), not one request per file: same size and same source mtime, or with
 * {@link BackupRequest#isCompareContent()} the same MD5. Every problem found goes to the run's report.
 */
public final class BackupPlanner {
    private final BlobServiceClient service;
    private final AllowedRoots readRoots;
    private final FileLister lister;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public BackupPlanner(BlobServiceClient service, AllowedRoots readRoots, FileLister lister,
                         ManifestStore manifests, ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.lister = Objects.requireNonNull(lister, "lister");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The planner of this app: its backup account, read roots, manifests and reports. */
    public static BackupPlanner from(AppServices services) {
        return new BackupPlanner(services.blobService(), services.readRoots(), new FileLister(),
                ManifestStore.from(services), ProblemReport.from(services));
    }

    /**
     * The plan for {@code request}, with its files inline when they fit in one manifest slice and in a new
     * manifest otherwise; a {@link JobPlan#rejected rejected} plan when the backup cannot run.
     */
    public JobPlan plan(BackupRequest request) {
        Path root;
        PathFilter filter;
        try {
            filter = request.validate();
            root = readRoots.resolveDirectory("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        DirectoryListing listing = lister.list(root, filter);
        List<FileEntry> files = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>(listing.getProblems());
        for (FileEntry file : listing.getFiles()) {
            if (BlobNames.blobName(request.getBlobPrefix(), file.getPath()).length() > BlobNames.MAX_BLOB_NAME_LENGTH) {
                problems.add(new FileProblem(file.getPath(), "blob name longer than "
                        + BlobNames.MAX_BLOB_NAME_LENGTH + " characters"));
            } else {
                files.add(file);
            }
        }
        if (!problems.isEmpty() && request.getReport() != null) {
            reports.append(request.getReport(), "listing", problems);
        }

        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        Map<String, BlobItem> existing;
        if (request.isDryRun()) {
            // A dry run writes nothing, not even the container.
            existing = container.exists() ? BlobListing.byRelativePath(container, request.getBlobPrefix()) : Map.of();
        } else {
            container.createIfNotExists();
            existing = BlobListing.byRelativePath(container, request.getBlobPrefix());
        }
        List<FileEntry> toCopy = new ArrayList<>();
        long unchangedFiles = 0;
        long unchangedBytes = 0;
        for (FileEntry file : files) {
            BlobItem blob = existing.get(file.getPath());
            if (blob != null && upToDate(blob, root, file, request.isCompareContent())) {
                unchangedFiles++;
                unchangedBytes += file.getSize();
            } else {
                toCopy.add(file);
            }
        }
        JobPlan plan = JobPlan.of(root.toString(), toCopy, problems).withUnchanged(unchangedFiles, unchangedBytes);
        return manifests.holdIfLarge(plan);
    }

    private static boolean upToDate(BlobItem blob, Path root, FileEntry file, boolean compareContent) {
        Long length = blob.getProperties().getContentLength();
        if (length == null || length != file.getSize()) {
            return false;
        }
        if (compareContent) {
            byte[] stored = blob.getProperties().getContentMd5();
            if (stored == null) {
                return false;
            }
            try {
                return Arrays.equals(stored, Digests.md5(root.resolve(file.getPath())));
            } catch (UncheckedIOException e) {
                // Vanished or unreadable since it was listed: plan the copy, which reports it as a problem.
                return false;
            }
        }
        Map<String, String> metadata = blob.getMetadata();
        return metadata != null
                && Long.toString(file.getSize()).equals(metadata.get(Digests.SOURCE_SIZE))
                && Long.toString(file.getLastModified()).equals(metadata.get(Digests.SOURCE_MTIME));
    }
}
