package com.contoso.sitebackup.testing;

import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.NameOrder;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.snapshot.SnapshotWriter;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A backup snapshot made by hand on Azurite, as a backup run leaves one: each file's content uploaded to its blob
 * ({@code <prefix>/<encoded path>}, with its Content-MD5), and the manifest written with {@link SnapshotWriter}, its
 * entries in the walk's order. Made with a run id ({@link #ofRun}), it is a copy-on-write snapshot as backups write
 * them now: the blob tagged with the run ({@link StoredBlob#RUN}) and the entry naming its content by that run
 * ({@link #replaceByLaterRun} is a later run replacing it, its content kept in a blob snapshot). Made without, it is
 * a snapshot of the format before copy on write: the content kept in a blob snapshot the entry names. Tests then
 * overwrite or delete the base blobs to show what is read.
 */
public final class HandMadeSnapshot {
    /** The owner and group the entries record: not the test's, so a restore as root visibly sets them. */
    public static final long UID = 4321;
    public static final long GID = 8765;

    private final BlobContainerClient container;
    private final String prefix;
    private final SnapshotStore store;
    private final List<FileEntry> entries = new ArrayList<>();
    private final String run;

    /** A snapshot of the format before copy on write: each file's content in a blob snapshot. */
    public HandMadeSnapshot(BlobServiceClient service, String container, String prefix, String manifestContainer) {
        this(service, container, prefix, manifestContainer, null);
    }

    private HandMadeSnapshot(BlobServiceClient service, String container, String prefix, String manifestContainer,
                             String run) {
        this.container = service.getBlobContainerClient(container);
        this.container.createIfNotExists();
        this.prefix = prefix;
        this.store = new SnapshotStore(service, manifestContainer);
        this.run = run;
    }

    /**
     * A snapshot of run {@code run} (a snapshot id) as backups write them now: each file's blob tagged with the run,
     * its entry naming the run as its version.
     */
    public static HandMadeSnapshot ofRun(BlobServiceClient service, String container, String prefix,
                                         String manifestContainer, String run) {
        return new HandMadeSnapshot(service, container, prefix, manifestContainer, run);
    }

    /** The metadata a backup run {@code runId} tags its blobs of this backup with. */
    public Map<String, String> tags(String runId) {
        return Map.of(StoredBlob.RUN, runId, StoredBlob.BACKUP,
                BlobNames.backupId(container.getBlobContainerName(), prefix));
    }

    /**
     * A later run {@code laterRun} replacing the blob of {@code path} with {@code content}, as copy on write does: the
     * blob's content kept in a blob snapshot first.
     */
    public void replaceByLaterRun(String path, String content, String laterRun) {
        BlobClient blob = blob(path);
        blob.createSnapshot();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
                .setHeaders(new BlobHttpHeaders().setContentMd5(Digests.newMd5().digest(bytes)))
                .setMetadata(tags(laterRun)), null, null);
    }

    /** The blob of {@code path} (a path as text), its latest content. */
    public BlobClient blob(String path) {
        return container.getBlobClient(BlobNames.blobName(prefix, PathCodec.encode(path)));
    }

    /**
     * Uploads {@code content} as the blob of {@code path} (tagged with the run, or kept in a blob snapshot) and adds
     * the file's entry.
     */
    public FileEntry file(String path, String content, int mode, long mtimeNanos) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        byte[] md5 = Digests.newMd5().digest(bytes);
        BlobClient blob = blob(path);
        BlobParallelUploadOptions upload = new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
                .setHeaders(new BlobHttpHeaders().setContentMd5(md5));
        blob.uploadWithResponse(run == null ? upload : upload.setMetadata(tags(run)), null, null);
        String version = run == null ? blob.createSnapshot().getSnapshotId() : run;
        return add(new FileEntry(PathCodec.encode(path), bytes.length, 0)
                .withAttributes(EntryType.FILE, mtimeNanos, mode, UID, GID, null)
                .withVersion(version, Base64.getEncoder().encodeToString(md5)));
    }

    /** Adds a folder's entry. */
    public FileEntry directory(String path, int mode, long mtimeNanos) {
        return add(new FileEntry(PathCodec.encode(path), 0, 0)
                .withAttributes(EntryType.DIRECTORY, mtimeNanos, mode, UID, GID, null));
    }

    /** Adds a link's entry: {@code target} stored as it is, relative or absolute. */
    public FileEntry link(String path, String target, long mtimeNanos) {
        String encoded = PathCodec.encodeLinkTarget(Path.of(target));
        return add(new FileEntry(PathCodec.encode(path), target.getBytes(StandardCharsets.UTF_8).length, 0)
                .withAttributes(EntryType.SYMLINK, mtimeNanos, 0777, UID, GID, encoded));
    }

    /**
     * Adds {@code entry} as it is, however it was built (a Gson-bound entry, which no constructor checked, as a forged
     * manifest would hold it).
     */
    public FileEntry raw(FileEntry entry) {
        return add(entry);
    }

    /** Adds an entry the run could not store, and why. */
    public FileEntry missing(String path, String reason) {
        return add(new FileEntry(PathCodec.encode(path), 7, 1_000).withMissing(reason));
    }

    /** Writes the manifest of snapshot {@code id} with every entry added so far, in the walk's order. */
    public SnapshotInfo commit(String id) {
        List<FileEntry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparing(HandMadeSnapshot::walkKey, NameOrder.PATHS));
        try (SnapshotWriter writer = store.create(new SnapshotInfo(id, container.getBlobContainerName(), prefix,
                "/site", "hand-made", null, null, 0, 0, 0, 0, 0))) {
            ordered.forEach(writer::add);
            return writer.commit();
        }
    }

    /** Starts the next snapshot's entries afresh (the blobs stay). */
    public void clear() {
        entries.clear();
    }

    /** The walk meets a folder {@code a} where {@code a/} sorts: after {@code a.txt}, before {@code a/b}. */
    private static String walkKey(FileEntry entry) {
        return NameOrder.siblingKey(entry.getPath(), entry.getEntryType() == EntryType.DIRECTORY);
    }

    /** Adds {@code entry} as it is (its path already encoded, or not: a manifest may hold anything). */
    public FileEntry add(FileEntry entry) {
        entries.add(entry);
        return entry;
    }
}
