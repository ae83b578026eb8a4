package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.FileWalk;
import com.contoso.sitebackup.fs.NameOrder;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.blob.OrderedMerge;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.fs.WalkAhead;
import com.contoso.sitebackup.snapshot.BackupRegistry;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.snapshot.SnapshotWriter;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Plans a backup: opens the root through the read roots (refused unless it is a folder under one, reached without
 * links), walks it without following a link ({@link TreeWalker}), and leaves out every file and link whose blob is
 * already up to date. Whether a blob is up to date comes from one listing of the prefix with metadata and blob
 * snapshots, not one request per file (see {@code keptVersion}). Files are named by their encoded paths ({@link PathCodec}), in the plan as in
 * the blob names; the include and exclude patterns see the paths as text. The walk and the listing come in the
 * same name order and are merged as they come ({@link PrefixListing#merge}), and the plan is written a slice at a
 * time, so memory does not grow with the tree. Every problem found goes to the run's report. While the listing's first
 * page is on its way the walk runs ahead, up to {@link #WALK_AHEAD} entries held ({@link WalkAhead}).
 *
 * <p>A later name of a file with several (a hard link) is not planned: its first name holds the content. A named
 * pipe or a device has no content to plan. A path too long for a blob name is planned to the name derived from it
 * ({@link PathCodec#derivedName}), matched with a listing of that name.
 *
 * <p>For a run with a snapshot ({@link BackupRequest#getRun()}), the whole tree is also written as it is walked
 * ({@link SnapshotStore#createDraft}): every file, link, folder, pipe and device with its attributes (hard links,
 * extended attributes and derived blob names included), the up-to-date ones with the
 * version that already holds them (the run that uploaded them); {@link SnapshotSealer} completes it into the run's
 * snapshot. For each file to copy the plan also says what its blob holds ({@link CopyEntry#base}), so the copy takes
 * a blob snapshot only where a snapshot's content would otherwise be overwritten (copy on write).
 */
public final class BackupPlanner {
    /**
     * Entries the walk may find before the listing's first page has come (a few MiB): an unchanged re-run of 2,000
     * files walks its whole tree while the page of 2,000 blobs is on its way.
     */
    static final int WALK_AHEAD = 10_000;

    private final BlobServiceClient service;
    private final SecureRoots readRoots;
    private final FileWalk walk;
    private final ManifestStore manifests;
    private final ProblemReport reports;
    private final SnapshotStore snapshots;
    private final BackupRegistry registry;

    /** A planner whose backups are registered in the manifest container of {@code manifests}. */
    public BackupPlanner(BlobServiceClient service, SecureRoots readRoots, FileWalk walk, ManifestStore manifests,
                         ProblemReport reports, SnapshotStore snapshots) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.walk = Objects.requireNonNull(walk, "walk");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.registry = new BackupRegistry(service, manifests.containerName());
    }

    /** The planner of this app: its backup account, read roots, the secure walk, manifests, reports and snapshots. */
    public static BackupPlanner from(AppServices services) {
        return new BackupPlanner(services.blobService(), services.readRoots(), TreeWalker.FILES,
                ManifestStore.from(services), ProblemReport.from(services), SnapshotStore.from(services));
    }

    /**
     * The plan for {@code request}: its files in a new manifest of batches, whose job card ({@link BackupJob}) says
     * where they go; a {@link JobPlan#rejected rejected} plan when the backup cannot run. Before anything is
     * written, the backup is registered ({@link BackupRegistry#register}; a dry run only checked): a prefix inside or
     * above another backup's in the same container is a rejected plan naming the other.
     */
    public JobPlan plan(BackupRequest request) {
        String foreign = manifests.accountMismatch(request.getAccount());
        if (foreign != null) {
            return JobPlan.rejected(foreign);
        }
        PathFilter filter;
        SecureDirectory root;
        try {
            filter = request.validate(manifests.containerName());
            root = readRoots.open("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        try (root) {
            try {
                if (request.isDryRun()) {
                    registry.check("blobPrefix", request.getContainer(), request.getBlobPrefix());
                } else {
                    registry.register("blobPrefix", request.getContainer(), request.getBlobPrefix());
                }
            } catch (BackupRegistry.Conflict e) {
                return JobPlan.rejected(e.getMessage());
            }
            return plan(request, filter, root);
        }
    }

    private JobPlan plan(BackupRequest request, PathFilter filter, SecureDirectory root) {
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (request.isDryRun() && !container.exists()) {
            // A dry run writes nothing, not even the container; without one, every file is new.
            container = null;
        }
        String prefix = request.getBlobPrefix();
        // The listing's first page is asked for now, on a thread of its own, while the walk starts; a backup that
        // writes makes its container if the listing finds none (so an existing one costs no request).
        BlobContainerClient toList = container;
        PrefixListing.Ahead<StoredBlob> listing = PrefixListing.ahead(() -> request.isDryRun()
                ? PrefixListing.withSnapshots(toList, prefix) : PrefixListing.withSnapshotsCreating(toList, prefix));
        ProblemLog problems = new ProblemLog(reports, request.getReport(), "listing", JobPlan.MAX_LISTED);
        ManifestWriter plan = manifests.writer(BackupJob.of(request), request.getRootDirectory(), problems);
        boolean snapshot = request.takesSnapshot();
        BlobContainerClient listed = container;
        String backup = BlobNames.backupId(request.getContainer(), prefix);
        try (SnapshotWriter tree = snapshot ? snapshots.createDraft(new SnapshotInfo(request.getRun(),
                request.getContainer(), prefix, request.getRootDirectory(), null,
                SnapshotIds.instantOf(request.getRun()).toString(), null, 0, 0, 0, 0, 0), request.getReport()) : null) {
            OrderedMerge.Matches<FileEntry, StoredBlob> decide = (path, file, stored) -> {
                if (file == null) {
                    return; // a blob whose file is gone (or whose name is no encoding): a backup keeps it
                }
                String kept = stored == null ? null
                        : keptVersion(stored, root, file, request.isCompareContent(), request.getRun() != null,
                        backup);
                if (kept != null) {
                    plan.unchanged(file);
                    record(tree, file.withVersion(kept.isEmpty() ? null : kept, md5Of(stored.base())));
                } else {
                    // The copy reads the attributes again from the file it sends: the plan carries only what
                    // names and counts it, and what the blob held (for copy on write).
                    plan.add(new CopyEntry(file.getPath(), file.getSize(), file.getLastModified(), file.getEntryType(),
                            base(stored), file.getBlob()), file.getSize());
                    record(tree, file);
                }
            };
            OrderedMerge<FileEntry, StoredBlob> merge = PrefixListing.mergeStored(listing, prefix, decide);
            // The walk runs ahead while the listing's first page is on its way (the merge would wait for it).
            WalkAhead ahead = new WalkAhead(new FileWalk.Visitor() {
                @Override
                public void file(FileEntry file) {
                    if (file.getHardLink() != null) {
                        // A later name of a file with several: its first name holds the content, a restore links it.
                        record(tree, file);
                    } else if (!PathCodec.isStorable(BlobNames.blobName(prefix, file.getPath()))) {
                        // Too long for a blob name: the content goes to a name derived from the path, which the
                        // snapshot maps back; decided now, from a listing of that name, so the tree stays in order.
                        FileEntry derived = file.withBlob(PathCodec.derivedName(file.getPath()));
                        String name = BlobNames.blobName(prefix, derived.getBlob());
                        if (!PathCodec.isStorable(name)) {
                            problem(new FileProblem(file.getPath(), "blob name longer than "
                                    + PathCodec.MAX_BLOB_NAME_LENGTH + " characters or of more than "
                                    + PathCodec.MAX_SEGMENTS + " segments, even derived"));
                        } else {
                            decide.match(file.getPath(), derived, PrefixListing.stored(listed, name));
                        }
                    } else if (NameOrder.isOrderSensitive(file.getPath())) {
                        // Decided now, from a listing of its own name, so the tree stays in the walk's order.
                        decide.match(file.getPath(), file,
                                PrefixListing.stored(listed, BlobNames.blobName(prefix, file.getPath())));
                    } else {
                        merge.file(file.getPath(), file);
                    }
                }

                @Override
                public void link(FileEntry link) {
                    // Stored like a file (its content is the target, as AzCopy stores one), never followed.
                    file(link);
                }

                @Override
                public void directory(FileEntry directory) {
                    record(tree, directory);
                }

                @Override
                public void special(FileEntry special) {
                    // A named pipe or a device: no content, only the entry, which a restore makes again.
                    record(tree, special);
                }

                @Override
                public void note(FileProblem note) {
                    // Something of an entry the snapshot holds that it does not record: reported, never silent.
                    problems.add(note);
                }

                @Override
                public void problem(FileProblem problem) {
                    // In the report, and in the snapshot as an entry it holds no content for, so a restore names it.
                    problems.add(problem);
                    record(tree, new FileEntry(problem.getPath(), 0, 0).withMissing(problem.getReason()));
                }
            }, listing::arrived, WALK_AHEAD);
            walk.walk(root, filter, ahead);
            ahead.finish();
            merge.finish();
            if (tree != null) {
                tree.commit();
            }
        }
        return plan.finish();
    }

    private static void record(SnapshotWriter tree, FileEntry entry) {
        if (tree != null) {
            tree.add(entry);
        }
    }

    /**
     * What the copy must do with the blob {@code stored} before replacing it ({@link CopyEntry#base}): nothing when
     * there is none (null); take a blob snapshot first (its ETag) when it holds the content an earlier run uploaded
     * and no blob snapshot keeps that content yet; else replace it ({@link CopyEntry#REPLACE}).
     */
    static String base(StoredBlob stored) {
        BlobItem blob = stored == null ? null : stored.base();
        if (blob == null) {
            return null;
        }
        String run = StoredBlob.runOf(blob);
        if (run == null || stored.newestSnapshotWith(StoredBlob.RUN, run) != null) {
            return CopyEntry.REPLACE;
        }
        return blob.getProperties().getETag();
    }

    /**
     * The version that already holds {@code file} as it is now ("" outside a run with snapshots, where the blob
     * itself is enough), or null when it must be copied: the blob has the file's size and the attributes it records
     * ({@link PosixMetadata}: mtime to the nanosecond, permissions, owner, group, link or not; with
     * {@code compareContent} the mtime aside and the same MD5 as the file read now), and names the run that uploaded
     * it ({@link StoredBlob#RUN}), which is the version a snapshot names it by. A blob without a run is not this
     * app's, and is copied again; so is one tagged with another backup's identity ({@link StoredBlob#BACKUP}).
     */
    private static String keptVersion(StoredBlob stored, SecureDirectory root, FileEntry file, boolean compareContent,
                                      boolean snapshots, String backup) {
        BlobItem blob = stored.base();
        if (blob == null) {
            return null;
        }
        Long length = blob.getProperties().getContentLength();
        Map<String, String> metadata = blob.getMetadata();
        if (length == null || length != file.getSize() || metadata == null) {
            return null;
        }
        String owner = metadata.get(StoredBlob.BACKUP);
        if (owner != null && !owner.equals(backup)) {
            // Another backup's content under this name (two nesting backups from before the registry): its retention
            // may delete it, so this backup's snapshot must not name it; the copy uploads this backup's own.
            return null;
        }
        String version = "";
        if (snapshots) {
            version = StoredBlob.runOf(blob);
            if (version == null) {
                return null;
            }
        }
        for (Map.Entry<String, String> recorded : PosixMetadata.of(file).entrySet()) {
            boolean timeAside = compareContent && recorded.getKey().equals(PosixMetadata.MODTIME);
            if (!timeAside && !recorded.getValue().equals(metadata.get(recorded.getKey()))) {
                return null;
            }
        }
        if ("true".equals(metadata.get(PosixMetadata.SYMLINK)) != (file.getEntryType() == EntryType.SYMLINK)) {
            return null;
        }
        if (compareContent && file.getEntryType() == EntryType.FILE) {
            byte[] storedMd5 = blob.getProperties().getContentMd5();
            if (storedMd5 == null) {
                return null;
            }
            try (OpenedFile opened = root.openFileBelow(PathCodec.decodePath(file.getPath()))) {
                return Arrays.equals(storedMd5, Digests.md5(opened)) ? version : null;
            } catch (IOException e) {
                // Vanished or unreadable since it was listed: plan the copy, which reports it as a problem.
                return null;
            }
        }
        return version;
    }

    private static String md5Of(BlobItem blob) {
        byte[] md5 = blob.getProperties().getContentMd5();
        return md5 == null ? null : Base64.getEncoder().encodeToString(md5);
    }
}
