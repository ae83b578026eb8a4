package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.BlobListing;
import com.contoso.sitebackup.files.BlobNameCodec;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileProblem;
import com.contoso.sitebackup.files.Printable;
import com.contoso.sitebackup.files.SecureRoots;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans a restore: checks the target against the write roots (creating nothing: every existing part of it must be
 * a folder reached without a link) and lists the blobs under the prefix (one listing, with metadata). A blob whose
 * name after the prefix is not exactly the encoding of a relative path ({@link BlobNameCodec}: no {@code ..}, no
 * absolute path, no name this app would not have written) is refused and reported, never planned. Like a backup
 * plan, a large one goes to a manifest of slices. The plan's files carry each blob's size and the source mtime
 * recorded at backup time.
 */
public final class RestorePlanner {
    /** Why a blob is not planned: its name is not one a backup writes, so it cannot name a file safely. */
    static final String NOT_ENCODED = "refused: not a blob name a backup writes (see the blob-name rule); not restored";

    private final BlobServiceClient service;
    private final SecureRoots writeRoots;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public RestorePlanner(BlobServiceClient service, SecureRoots writeRoots, ManifestStore manifests,
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
        try {
            request.validate(manifests.containerName());
            writeRoots.checkWritable("targetDirectory", request.getTargetDirectory());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (!container.exists()) {
            return JobPlan.rejected("container '" + request.getContainer() + "' does not exist");
        }
        List<FileEntry> files = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        for (Map.Entry<String, BlobItem> blob : BlobListing.byEncodedPath(container, request.getBlobPrefix()).entrySet()) {
            try {
                BlobNameCodec.decodePath(blob.getKey());
                files.add(new FileEntry(blob.getKey(), blob.getValue().getProperties().getContentLength(),
                        sourceMtime(blob.getValue())));
            } catch (IllegalArgumentException e) {
                problems.add(new FileProblem(Printable.quote(blob.getValue().getName()), NOT_ENCODED));
            }
        }
        if (!problems.isEmpty() && request.getReport() != null) {
            reports.append(request.getReport(), "listing", problems);
        }
        return manifests.holdIfLarge(JobPlan.of(request.getTargetDirectory(), files, problems));
    }

    private static long sourceMtime(BlobItem blob) {
        return Digests.recordedMtime(blob.getMetadata(), blob.getProperties().getLastModified().toInstant().toEpochMilli());
    }
}
