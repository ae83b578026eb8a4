package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
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

import com.azure.storage.blob.BlobServiceClient;
import java.util.Objects;

/**
 * Plans a restore: checks the target against the write roots (creating nothing: every existing part of it must be
 * a folder reached without a link), chooses the snapshot ({@link SnapshotChoice}: the latest unless the request
 * names one by id or time) and streams its manifest into a plan of batches, so memory does not grow with the backup:
 * every file (with the version that holds it, its MD5 and attributes), every link, named pipe and device, as
 * recorded; a later name of a file with several (a hard link) is counted and left to {@link DirectoryRestorer}, which
 * links it once every file is in place. An entry the snapshot holds no content for is reported with the reason it
 * recorded, never skipped silently; a path that is not
 * exactly the encoding of a relative path ({@link com.contoso.sitebackup.fs.PathCodec}: no {@code ..}, no absolute
 * path) is refused and reported, never planned; folders are left to {@link DirectoryRestorer}, once the files are in
 * place. A backup with no snapshot, or a snapshot that holds nothing, is refused: a restore that restores nothing
 * does not end well. The plan names the snapshot it read.
 */
public final class RestorePlanner {
    /** Why an entry is not planned. */
    static final String NOT_RESTORED = "not restored";
    static final String NOT_ENCODED = PrefixListing.NOT_ENCODED + "; " + NOT_RESTORED;
    /** Why a snapshot's file is not planned: the manifest names no version holding its content. */
    static final String NO_VERSION = "the snapshot names no stored content for it; " + NOT_RESTORED;

    private final SecureRoots writeRoots;
    private final ManifestStore manifests;
    private final ProblemReport reports;
    private final SnapshotStore snapshots;
    private final BlobServiceClient service;

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
        String foreign = manifests.accountMismatch(request.getAccount());
        if (foreign != null) {
            return JobPlan.rejected(foreign);
        }
        SnapshotInfo snapshot;
        try {
            request.validate(manifests.containerName());
            writeRoots.checkWritable("targetDirectory", request.getTargetDirectory());
            if (!service.getBlobContainerClient(request.getContainer()).exists()) {
                return JobPlan.rejected("container '" + request.getContainer() + "' does not exist");
            }
            snapshot = SnapshotChoice.resolve(snapshots, request.getContainer(), request.getBlobPrefix(),
                    request.getSnapshot() == null && request.getAsOf() == null ? SnapshotChoice.LATEST
                            : request.getSnapshot(), request.getAsOf());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        if (snapshot.getFiles() + snapshot.getLinks() + snapshot.getDirectories() + snapshot.getMissing()
                + snapshot.getSpecials() == 0) {
            return JobPlan.rejected("snapshot " + snapshot.getId() + " of container '" + request.getContainer()
                    + "', prefix '" + request.getBlobPrefix() + "' holds nothing to restore");
        }
        ProblemLog problems = new ProblemLog(reports, request.getReport(), "listing", JobPlan.MAX_LISTED);
        ManifestWriter plan = manifests.writer(new RestoreJob(request.getTargetDirectory(), request.getContainer(),
                request.getBlobPrefix(), snapshot.getId(), request.isOverwrite(), request.getReport()),
                request.getTargetDirectory(), problems);
        long hardLinks = 0;
        try (SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(), snapshot.getId())) {
            for (SnapshotReader.Line line = entries.nextLine(); line != null; line = entries.nextLine()) {
                if (!line.isEntry()) {
                    // A line that is not an entry, or one with a value out of range: that entry fails, named, not
                    // the whole restore (a folder's is left to the folders' step, which names it itself).
                    if (line.entry() == null || line.entry().getEntryType() != EntryType.DIRECTORY) {
                        problems.add(new FileProblem(line.problem().getPath(), line.problem().getReason() + "; "
                                + NOT_RESTORED));
                    }
                    continue;
                }
                FileEntry entry = line.entry();
                if (PrefixListing.decode(entry.getPath()) == null) {
                    problems.add(new FileProblem(Printable.quote(entry.getPath()), NOT_ENCODED));
                } else if (entry.getMissing() != null) {
                    problems.add(new FileProblem(entry.getPath(), missing(entry.getMissing())));
                } else if (entry.getHardLink() != null) {
                    // Made by FinishDirectories once every file is in place (a batch may restore the first name
                    // after this one's): counted here, done there.
                    hardLinks++;
                } else if (entry.getEntryType() == EntryType.FILE && entry.getVersion() == null) {
                    problems.add(new FileProblem(entry.getPath(), NO_VERSION));
                } else if (entry.getEntryType() != EntryType.DIRECTORY) {
                    plan.add(entry);
                }
            }
        }
        JobPlan planned = plan.finish();
        return new JobPlan(planned.directory(), planned.manifest(), planned.batchCount(),
                planned.filesPlanned() + hardLinks, planned.bytesPlanned(), planned.filesUnchanged(),
                planned.bytesUnchanged(), planned.problemCount(), planned.problems(), planned.error(), snapshot.getId());
    }

    /** How an entry the snapshot holds no content for is reported: with the reason the backup recorded. */
    static String missing(String reason) {
        return "not in the snapshot: " + reason + "; " + NOT_RESTORED;
    }
}
