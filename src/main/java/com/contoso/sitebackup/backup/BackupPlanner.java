package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.BlobListing;
import com.contoso.sitebackup.files.BlobNameCodec;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileProblem;
import com.contoso.sitebackup.files.OpenedFile;
import com.contoso.sitebackup.files.PathFilter;
import com.contoso.sitebackup.files.SecureDirectory;
import com.contoso.sitebackup.files.SecureRoots;
import com.contoso.sitebackup.files.TreeWalker;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Plans a backup: opens the root through the read roots (refused unless it is a folder under one, reached without
 * links), walks it without following a link ({@link TreeWalker}), and leaves out every file whose blob is already
 * up to date. Whether a blob is up to date comes from one listing of the prefix (with metadata), not one request
 * per file: same size and same source mtime, or with {@link BackupRequest#isCompareContent()} the same MD5, read
 * from one open of the file. Files are named by their encoded paths ({@link BlobNameCodec}), in the plan as in
 * the blob names; the include and exclude patterns see the paths as text. Every problem found goes to the run's
 * report.
 */
public final class BackupPlanner {
    private final BlobServiceClient service;
    private final SecureRoots readRoots;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public BackupPlanner(BlobServiceClient service, SecureRoots readRoots, ManifestStore manifests,
                         ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The planner of this app: its backup account, read roots, manifests and reports. */
    public static BackupPlanner from(AppServices services) {
        return new BackupPlanner(services.blobService(), services.readRoots(), ManifestStore.from(services),
                ProblemReport.from(services));
    }

    /**
     * The plan for {@code request}, with its files inline when they fit in one manifest slice and in a new
     * manifest otherwise; a {@link JobPlan#rejected rejected} plan when the backup cannot run.
     */
    public JobPlan plan(BackupRequest request) {
        PathFilter filter;
        SecureDirectory root;
        try {
            filter = request.validate(manifests.containerName());
            root = readRoots.open("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        try (root) {
            return plan(request, filter, root);
        }
    }

    private JobPlan plan(BackupRequest request, PathFilter filter, SecureDirectory root) {
        String prefix = request.getBlobPrefix();
        List<FileEntry> files = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        try (Stream<TreeWalker.Entry> walk = TreeWalker.stream(root)) {
            walk.forEach(entry -> {
                boolean selected = filter.accepts(entry.relativePath().toString());
                if (!entry.isFile()) {
                    if (selected || entry.folder()) {
                        problems.add(new FileProblem(entry.encodedPath(), entry.problem()));
                    }
                } else if (!selected) {
                    return;
                } else if (!BlobNameCodec.isStorable(BlobNames.blobName(prefix, entry.encodedPath()))) {
                    problems.add(new FileProblem(entry.encodedPath(), "blob name longer than "
                            + BlobNameCodec.MAX_BLOB_NAME_LENGTH + " characters or of more than "
                            + BlobNameCodec.MAX_SEGMENTS + " segments"));
                } else {
                    files.add(new FileEntry(entry.encodedPath(), entry.state().size(),
                            entry.state().lastModifiedMillis()));
                }
            });
        }
        if (!problems.isEmpty() && request.getReport() != null) {
            reports.append(request.getReport(), "listing", problems);
        }

        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        Map<String, BlobItem> existing;
        if (request.isDryRun()) {
            // A dry run writes nothing, not even the container.
            existing = container.exists() ? BlobListing.byEncodedPath(container, prefix) : Map.of();
        } else {
            container.createIfNotExists();
            existing = BlobListing.byEncodedPath(container, prefix);
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
        JobPlan plan = JobPlan.of(request.getRootDirectory(), toCopy, problems)
                .withUnchanged(unchangedFiles, unchangedBytes);
        return manifests.holdIfLarge(plan);
    }

    private static boolean upToDate(BlobItem blob, SecureDirectory root, FileEntry file, boolean compareContent) {
        Long length = blob.getProperties().getContentLength();
        if (length == null || length != file.getSize()) {
            return false;
        }
        if (compareContent) {
            byte[] stored = blob.getProperties().getContentMd5();
            if (stored == null) {
                return false;
            }
            try (OpenedFile opened = root.openFileBelow(BlobNameCodec.decodePath(file.getPath()))) {
                return Arrays.equals(stored, Digests.md5(opened));
            } catch (IOException e) {
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
