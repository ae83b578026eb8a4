package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.NameOrder;
import com.contoso.sitebackup.blob.OrderedMerge;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.text.Printable;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Applies a retention policy to one backup: expires snapshot manifests and deletes the content only they
 * reference, in five steps.
 * <ol>
 *   <li>Lists the manifests ({@link SnapshotStore#list}) and decides which are kept ({@link RetentionPolicy}).
 *       {@code newest} is the newest manifest's id.</li>
 *   <li>Plans, streaming: the kept manifests' files and links, merged in {@link NameOrder} (one entry per
 *       manifest in memory), are merged ({@link OrderedMerge}) with one listing of the prefix that includes blob
 *       snapshots and metadata. A blob snapshot is deleted when its {@value SnapshotIds#RUN_METADATA} metadata
 *       names a run not after {@code newest} and no kept manifest's entry at its path has it as
 *       {@code version}; a base blob when its run tag is not after {@code newest}, no kept manifest has an
 *       entry at its path and none of its snapshots stays. Content without a run tag (not this app's) is never
 *       deleted; content tagged by a run after {@code newest} belongs to a backup still running and is left
 *       alone, which makes pruning safe beside a running backup as long as a run's manifest references only
 *       snapshots it tagged itself or that the newest manifest references.</li>
 *   <li>Refuses, deleting nothing, when the bytes to delete are more than {@code maxDeleteShare} of the bytes
 *       stored under the prefix (bases and snapshots), unless {@code force}.</li>
 *   <li>Unless a dry run: deletes the expired manifests first (a pruning cut short leaves orphaned content for the
 *       next one, never a manifest whose content is gone), then, in a second streaming pass that decides again,
 *       the content. A base blob is deleted only if unchanged since listed and without snapshots (neither
 *       condition holds if a backup has taken it up meanwhile); content that changed or went is skipped.</li>
 *   <li>Returns the ids kept and expired, what was deleted (or would be) and names every deletion in the run's
 *       report (batches of {@value ProblemLog#BATCH}, so a retried pruning adds none twice).</li>
 * </ol>
 * Memory holds one listing page, one entry and a read buffer per kept manifest, whatever the backup's size.
 * Idempotent: run again, it finds what is left and deletes it.
 */
public final class SnapshotPruner {
    private final BlobServiceClient service;
    private final SnapshotStore snapshots;
    private final ProblemReport reports;
    private final String manifestContainer;

    /** The pruner of this app: its backup account, snapshots and reports. */
    public static SnapshotPruner from(AppServices services) {
        return new SnapshotPruner(services.blobService(), SnapshotStore.from(services), ProblemReport.from(services),
                services.settings().manifestContainer());
    }

    /** @param manifestContainer the app's manifest container, refused as a backup's */
    public SnapshotPruner(BlobServiceClient service, SnapshotStore snapshots, ProblemReport reports,
                          String manifestContainer) {
        this.service = Objects.requireNonNull(service, "service");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
    }

    /** Prunes as {@code request} says; IllegalArgumentException naming the field of a bad request. */
    public RetentionResult prune(RetentionRequest request) {
        request.validate(manifestContainer);
        String container = request.getContainer();
        String prefix = request.getBlobPrefix();
        List<String> ids = snapshots.list(container, prefix).stream().map(SnapshotInfo::getId).toList();
        RetentionPolicy.Decision decision = request.policy().apply(ids);
        if (ids.isEmpty()) {
            return result(request, RetentionResult.Phase.COMPLETED, decision, new Totals(), 0, 0, List.of(),
                    "no snapshots of this backup: nothing to prune");
        }
        String newest = decision.kept().get(decision.kept().size() - 1);
        BlobContainerClient blobs = service.getBlobContainerClient(container);

        ProblemLog planned = new ProblemLog(reports, request.getReport(), "planned", RetentionResult.MAX_LISTED);
        Totals plan = new Totals();
        long stored = scan(blobs, request, decision.kept(), newest, deletion -> {
            plan.add(deletion);
            planned.add(deletion.problem());
        });
        planned.flush();
        double share = stored == 0 ? 0 : (double) plan.bytes() / stored;
        boolean tooMuch = share > request.getMaxDeleteShare();
        String overLimit = "deleting " + plan.bytes() + " of " + stored + " bytes (a share of " + share
                + ") is more than maxDeleteShare " + request.getMaxDeleteShare() + "; send force: true to prune anyway";
        if (request.isDryRun()) {
            return result(request, RetentionResult.Phase.DRY_RUN_COMPLETED, decision, plan, stored, share,
                    planned.first(), tooMuch && !request.isForce() ? "would be refused: " + overLimit : null);
        }
        if (tooMuch && !request.isForce()) {
            return result(request, RetentionResult.Phase.REFUSED, decision, plan, stored, share, planned.first(),
                    "Refused, nothing deleted: " + overLimit);
        }

        for (String expired : decision.expired()) {
            snapshots.delete(container, prefix, expired);
        }
        ProblemLog skippedLog = new ProblemLog(reports, request.getReport(), "skipped", 0);
        Totals done = new Totals();
        scan(blobs, request, decision.kept(), newest, deletion -> {
            if (delete(blobs, deletion)) {
                done.add(deletion);
            } else {
                done.skipped++;
                skippedLog.add(new FileProblem(deletion.problem().getPath(), "not deleted, changed since listed: "
                        + deletion.problem().getReason()));
            }
        });
        skippedLog.flush();
        return result(request, RetentionResult.Phase.COMPLETED, decision, done, stored, share, planned.first(), null);
    }

    private static RetentionResult result(RetentionRequest request, RetentionResult.Phase phase,
                                          RetentionPolicy.Decision decision, Totals totals, long stored, double share,
                                          List<FileProblem> listed, String message) {
        return new RetentionResult(phase, request.getContainer(), request.getBlobPrefix(), decision.kept(),
                decision.kept().size(), decision.expired(), decision.expired().size(), totals.snapshots,
                totals.snapshotBytes, totals.blobs, totals.blobBytes, totals.skipped, stored, share,
                request.getMaxDeleteShare(), listed, request.getReport(), message);
    }

    /**
     * Merges the kept manifests with the listing of the prefix and hands every deletable blob snapshot and base
     * blob to {@code deletions}, a blob's snapshots before the blob; returns the bytes stored under the prefix.
     */
    private long scan(BlobContainerClient blobs, RetentionRequest request, List<String> kept, String newest,
                      Consumer<Deletion> deletions) {
        String prefix = request.getBlobPrefix();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true).setRetrieveMetadata(true));
        long[] stored = {0};
        Iterator<BlobItem> listing;
        try {
            listing = blobs.listBlobs(options, null).iterator();
            listing.hasNext(); // reads the first page: a container that does not exist shows here
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
            return 0; // no content at all: only manifests to expire
        }
        try (KeptPaths keptPaths = new KeptPaths(snapshots, request.getContainer(), prefix, kept)) {
            OrderedMerge<Set<String>, StoredBlob> merge = PrefixListing.mergeStored(StoredBlob.group(listing), prefix,
                    (path, versions, group) -> {
                        if (group != null) {
                            stored[0] += bytes(group);
                            decide(group, versions, newest, deletions);
                        }
                    });
            keptPaths.forEach(merge::file);
            merge.finish();
        }
        return stored[0];
    }

    /** @param versions the blob snapshots kept manifests reference at the group's path; null when none has it */
    private static void decide(StoredBlob group, Set<String> versions, String newest, Consumer<Deletion> deletions) {
        int staying = 0;
        for (BlobItem snapshot : group.snapshots()) {
            String run = runOf(snapshot);
            if (run != null && run.compareTo(newest) <= 0 && (versions == null || !versions.contains(snapshot.getSnapshot()))) {
                deletions.accept(new Deletion(group.name(), snapshot.getSnapshot(), length(snapshot), run, null));
            } else {
                staying++;
            }
        }
        if (group.base() != null && versions == null && staying == 0) {
            String run = runOf(group.base());
            if (run != null && run.compareTo(newest) <= 0) {
                deletions.accept(new Deletion(group.name(), null, length(group.base()), run,
                        group.base().getProperties().getETag()));
            }
        }
    }

    /** The run that uploaded {@code item}, or null when it carries no valid run tag (not this app's content). */
    private static String runOf(BlobItem item) {
        Map<String, String> metadata = item.getMetadata();
        if (metadata == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(SnapshotIds.RUN_METADATA) && SnapshotIds.isId(entry.getValue())) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static long length(BlobItem item) {
        Long length = item.getProperties() == null ? null : item.getProperties().getContentLength();
        return length == null ? 0 : length;
    }

    /**
     * Deletes one blob snapshot, or one base blob if it is unchanged since listed and has no snapshot left;
     * false when it changed, gained a snapshot or is gone.
     */
    private static boolean delete(BlobContainerClient blobs, Deletion deletion) {
        BlobClient blob = blobs.getBlobClient(deletion.blobName);
        try {
            if (deletion.snapshot != null) {
                blob.getSnapshotClient(deletion.snapshot).delete();
            } else {
                blob.deleteWithResponse(null, new BlobRequestConditions().setIfMatch(deletion.etag), null, null);
            }
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404 || e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    /** One blob snapshot ({@code snapshot} set) or base blob to delete. */
    private record Deletion(String blobName, String snapshot, long bytes, String run, String etag) {
        FileProblem problem() {
            return new FileProblem(Printable.quote(blobName), (snapshot == null ? "blob" : "blob snapshot " + snapshot)
                    + " of run " + run + ", " + bytes + " bytes");
        }
    }

    /** Counts of deletions. */
    private static final class Totals {
        long snapshots;
        long snapshotBytes;
        long blobs;
        long blobBytes;
        long skipped;

        void add(Deletion deletion) {
            if (deletion.snapshot() == null) {
                blobs++;
                blobBytes += deletion.bytes();
            } else {
                snapshots++;
                snapshotBytes += deletion.bytes();
            }
        }

        long bytes() {
            return snapshotBytes + blobBytes;
        }
    }

    /** The listing's items of one name: its blob snapshots and its base blob (null when only snapshots are left). */
    /** The bytes a name holds: its blob and every snapshot of it. */
    private static long bytes(StoredBlob group) {
        return group.snapshots().stream().mapToLong(SnapshotPruner::length).sum()
                + (group.base() == null ? 0 : length(group.base()));
    }

    /**
     * The paths of the kept manifests' files and links in {@link NameOrder}, each once with the blob snapshots
     * the manifests reference there: a merge of the manifests as they stream, one entry of each in memory.
     */
    private static final class KeptPaths implements AutoCloseable {
        private record Head(int reader, FileEntry entry) {
        }

        private final List<SnapshotReader> readers = new ArrayList<>();
        private final PriorityQueue<Head> heads = new PriorityQueue<>(
                (a, b) -> NameOrder.compare(a.entry().getPath(), b.entry().getPath()));

        KeptPaths(SnapshotStore store, String container, String prefix, List<String> ids) {
            try {
                for (String id : ids) {
                    try {
                        readers.add(store.open(container, prefix, id));
                    } catch (IllegalArgumentException gone) {
                        // Listed a moment ago: a pruning beside this one, which should not run. Worth a retry.
                        throw new IllegalStateException("snapshot " + id + " went while it was being read", gone);
                    }
                }
                for (int i = 0; i < readers.size(); i++) {
                    advance(i, null);
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        /** Hands each path, in order, with the versions referenced there (empty when none has content). */
        void forEach(BiConsumer<String, Set<String>> paths) {
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                String path = head.entry().getPath();
                Set<String> versions = new HashSet<>();
                take(head, versions);
                while (!heads.isEmpty() && heads.peek().entry().getPath().equals(path)) {
                    take(heads.poll(), versions);
                }
                paths.accept(path, versions);
            }
        }

        private void take(Head head, Set<String> versions) {
            if (head.entry().getVersion() != null) {
                versions.add(head.entry().getVersion());
            }
            advance(head.reader(), head.entry().getPath());
        }

        /** Queues reader {@code index}'s next file or link, which must come after {@code previous}. */
        private void advance(int index, String previous) {
            SnapshotReader reader = readers.get(index);
            while (reader.hasNext()) {
                FileEntry entry = reader.next();
                if (entry.getEntryType() == EntryType.DIRECTORY) {
                    continue;
                }
                if (previous != null && NameOrder.compare(previous, entry.getPath()) >= 0) {
                    throw new IllegalStateException("snapshot " + reader.info().getId() + " is not in name order: '"
                            + entry.getPath() + "' comes after '" + previous + "'");
                }
                heads.add(new Head(index, entry));
                return;
            }
        }

        @Override
        public void close() {
            readers.forEach(SnapshotReader::close);
        }
    }
}
