package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.NameOrder;
import com.contoso.sitebackup.blob.OrderedMerge;
import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.snapshot.SnapshotWriter;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a backup run's snapshot: the tree its listing walked ({@link SnapshotStore#createDraft}), each file and link
 * pointing at the blob snapshot that holds its content as of this run.
 *
 * <p>An entry the listing found up to date already carries the snapshot of its last upload (found in the listing's
 * one pass over the blobs and their snapshots: no request per file). An entry the run copied gets the newest
 * snapshot tagged with this run ({@link SnapshotIds#RUN_METADATA}), which the copy took right after its upload;
 * its size and attributes are the ones stored with that snapshot, i.e. the content actually kept (a file that
 * changed between the listing and the copy is recorded as copied). An entry the run could not store is kept in the
 * snapshot with the reason, so a restore of the snapshot names it instead of leaving it out silently. Directories
 * come from the walk as they are. One more listing of the prefix (with snapshots) matches them, merged in name
 * order with the tree as it streams, so memory does not grow with the tree; the rare name whose place in a listing
 * cannot be predicted ({@link NameOrder#isOrderSensitive}) is matched by a listing of its own name instead, so the
 * manifest is written in the walk's order, as {@link SnapshotWriter} requires.
 *
 * <p>Idempotent: if the run's snapshot is already written (an activity delivered twice), it is returned as it is.
 */
public final class SnapshotSealer {
    /** Why a snapshot holds no content for an entry the run found but could not store. */
    static final String NOT_STORED = "not stored by this run; the run's problem report says why";

    private final BlobServiceClient service;
    private final String manifestContainer;
    private final SnapshotStore snapshots;

    public SnapshotSealer(BlobServiceClient service, String manifestContainer, SnapshotStore snapshots) {
        this.service = Objects.requireNonNull(service, "service");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
    }

    /** The sealer of this app: its backup account, manifest container (never sealed) and snapshot store. */
    public static SnapshotSealer from(AppServices services) {
        return new SnapshotSealer(services.blobService(), services.settings().manifestContainer(),
                SnapshotStore.from(services));
    }

    /**
     * Writes the snapshot of {@code request}'s run and returns its summary.
     *
     * @throws IllegalArgumentException naming the field of a request that cannot name a run
     */
    public SnapshotInfo seal(SealRequest request) {
        request.validate(manifestContainer);
        String container = request.getContainer();
        String prefix = request.getBlobPrefix();
        Optional<SnapshotInfo> written = snapshots.select(container, prefix, request.getRun(), null);
        if (written.isPresent()) {
            return written.get();
        }
        String run = request.getRun();
        SnapshotInfo info = new SnapshotInfo(run, container, prefix, request.getRootDirectory(),
                request.getInstanceId(), SnapshotIds.instantOf(run).toString(), request.getCompleted(),
                0, 0, 0, 0, 0);
        SnapshotInfo sealed;
        try (SnapshotReader tree = snapshots.openDraft(request.getReport());
             SnapshotWriter snapshot = snapshots.create(info)) {
            BlobContainerClient blobs = service.getBlobContainerClient(container);
            OrderedMerge<FileEntry, StoredBlob> merge = PrefixListing.mergeStored(
                    PrefixListing.withSnapshots(blobs, prefix), prefix,
                    (path, entry, stored) -> {
                        if (entry != null) {
                            snapshot.add(resolve(entry, stored, run));
                        }
                    });
            while (tree.hasNext()) {
                FileEntry entry = tree.next();
                if (entry.getEntryType() == EntryType.DIRECTORY) {
                    snapshot.add(entry);
                } else if (NameOrder.isOrderSensitive(entry.getPath())) {
                    // Matched by a listing of its own name, so the manifest stays in the walk's order.
                    snapshot.add(resolve(entry,
                            PrefixListing.stored(blobs, BlobNames.blobName(prefix, entry.getPath())), run));
                } else {
                    merge.file(entry.getPath(), entry);
                }
            }
            merge.finish();
            sealed = snapshot.commit();
        }
        snapshots.deleteDraft(request.getReport());
        return sealed;
    }

    /** The snapshot's entry for a file or link of the tree. */
    static FileEntry resolve(FileEntry entry, StoredBlob stored, String run) {
        if (entry.getVersion() != null) {
            return entry;
        }
        BlobItem copied = stored == null ? null : stored.newestSnapshotWith(SnapshotIds.RUN_METADATA, run);
        if (copied == null) {
            return entry.withMissing(NOT_STORED);
        }
        byte[] md5 = copied.getProperties().getContentMd5();
        FileEntry kept = PosixMetadata.read(entry.getPath(), copied.getMetadata(),
                copied.getProperties().getContentLength(),
                copied.getProperties().getLastModified().toInstant().toEpochMilli());
        if (kept.getEntryType() == EntryType.SYMLINK) {
            // The target is the blob's content, not metadata; the walk read it from the link a moment before the copy.
            kept = kept.withAttributes(EntryType.SYMLINK, kept.getModtimeNanos(), kept.getMode(), kept.getUid(),
                    kept.getGid(), entry.getTarget());
        }
        return kept.withVersion(copied.getSnapshot(), md5 == null ? null : Base64.getEncoder().encodeToString(md5));
    }
}
