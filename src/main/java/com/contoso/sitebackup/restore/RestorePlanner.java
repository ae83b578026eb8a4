package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.PrefixListing;
import com.contoso.sitebackup.files.SecureRoots;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.util.Iterator;
import java.util.Objects;

/**
 * Plans a restore: checks the target against the write roots (creating nothing: every existing part of it must be
 * a folder reached without a link) and lists the blobs under the prefix (one listing, with metadata, read page by
 * page, {@link PrefixListing}). A blob whose name after the prefix is not exactly the encoding of a relative path
 * ({@link com.contoso.sitebackup.files.BlobNameCodec}: no {@code ..}, no absolute path, no name this app would not
 * have written) is refused and reported, never planned. Like a backup plan, a large one is written to a manifest a
 * slice at a time as the listing comes, so memory does not grow with the backup. The plan's files carry each
 * blob's size and the source mtime recorded at backup time.
 */
public final class RestorePlanner {
    /** Why a blob is not planned: its name is not one a backup writes, so it cannot name a file safely. */
    static final String NOT_RESTORED = "not restored";
    static final String NOT_ENCODED = PrefixListing.NOT_ENCODED + "; " + NOT_RESTORED;

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
        String prefix = request.getBlobPrefix();
        ProblemLog problems = new ProblemLog(reports, request.getReport(), "listing", JobPlan.MAX_LISTED);
        ManifestWriter plan = manifests.writer(request.getTargetDirectory(), problems);
        for (Iterator<BlobItem> blobs = PrefixListing.blobs(container, prefix); blobs.hasNext(); ) {
            BlobItem blob = blobs.next();
            String encoded = PrefixListing.encodedPath(prefix, blob);
            if (encoded == null) {
                continue;
            }
            if (PrefixListing.decode(encoded) == null) {
                problems.add(PrefixListing.notEncoded(blob, NOT_RESTORED));
            } else {
                plan.add(new FileEntry(encoded, blob.getProperties().getContentLength(), sourceMtime(blob)));
            }
        }
        return plan.finish();
    }

    private static long sourceMtime(BlobItem blob) {
        return Digests.recordedMtime(blob.getMetadata(), blob.getProperties().getLastModified().toInstant().toEpochMilli());
    }
}
