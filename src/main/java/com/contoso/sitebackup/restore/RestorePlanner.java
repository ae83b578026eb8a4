package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.AllowedRoots;
import com.contoso.sitebackup.files.BlobListing;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileProblem;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans a restore: checks the target against the write roots and lists the blobs under the prefix (one
 * listing, with metadata). A blob whose name would lead outside the target ({@code ..}, an absolute path)
 * is refused and reported, never planned. Like a backup plan, a large one goes to a manifest of slices.
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
            target = writeRoots.resolveTarget("targetDirectory", request.getTargetDirectory());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (!container.exists()) {
            return JobPlan.rejected("container '" + request.getContainer() + "' does not exist");
        }
        List<FileEntry> files = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        for (Map.Entry<String, BlobItem> blob : BlobListing.byRelativePath(container, request.getBlobPrefix()).entrySet()) {
            if (!BlobNames.isSafeRelativePath(blob.getKey())) {
                problems.add(new FileProblem(blob.getValue().getName(), "refused: the name leads outside the target directory"));
            } else {
                files.add(new FileEntry(blob.getKey(), blob.getValue().getProperties().getContentLength(),
                        sourceMtime(blob.getValue())));
            }
        }
        if (!problems.isEmpty() && request.getReport() != null) {
            reports.append(request.getReport(), "listing", problems);
        }
        return manifests.holdIfLarge(JobPlan.of(target.toString(), files, problems));
    }

    private static long sourceMtime(BlobItem blob) {
        return Digests.recordedMtime(blob.getMetadata(), blob.getProperties().getLastModified().toInstant().toEpochMilli());
    }
}
