package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.BlobNameCodec;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileProblem;
import com.contoso.sitebackup.files.FileWalk;
import com.contoso.sitebackup.files.OpenedFile;
import com.contoso.sitebackup.files.OrderedMerge;
import com.contoso.sitebackup.files.PathFilter;
import com.contoso.sitebackup.files.PrefixListing;
import com.contoso.sitebackup.files.SecureDirectory;
import com.contoso.sitebackup.files.SecureRoots;
import com.contoso.sitebackup.files.TreeWalker;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Plans a backup: opens the root through the read roots (refused unless it is a folder under one, reached without
 * links), walks it without following a link ({@link TreeWalker}), and leaves out every file whose blob is already
 * up to date. Whether a blob is up to date comes from one listing of the prefix (with metadata), not one request
 * per file: same size and same source mtime, or with {@link BackupRequest#isCompareContent()} the same MD5, read
 * from one open of the file. Files are named by their encoded paths ({@link BlobNameCodec}), in the plan as in
 * the blob names; the include and exclude patterns see the paths as text. The walk and the listing come in the
 * same name order and are merged as they come ({@link PrefixListing#merge}), and the plan is written a slice at a
 * time, so memory does not grow with the tree. Every problem found goes to the run's report.
 */
public final class BackupPlanner {
    private final BlobServiceClient service;
    private final SecureRoots readRoots;
    private final FileWalk walk;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public BackupPlanner(BlobServiceClient service, SecureRoots readRoots, FileWalk walk, ManifestStore manifests,
                         ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.walk = Objects.requireNonNull(walk, "walk");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The planner of this app: its backup account, read roots, the secure walk, manifests and reports. */
    public static BackupPlanner from(AppServices services) {
        return new BackupPlanner(services.blobService(), services.readRoots(), TreeWalker.FILES,
                ManifestStore.from(services), ProblemReport.from(services));
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
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (!request.isDryRun()) {
            container.createIfNotExists();
        } else if (!container.exists()) {
            // A dry run writes nothing, not even the container; without one, every file is new.
            container = null;
        }
        String prefix = request.getBlobPrefix();
        ProblemLog problems = new ProblemLog(reports, request.getReport(), "listing", JobPlan.MAX_LISTED);
        ManifestWriter plan = manifests.writer(request.getRootDirectory(), problems);
        OrderedMerge<FileEntry, BlobItem> merge = PrefixListing.merge(PrefixListing.blobs(container, prefix), prefix,
                (path, file, blob) -> {
                    if (file == null) {
                        return; // a blob whose file is gone (or whose name is no encoding): a backup keeps it
                    }
                    if (blob != null && upToDate(blob, root, file, request.isCompareContent())) {
                        plan.unchanged(file);
                    } else {
                        plan.add(file);
                    }
                });
        walk.walk(root, filter, new FileWalk.Visitor() {
            @Override
            public void file(FileEntry file) {
                if (!BlobNameCodec.isStorable(BlobNames.blobName(prefix, file.getPath()))) {
                    problems.add(new FileProblem(file.getPath(), "blob name longer than "
                            + BlobNameCodec.MAX_BLOB_NAME_LENGTH + " characters or of more than "
                            + BlobNameCodec.MAX_SEGMENTS + " segments"));
                } else {
                    merge.file(file.getPath(), file);
                }
            }

            @Override
            public void problem(FileProblem problem) {
                problems.add(problem);
            }
        });
        merge.finish();
        return plan.finish();
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
