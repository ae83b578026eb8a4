package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.snapshot.SnapshotChoice;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.util.Iterator;
import java.util.Objects;

/**
 * Plans a restore: checks the target against the write roots (creating nothing: every existing part of it must be
 * a folder reached without a link) and lists the blobs under the prefix (one listing, with metadata, read page by
 * page, {@link PrefixListing}). A blob whose name after the prefix is not exactly the encoding of a relative path
 * ({@link com.contoso.sitebackup.fs.PathCodec}: no {@code ..}, no absolute path, no name this app would not
 * have written) is refused and reported, never planned. Like a backup plan, a large one is written to a manifest a
 * slice at a time as the listing comes, so memory does not grow with the backup. The plan's files carry each
 * blob's size and the source mtime recorded at backup time.
 *
 * <p>A restore of a backup snapshot plans from the snapshot's manifest instead, never from the live listing, streamed
 * the same way: every file (with its blob snapshot, MD5 and attributes) and every link, as recorded. An entry the
 * snapshot holds no content for is reported with the reason it recorded, never skipped silently; folders are left to
 * {@link DirectoryRestorer}, once the files are in place. The plan names the snapshot the request chose.
 */
public final class RestorePlanner {
    /** Why a blob is not planned: its name is not one a backup writes, so it cannot name a file safely. */
    static final String NOT_RESTORED = "not restored";
    static final String NOT_ENCODED = PrefixListing.NOT_ENCODED + "; " + NOT_RESTORED;
    /** Why a snapshot's file is not planned: the manifest names no blob snapshot holding its content. */
    static final String NO_VERSION = "the snapshot names no stored content for it; " + NOT_RESTORED;

    private final BlobServiceClient service;
    private final SecureRoots writeRoots;
    private final ManifestStore manifests;
    private final ProblemReport reports;
    private final SnapshotStore snapshots;

    public RestorePlanner(BlobServiceClient service, SecureRoots writeRoots, ManifestStore manifests,
                          ProblemReport reports, SnapshotStore snapshots) {
        this.service = Objects.requireNonNull(service, "service");
        this.writeRoots = Objects.requireNonNull(writeRoots, "writeRoots");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
    }

    /** The planner of this app: its backup account, write roots, manifests, reports and snapshots. */
    public static RestorePlanner from(AppServices services) {
        return new RestorePlanner(services.blobService(), services.writeRoots(), ManifestStore.from(services),
                ProblemReport.from(services), SnapshotStore.from(services));
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
        if (request.restoresSnapshot()) {
            return planSnapshot(request, problems);
        }
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

    /** The plan of the snapshot {@code request} chooses, from its manifest; rejected when it names none. */
    private JobPlan planSnapshot(RestoreRequest request, ProblemLog problems) {
        SnapshotInfo snapshot;
        try {
            snapshot = SnapshotChoice.resolve(snapshots, request.getContainer(), request.getBlobPrefix(),
                    request.getSnapshot(), request.getAsOf());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        ManifestWriter plan = manifests.writer(request.getTargetDirectory(), problems);
        try (SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(), snapshot.getId())) {
            while (entries.hasNext()) {
                FileEntry entry = entries.next();
                if (PrefixListing.decode(entry.getPath()) == null) {
                    problems.add(new FileProblem(Printable.quote(entry.getPath()), NOT_ENCODED));
                } else if (entry.getMissing() != null) {
                    problems.add(new FileProblem(entry.getPath(), missing(entry.getMissing())));
                } else if (entry.getEntryType() == EntryType.FILE && entry.getVersion() == null) {
                    problems.add(new FileProblem(entry.getPath(), NO_VERSION));
                } else if (entry.getEntryType() != EntryType.DIRECTORY) {
                    plan.add(entry);
                }
            }
        }
        return plan.finish().withSnapshot(snapshot.getId());
    }

    /** How an entry the snapshot holds no content for is reported: with the reason the backup recorded. */
    static String missing(String reason) {
        return "not in the snapshot: " + reason + "; " + NOT_RESTORED;
    }

    private static long sourceMtime(BlobItem blob) {
        return Digests.recordedMtime(blob.getMetadata(), blob.getProperties().getLastModified().toInstant().toEpochMilli());
    }
}
