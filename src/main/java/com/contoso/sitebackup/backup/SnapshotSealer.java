package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.OrderedMerge;
import com.contoso.sitebackup.blob.PosixMetadata;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.NameOrder;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.snapshot.SnapshotWriter;
import com.contoso.sitebackup.text.Printable;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes a backup run's snapshot: the tree its listing walked ({@link SnapshotStore#createDraft}), each file and link
 * naming the version that holds its content as of this run ({@link FileEntry#getVersion}: the run that uploaded it).
 *
 * <p>An entry the listing found up to date already names the run that uploaded it, and is written as it is. An entry
 * the run copied is matched with its blob in one listing of the prefix (asked for as the seal after the copies
 * starts, beside its other reads; a run sealed by its listing, having copied nothing, lists only if an entry needs
 * it), merged in name order with the tree as it streams (memory does not grow with the tree; the rare name whose place in a listing cannot be predicted, {@link NameOrder#isOrderSensitive},
 * is matched by a listing of its own name, and so is a path stored under a derived name, {@link FileEntry#getBlob}): a
 * blob tagged with this run gives the entry its size, attributes and MD5 as stored, i.e. the content actually kept,
 * and the walk what a blob does not hold (extended attributes, the count of names, the derived name). An entry the run could not copy keeps the content the blob still holds
 * from an earlier run, with a {@link FileEntry#getNote note} that says so and why, so a restore of this snapshot
 * gives the last good version back and says it is older; with no earlier content it is recorded
 * {@link FileEntry#getMissing missing} with the reason from the run's problem report (read only when an entry needs
 * a reason). Folders, named pipes, devices,
 * later names of a file with several (hard links), and the entries the listing could not take (a socket, an
 * unreadable entry), come from the draft as they are.
 *
 * <p>Idempotent: if the run's snapshot is already written (an activity delivered twice), it is returned as it is.
 */
public final class SnapshotSealer {
    /** Why a snapshot holds no content for an entry the run found but could not store, when the report says nothing. */
    static final String NOT_STORED = "not stored by this run; the run's problem report says why";
    /** How many reasons of the report the seal reads; beyond them, {@link #NOT_STORED}. */
    static final int MAX_REASONS = 100_000;

    private final BlobServiceClient service;
    private final String manifestContainer;
    private final ManifestStore manifests;
    private final SnapshotStore snapshots;
    private final ProblemReport reports;

    public SnapshotSealer(BlobServiceClient service, String manifestContainer, ManifestStore manifests,
                          SnapshotStore snapshots, ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The sealer of this app. */
    public static SnapshotSealer from(AppServices services) {
        return new SnapshotSealer(services.blobService(), services.settings().manifestContainer(),
                ManifestStore.from(services), SnapshotStore.from(services), ProblemReport.from(services));
    }

    /**
     * Writes the snapshot of {@code request}'s run and returns its summary.
     *
     * @throws IllegalArgumentException naming what is refused: a manifest that is not this app's, a job card that
     *     names no run, a reserved container
     */
    public SnapshotInfo seal(SealRequest request) {
        return seal(manifests.readCard(request.manifest(), BackupJob.class), request.instanceId(), request.completed(),
                true);
    }

    /**
     * Writes the snapshot of the run of {@code job} (its card, as the listing wrote it or {@link #seal(SealRequest)}
     * read it), made by orchestration {@code instanceId}, whose copies ended at {@code completed} (ISO-8601).
     *
     * @throws IllegalArgumentException naming what is refused: a card that names no run, a reserved container
     */
    SnapshotInfo seal(BackupJob job, String instanceId, String completed) {
        return seal(job, instanceId, completed, false);
    }

    /**
     * As {@link #seal(BackupJob, String, String)}; {@code copied} when the run copied files (the seal after its
     * copies): the listing of the prefix, which such a run needs, is then asked for at once, while the seal looks
     * for a snapshot already written and reads the draft.
     */
    private SnapshotInfo seal(BackupJob job, String instanceId, String completed, boolean copied) {
        BlobNames.checkContainer("container", job.container(), manifestContainer);
        BlobNames.checkPrefix("blobPrefix", job.blobPrefix());
        if (job.run() == null || !SnapshotIds.isId(job.run()) || job.report() == null) {
            throw new IllegalArgumentException("the job card of container '" + job.container() + "', prefix '"
                    + Printable.quote(job.blobPrefix()) + "' is not a backup run's (no run id)");
        }
        Instant.parse(completed);
        String container = job.container();
        String prefix = job.blobPrefix();
        String run = job.run();
        BlobContainerClient blobs = service.getBlobContainerClient(container);
        // The listing is made when the first entry the run copied comes (an unchanged tree needs none), or now.
        Supplier<Iterator<StoredBlob>> listing = () -> StoredBlob.group(PrefixListing.blobs(blobs, prefix));
        Iterator<StoredBlob> stored = copied ? PrefixListing.ahead(listing) : PrefixListing.lazy(listing);
        Optional<SnapshotInfo> written = snapshots.select(container, prefix, run, null);
        if (written.isPresent()) {
            // Delivered again: a listing delivered again after it sealed a run with nothing to copy wrote a draft anew.
            snapshots.deleteDraft(job.report());
            return written.get();
        }
        // Read only if an entry needs a reason: a run that copied everything, or had nothing to copy, has no report.
        Map<String, String> reasons = new LazyReasons(() -> reasons(job.report()));
        SnapshotInfo info = new SnapshotInfo(run, container, prefix, job.directory(), instanceId,
                SnapshotIds.instantOf(run).toString(), completed, 0, 0, 0, 0, 0);
        SnapshotInfo sealed;
        try (SnapshotReader tree = snapshots.openDraft(job.report());
             SnapshotWriter snapshot = snapshots.create(info)) {
            OrderedMerge<FileEntry, StoredBlob> merge = PrefixListing.mergeStored(stored, prefix,
                    (path, entry, blob) -> {
                        if (entry != null) {
                            snapshot.add(resolve(entry, blob, run, reasons));
                        }
                    });
            boolean merged = false;
            while (tree.hasNext()) {
                FileEntry entry = tree.next();
                if (entry.getEntryType() == EntryType.DIRECTORY || entry.getEntryType().isSpecial()
                        || entry.getMissing() != null || entry.getHardLink() != null) {
                    // No content of its own: a folder, a pipe, a device, a later name of a file with several.
                    snapshot.add(entry);
                } else if (entry.getVersion() != null) {
                    // Found up to date by the listing: it names the version that holds it, whatever the blob is now
                    // (resolve keeps it as it is). Added in its place: the merge has answered every path before it.
                    snapshot.add(entry);
                } else if (entry.getBlob() != null || NameOrder.isOrderSensitive(entry.getPath())) {
                    snapshot.add(resolve(entry,
                            PrefixListing.stored(blobs, BlobNames.blobName(prefix, entry.blobPath())), run, reasons));
                } else {
                    merged = true;
                    merge.file(entry.getPath(), entry);
                }
            }
            if (merged) {
                // Only the blobs left after the last entry remain, which a seal does not record.
                merge.finish();
            }
            sealed = snapshot.commit();
        }
        snapshots.deleteDraft(job.report());
        return sealed;
    }

    /**
     * The first reason the report gives for each path, as the report writes paths ({@link Printable#quote}); at most
     * {@link #MAX_REASONS}, none when the report cannot be read.
     */
    private Map<String, String> reasons(String report) {
        Map<String, String> reasons = new HashMap<>();
        try {
            for (FileProblem problem : reports.read(report)) {
                if (reasons.size() == MAX_REASONS) {
                    break;
                }
                reasons.putIfAbsent(problem.getPath(), problem.getReason());
            }
        } catch (RuntimeException e) {
            // No report (nothing went wrong) or an unreadable one: the generic reason stands.
        }
        return reasons;
    }

    /** The snapshot's entry for a file or link of the tree. */
    static FileEntry resolve(FileEntry entry, StoredBlob stored, String run, Map<String, String> reasons) {
        if (entry.getVersion() != null) {
            return entry;
        }
        BlobItem blob = stored == null ? null : stored.base();
        String uploadedBy = StoredBlob.runOf(blob);
        if (uploadedBy == null) {
            return entry.withMissing(reason(entry, reasons));
        }
        // Size, POSIX attributes and MD5 as stored with the content; what a blob does not hold, from the walk.
        FileEntry kept = stored(entry, blob, uploadedBy).withWalkedOnly(entry);
        if (kept.getEntryType() != entry.getEntryType()) {
            // The blob holds a link where the tree has a file, or the other way round: not this entry's content.
            return entry.withMissing(reason(entry, reasons));
        }
        return uploadedBy.equals(run) ? kept : kept.withNote("not stored by this run (" + reason(entry, reasons)
                + "); this is the content run " + uploadedBy + " stored");
    }

    /** Why the run did not store {@code entry}: its first reason in the report (read when first asked), if any. */
    private static String reason(FileEntry entry, Map<String, String> reasons) {
        return reasons.getOrDefault(Printable.quote(entry.getPath()), NOT_STORED);
    }

    /** The entry as {@code blob} stores it (size, attributes, MD5), naming {@code version}. */
    private static FileEntry stored(FileEntry entry, BlobItem blob, String version) {
        byte[] md5 = blob.getProperties().getContentMd5();
        FileEntry kept = PosixMetadata.read(entry.getPath(), blob.getMetadata(),
                blob.getProperties().getContentLength(),
                blob.getProperties().getLastModified().toInstant().toEpochMilli());
        if (kept.getEntryType() == EntryType.SYMLINK) {
            // The target is the blob's content, not metadata; the walk read it from the link a moment before the copy.
            kept = kept.withAttributes(EntryType.SYMLINK, kept.getModtimeNanos(), kept.getMode(), kept.getUid(),
                    kept.getGid(), entry.getTarget());
        }
        return kept.withVersion(version, md5 == null ? null : Base64.getEncoder().encodeToString(md5));
    }

    /** The reasons of the report, read when one is first asked for. */
    private static final class LazyReasons extends java.util.AbstractMap<String, String> {
        private final Supplier<Map<String, String>> read;
        private Map<String, String> reasons;

        LazyReasons(Supplier<Map<String, String>> read) {
            this.read = read;
        }

        @Override
        public Set<Map.Entry<String, String>> entrySet() {
            if (reasons == null) {
                reasons = read.get();
            }
            return reasons.entrySet();
        }

        @Override
        public String getOrDefault(Object key, String fallback) {
            entrySet();
            return reasons.getOrDefault(key, fallback);
        }
    }
}
