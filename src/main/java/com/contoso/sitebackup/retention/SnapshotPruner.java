package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.BackupAccount;
import com.contoso.sitebackup.config.Settings;
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
import com.contoso.sitebackup.snapshot.BackupRegistry;
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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Applies a retention policy to one backup, the one under the request's prefix in its container: expires snapshot
 * manifests and deletes the content of that backup only they reference, in six steps.
 * <ol>
 *   <li>Refuses, deleting nothing, a prefix that overlaps another backup's in the same container
 *       ({@link BackupRegistry#check}: one inside or above the other), naming the other.</li>
 *   <li>Lists the manifests ({@link SnapshotStore#list}) and decides which are kept ({@link RetentionPolicy}).
 *       {@code newest} is the newest manifest's id.</li>
 *   <li>Plans, streaming: the kept manifests' files and links, merged in {@link NameOrder} (one entry per
 *       manifest in memory), are merged ({@link OrderedMerge}) with one listing of the prefix that includes blob
 *       snapshots and metadata. At each name, the versions the kept entries there name are <i>referenced</i>: for
 *       each, the version {@link StoredBlob#holding} finds (the base blob while its run tag is that run, else the
 *       newest blob snapshot tagged with it; for a format-1 entry the blob snapshot of that time). Only this
 *       backup's content may go: a version whose {@value StoredBlob#BACKUP} tag is this backup's identity
 *       ({@link BlobNames#backupId}) and whose {@value StoredBlob#RUN} tag names a run not after {@code newest}.
 *       Of those, a blob snapshot goes when it is not referenced; a base blob when it is not referenced and none of
 *       the name's blob snapshots stays. Content of another backup (a nested layout written before backups were
 *       refused to nest), content from before backups carried their identity, content not this app's, and content
 *       tagged by a run after {@code newest} (a backup still running) is never deleted. One case is left to the
 *       schedule: a run still going carries forward the base blob of a file that is back unchanged after being
 *       absent from the newest snapshot, which no kept snapshot holds; scheduled jobs prune after their backup, never
 *       beside it.</li>
 *   <li>Refuses, deleting nothing, when the bytes to delete are more than the operator's ceiling
 *       ({@code BACKUP_RETENTION_MAX_DELETE_SHARE}) of this backup's stored bytes (its bases and blob snapshots).</li>
 *   <li>Unless a dry run: deletes the expired manifests first (a pruning cut short leaves orphaned content for the
 *       next one, never a manifest whose content is gone), then, in a second streaming pass that decides again,
 *       the content. A base blob is deleted only if unchanged since listed (If-Match) and without blob snapshots
 *       (the service refuses to delete a blob that has some); content that changed or went is skipped.</li>
 *   <li>Returns the ids kept and expired, what was deleted (or would be) and names every deletion in the run's
 *       report (batches of {@value ProblemLog#BATCH}, so a retried pruning adds none twice).</li>
 * </ol>
 * Memory holds one listing page, one entry and a read buffer per kept manifest, whatever the backup's size.
 * Idempotent: run again, it finds what is left and deletes it.
 */
public final class SnapshotPruner {
    private final BlobServiceClient service;
    private final SnapshotStore snapshots;
    private final BackupRegistry registry;
    private final ProblemReport reports;
    private final String manifestContainer;
    private final DoubleSupplier ceiling;

    /**
     * The pruner of this app: its backup account, snapshots, registry, reports and retention ceiling (the app
     * setting, read by each pruning, so a bad value fails the pruning that reads it, naming the setting).
     */
    public static SnapshotPruner from(AppServices services) {
        return new SnapshotPruner(services.blobService(), SnapshotStore.from(services), BackupRegistry.from(services),
                ProblemReport.from(services), services.settings().manifestContainer(),
                services.settings()::retentionMaxDeleteShare);
    }

    /**
     * @param manifestContainer the app's manifest container, refused as a backup's
     * @param maxDeleteShare the share of a backup's stored bytes one run may delete: above 0, at most 1
     */
    public SnapshotPruner(BlobServiceClient service, SnapshotStore snapshots, BackupRegistry registry,
                          ProblemReport reports, String manifestContainer, double maxDeleteShare) {
        this(service, snapshots, registry, reports, manifestContainer, () -> maxDeleteShare);
        if (!(maxDeleteShare > 0 && maxDeleteShare <= 1)) {
            throw new IllegalArgumentException("maxDeleteShare must be above 0 and at most 1, not " + maxDeleteShare);
        }
    }

    private SnapshotPruner(BlobServiceClient service, SnapshotStore snapshots, BackupRegistry registry,
                           ProblemReport reports, String manifestContainer, DoubleSupplier ceiling) {
        this.service = Objects.requireNonNull(service, "service");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
        this.ceiling = ceiling;
    }

    /**
     * Prunes as {@code request} says; IllegalArgumentException naming the field of a bad request, or the setting
     * when the ceiling is not valid.
     */
    public RetentionResult prune(RetentionRequest request) {
        request.validate(manifestContainer);
        double maxDeleteShare = ceiling.getAsDouble();
        String container = request.getContainer();
        String prefix = request.getBlobPrefix();
        String foreign = BackupAccount.mismatch(request.getAccount(), service);
        if (foreign != null) {
            return result(request, RetentionResult.Phase.REFUSED, new RetentionPolicy.Decision(List.of(), List.of()),
                    new Totals(), 0, 0, maxDeleteShare, List.of(), "Refused, nothing deleted: " + foreign);
        }
        try {
            registry.check("blobPrefix", container, prefix);
        } catch (BackupRegistry.Conflict e) {
            return result(request, RetentionResult.Phase.REFUSED, new RetentionPolicy.Decision(List.of(), List.of()),
                    new Totals(), 0, 0, maxDeleteShare, List.of(), "Refused, nothing deleted: " + e.getMessage());
        }
        List<String> ids = snapshots.list(container, prefix).stream().map(SnapshotInfo::getId).toList();
        RetentionPolicy.Decision decision = request.policy().apply(ids);
        if (ids.isEmpty()) {
            return result(request, RetentionResult.Phase.COMPLETED, decision, new Totals(), 0, 0, maxDeleteShare,
                    List.of(), "no snapshots of this backup: nothing to prune");
        }
        Scope scope = new Scope(prefix, BlobNames.backupId(container, prefix),
                decision.kept().get(decision.kept().size() - 1));
        BlobContainerClient blobs = service.getBlobContainerClient(container);

        ProblemLog planned = new ProblemLog(reports, request.getReport(), "planned", RetentionResult.MAX_LISTED);
        Totals plan = new Totals();
        long stored = scan(blobs, request, decision.kept(), scope, deletion -> {
            plan.add(deletion);
            planned.add(deletion.problem());
        });
        planned.flush();
        double share = stored == 0 ? 0 : (double) plan.bytes() / stored;
        boolean tooMuch = share > maxDeleteShare;
        String overLimit = "deleting " + plan.bytes() + " of this backup's " + stored + " bytes (a share of " + share
                + ") is more than " + Settings.BACKUP_RETENTION_MAX_DELETE_SHARE + " " + maxDeleteShare
                + ", the operator's ceiling; keep more snapshots, or have the operator raise the setting";
        if (request.isDryRun()) {
            return result(request, RetentionResult.Phase.DRY_RUN_COMPLETED, decision, plan, stored, share,
                    maxDeleteShare, planned.first(), tooMuch ? "would be refused: " + overLimit : null);
        }
        if (tooMuch) {
            return result(request, RetentionResult.Phase.REFUSED, decision, plan, stored, share, maxDeleteShare,
                    planned.first(), "Refused, nothing deleted: " + overLimit);
        }

        for (String expired : decision.expired()) {
            snapshots.delete(container, prefix, expired);
        }
        ProblemLog skippedLog = new ProblemLog(reports, request.getReport(), "skipped", 0);
        Totals done = new Totals();
        scan(blobs, request, decision.kept(), scope, deletion -> {
            if (delete(blobs, deletion)) {
                done.add(deletion);
            } else {
                done.skipped++;
                skippedLog.add(new FileProblem(deletion.problem().getPath(), "not deleted, changed since listed: "
                        + deletion.problem().getReason()));
            }
        });
        skippedLog.flush();
        return result(request, RetentionResult.Phase.COMPLETED, decision, done, stored, share, maxDeleteShare,
                planned.first(), null);
    }

    private static RetentionResult result(RetentionRequest request, RetentionResult.Phase phase,
                                          RetentionPolicy.Decision decision, Totals totals, long stored, double share,
                                          double maxDeleteShare, List<FileProblem> listed, String message) {
        return new RetentionResult(phase, request.getContainer(), request.getBlobPrefix(), decision.kept(),
                decision.kept().size(), decision.expired(), decision.expired().size(), totals.snapshots,
                totals.snapshotBytes, totals.blobs, totals.blobBytes, totals.skipped, stored, share,
                maxDeleteShare, listed, request.getReport(), message);
    }

    /**
     * What may be deleted: content under {@code prefix} tagged with {@code backup} (this backup's identity) by a run
     * not after {@code newest} (the newest snapshot).
     */
    private record Scope(String prefix, String backup, String newest) {
        /** The run that uploaded {@code item} when it is this backup's content of a finished run, else null. */
        String deletableRun(BlobItem item) {
            if (!backup.equals(tag(item, StoredBlob.BACKUP))) {
                return null;
            }
            String run = tag(item, StoredBlob.RUN);
            return run != null && SnapshotIds.isId(run) && run.compareTo(newest) <= 0 ? run : null;
        }
    }

    /**
     * Merges the kept manifests with the listing of the prefix and hands every deletable blob snapshot and base
     * blob to {@code deletions}, a blob's snapshots before the blob; returns the bytes of this backup stored there.
     */
    private long scan(BlobContainerClient blobs, RetentionRequest request, List<String> kept, Scope scope,
                      Consumer<Deletion> deletions) {
        String prefix = scope.prefix();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix + "/")
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
                            stored[0] += bytes(group, scope);
                            decide(group, versions, scope, deletions);
                        }
                    });
            keptPaths.forEach(merge::file);
            merge.finish();
        }
        return stored[0];
    }

    /** @param versions the versions kept manifests name at the group's path; null when none has it */
    private static void decide(StoredBlob group, Set<String> versions, Scope scope, Consumer<Deletion> deletions) {
        Set<BlobItem> referenced = Collections.newSetFromMap(new IdentityHashMap<>());
        if (versions != null) {
            for (String version : versions) {
                BlobItem holder = group.holding(version);
                if (holder != null) {
                    referenced.add(holder);
                }
            }
        }
        int staying = 0;
        for (BlobItem snapshot : group.snapshots()) {
            String run = scope.deletableRun(snapshot);
            if (run != null && !referenced.contains(snapshot)) {
                deletions.accept(new Deletion(group.name(), snapshot.getSnapshot(), length(snapshot), run, null));
            } else {
                staying++;
            }
        }
        BlobItem base = group.base();
        if (base != null && staying == 0 && !referenced.contains(base)) {
            String run = scope.deletableRun(base);
            if (run != null) {
                deletions.accept(new Deletion(group.name(), null, length(base), run, base.getProperties().getETag()));
            }
        }
    }

    /** The value of metadata {@code key} on {@code item} (the service may give a key in another case), or null. */
    private static String tag(BlobItem item, String key) {
        Map<String, String> metadata = item.getMetadata();
        if (metadata == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
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

    /** The bytes of this backup's content at a name: its blob and blob snapshots that carry its identity. */
    private static long bytes(StoredBlob group, Scope scope) {
        long bytes = 0;
        for (BlobItem snapshot : group.snapshots()) {
            bytes += scope.backup().equals(tag(snapshot, StoredBlob.BACKUP)) ? length(snapshot) : 0;
        }
        BlobItem base = group.base();
        return bytes + (base != null && scope.backup().equals(tag(base, StoredBlob.BACKUP)) ? length(base) : 0);
    }

    /**
     * The paths of the kept manifests' entries other than folders in {@link NameOrder}, each once with the versions
     * the manifests name there (run ids; blob snapshot times in format-1 manifests; none for a hard link, a pipe or a
     * device, which hold no content of their own), handed by the blob name that holds their content (a derived name
     * for a path too long for one, which the merge matches by lookup): a merge of the manifests as they stream, one
     * entry of each in memory.
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
                // Matched by the name of the blob that holds the content: the path's own, or the one derived from a
                // path too long for a blob name (the same for every manifest that names the path).
                paths.accept(head.entry().blobPath(), versions);
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
