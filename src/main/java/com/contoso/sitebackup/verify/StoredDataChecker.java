package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ManifestWriter;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.snapshot.SnapshotChoice;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotReader;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.text.Printable;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.specialized.BlobInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The check of a backup's stored data, as {@code restic check --read-data} does it: without the source, every blob
 * version a snapshot references is downloaded and its MD5 compared with the one the snapshot recorded, so a byte
 * flipped at rest, a blob or blob snapshot deleted, or content that is not what the snapshot says is reported, named.
 *
 * <p>{@link #plan} streams the snapshot's manifest (the latest unless the request names one; the include and exclude
 * patterns, which select what a comparison with the source covers, do not apply) into batches of the entries that name
 * stored content (files and links; not folders, pipes, devices or later names of a file with
 * several, which hold none of their own, nor entries the snapshot says it could not store: the backup named those);
 * {@link #check} reads one: the version is resolved as a restore resolves it (the blob itself while its run tag is the
 * entry's run, else the newest blob snapshot tagged with that run; a format-1 entry names its blob snapshot), each
 * with one download, never a request per file beyond that (a listing of the name only when a later run replaced the
 * blob), so one version costs one download.
 */
public final class StoredDataChecker {
    /** Why an entry's stored content is reported: its bytes are not the ones the snapshot recorded. */
    static final String DAMAGED = "stored data damaged: its MD5 is not the one the snapshot recorded";
    /** How the warning of an entry whose snapshot recorded no MD5 reads. */
    static final String UNVERIFIED = "read, not verified: the snapshot records no MD5 for it";
    /** Read in pieces of this size, as a restore downloads. */
    private static final int CHUNK = 4 * 1024 * 1024;

    private final BlobServiceClient service;
    private final ManifestStore manifests;
    private final ProblemReport reports;
    private final SnapshotStore snapshots;

    public StoredDataChecker(BlobServiceClient service, ManifestStore manifests, ProblemReport reports,
                             SnapshotStore snapshots) {
        this.service = Objects.requireNonNull(service, "service");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
    }

    /** The checker of this app: its backup account, manifests, reports and snapshots. */
    public static StoredDataChecker from(AppServices services) {
        return new StoredDataChecker(services.blobService(), ManifestStore.from(services),
                ProblemReport.from(services), SnapshotStore.from(services));
    }

    /**
     * The entries of the snapshot {@code request} names that hold stored content, in batches; a rejected plan when
     * the request or the snapshot is refused. A manifest line that is not an entry is a problem that names it.
     */
    public JobPlan plan(VerifyRequest request) {
        SnapshotInfo snapshot;
        try {
            request.validate(manifests.containerName());
            snapshot = SnapshotChoice.resolve(snapshots, request.getContainer(), request.getBlobPrefix(),
                    request.getSnapshot() == null && request.getAsOf() == null ? SnapshotChoice.LATEST
                            : request.getSnapshot(), request.getAsOf());
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        ProblemLog problems = new ProblemLog(reports, request.getReport(), "stored data", JobPlan.MAX_LISTED);
        ManifestWriter plan = manifests.writer(new StoredDataJob(request.getContainer(), request.getBlobPrefix(),
                snapshot.getId(), request.getReport()), request.getBlobPrefix(), problems);
        try (SnapshotReader entries = snapshots.open(request.getContainer(), request.getBlobPrefix(), snapshot.getId())) {
            for (SnapshotReader.Line line = entries.nextLine(); line != null; line = entries.nextLine()) {
                if (!line.isEntry()) {
                    problems.add(line.problem());
                    continue;
                }
                FileEntry entry = line.entry();
                EntryType type = entry.getEntryType();
                if ((type == EntryType.FILE || type == EntryType.SYMLINK) && entry.getVersion() != null
                        && entry.getMissing() == null && entry.getHardLink() == null) {
                    plan.add(entry);
                }
            }
        }
        return plan.finish().withSnapshot(snapshot.getId());
    }

    /**
     * Downloads the version of the blob {@code entry} names and compares its MD5 and length with the recorded ones.
     *
     * @return the bytes read when they match (with a warning when nothing was recorded to compare them with), or a
     *     problem naming what is wrong: damaged data, a version that is gone, a request refused
     * @throws UncheckedIOException when the download fails (tried again in the next round)
     */
    public FileOutcome check(StoredDataJob job, FileEntry entry) {
        String path = entry.getPath();
        BlobContainerClient container;
        byte[] expected;
        try {
            BlobNames.checkContainer("container", job.container(), manifests.containerName());
            BlobNames.checkPrefix("blobPrefix", job.blobPrefix());
            entry.check();
            if (entry.getVersion() == null) {
                throw new IllegalArgumentException("the entry names no stored version of its content");
            }
            expected = entry.getContentMd5() == null ? null : Base64.getDecoder().decode(entry.getContentMd5());
            if (expected != null && expected.length != 16) {
                throw new IllegalArgumentException("the recorded MD5 is not an MD5 in base64");
            }
            container = service.getBlobContainerClient(job.container());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(path, "refused: " + e.getMessage());
        }
        String name = BlobNames.blobName(job.blobPrefix(), entry.blobPath());
        String version = entry.getVersion();
        Read read;
        try {
            read = read(container, name, version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored data of '" + Printable.quote(path) + "'", e);
        }
        if (read == null) {
            return FileOutcome.notDone(path, gone(version));
        }
        if (read.length() != entry.getSize()) {
            return FileOutcome.notDone(path, DAMAGED + " (" + read.length() + " bytes stored, " + entry.getSize()
                    + " recorded; " + read.where() + ")");
        }
        if (expected == null) {
            return FileOutcome.doneWithWarning(path, read.length(), UNVERIFIED);
        }
        if (!Arrays.equals(expected, read.md5())) {
            return FileOutcome.notDone(path, DAMAGED + " (" + read.where() + ")");
        }
        return FileOutcome.done(path, read.length());
    }

    /** What one download gave: its MD5 and length, and which version it was. */
    private record Read(byte[] md5, long length, String where) {
    }

    /**
     * Reads the version {@code version} names of the blob {@code name}: the blob itself when its run tag is
     * {@code version} (seen in the first response's headers, so no request is spent asking), else the version a
     * listing of the name finds ({@link StoredBlob#holding}); null when none holds it.
     */
    private static Read read(BlobContainerClient container, String name, String version) throws IOException {
        if (StoredBlob.isRunId(version)) {
            Read base = readIf(container.getBlobClient(name), version, "the blob");
            if (base != null) {
                return base;
            }
            StoredBlob stored = PrefixListing.stored(container, name);
            BlobItem holder = stored == null ? null : stored.holding(version);
            if (holder == null || holder.getSnapshot() == null) {
                return null;
            }
            version = holder.getSnapshot();
        }
        return readIf(container.getBlobClient(name, version), null, "blob snapshot " + version);
    }

    /**
     * The MD5 and length of {@code blob}'s content when its run tag is {@code run} (any tag when null); null when it
     * is tagged otherwise or is gone.
     */
    private static Read readIf(BlobClient blob, String run, String where) throws IOException {
        BlobInputStream in;
        try {
            in = blob.openInputStream(new BlobInputStreamOptions().setBlockSize(CHUNK));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
        try (in) {
            Map<String, String> metadata = in.getProperties().getMetadata();
            if (run != null && (metadata == null || !run.equals(metadata.get(StoredBlob.RUN)))) {
                return null;
            }
            MessageDigest md5 = Digests.newMd5();
            byte[] buffer = new byte[64 * 1024];
            long length = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md5.update(buffer, 0, n);
                length += n;
            }
            return new Read(md5.digest(), length, where);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Why an entry whose stored content is gone is reported. */
    static String gone(String version) {
        return "stored data missing: " + (StoredBlob.isRunId(version) ? "no stored version of run " + version
                + " is left" : "the blob snapshot " + version + " that holds it is gone")
                + " (deleted by retention or by hand)";
    }
}
