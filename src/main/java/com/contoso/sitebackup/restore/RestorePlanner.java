package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.AllowedRoots;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileProblem;
import com.contoso.sitebackup.files.PrefixListing;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;

/**
 * Plans a restore: checks the target against the write roots and lists the blobs under the prefix (one
 * listing, with metadata, read page by page). A blob whose name would lead outside the target ({@code ..}, an
 * absolute path) is refused and reported, never planned. Like a backup plan, a large one is written to a
 * manifest a slice at a time as the listing comes, so memory does not grow with the backup.
 * The plan's files carry each blob's size and the source mtime recorded at backup time.
 */
public final class RestorePlanner {
    private final BlobServiceClient service;
    private final AllowedRoots writeRoots;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public RestorePlanner(BlobServiceClient service, AllowedRoots writeRoots, ManifestStore manifests,
                          ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.writeRoots = Objects.requireNonNull(writeRoots, "writeRoots");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The planner of this app: its backup account, write roots, manifests and reports. */
    public static RestorePlanner from(AppServices services) {
        return new RestorePlanner(services.blobService(), services.writeRoots(), ManifestStore.from(services),
                ProblemReport.from(services));
    }

    /** The plan for {@code request}; a {@link JobPlan#rejected rejected} plan when it cannot run. */
    public JobPlan plan(RestoreRequest request) {
        Path target;
        try {
            request.validate();
            if (request.getReport() != null) {
                ProblemReport.check(request.getReport());
            }
            target = writeRoots.resolveTarget("targetDirectory", request.getTargetDirectory());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (!container.exists()) {
            return JobPlan.rejected("container '" + request.getContainer() + "' does not exist");
        }
        ProblemLog problems = new ProblemLog(reports, request.getReport(), "listing", JobPlan.MAX_LISTED);
        ManifestWriter plan = manifests.writer(target.toString(), problems);
        for (Iterator<BlobItem> blobs = PrefixListing.blobs(container, request.getBlobPrefix()); blobs.hasNext(); ) {
            BlobItem blob = blobs.next();
            String relative = PrefixListing.relativePath(request.getBlobPrefix(), blob);
            if (relative == null) {
                continue;
            }
            if (!BlobNames.isSafeRelativePath(relative)) {
                problems.add(new FileProblem(blob.getName(), "refused: the name leads outside the target directory"));
            } else {
                plan.add(new FileEntry(relative, blob.getProperties().getContentLength(), sourceMtime(blob)));
            }
        }
        return plan.finish();
    }

    private static long sourceMtime(BlobItem blob) {
        return Digests.recordedMtime(blob.getMetadata(), blob.getProperties().getLastModified().toInstant().toEpochMilli());
    }
}
