package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.BlobListing;
import com.contoso.sitebackup.files.BlobNameCodec;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.FileEntry;
import com.contoso.sitebackup.files.FileProblem;
import com.contoso.sitebackup.files.OpenedFile;
import com.contoso.sitebackup.files.PathFilter;
import com.contoso.sitebackup.files.Printable;
import com.contoso.sitebackup.files.SecureDirectory;
import com.contoso.sitebackup.files.SecureRoots;
import com.contoso.sitebackup.files.TreeWalker;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares a directory with its backup, reading and writing nothing but listings: one walk of the directory
 * (opened through the read roots, never following a link, {@link TreeWalker}) and one listing of the prefix (with
 * metadata and Content-MD5), matched by encoded path ({@link BlobNameCodec}), the rule the backup named the blobs
 * by. Sizes and recorded mtimes settle most files; with {@link VerifyRequest#isCompareContent()} files of equal
 * size are left for a content check, each carrying its blob's Content-MD5 from the listing, which
 * {@link #checkContent} does one file at a time (fanned out by the orchestrator) from one open of the file, without
 * another request to storage. A blob whose name is not an encoding of a path has no file and counts as extra.
 * Every difference goes to the run's problem report.
 */
public final class BackupComparer {
    private final BlobServiceClient service;
    private final SecureRoots readRoots;
    private final ManifestStore manifests;
    private final ProblemReport reports;

    public BackupComparer(BlobServiceClient service, SecureRoots readRoots, ManifestStore manifests,
                          ProblemReport reports) {
        this.service = Objects.requireNonNull(service, "service");
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The comparer of this app: its backup account, read roots, manifests and reports. */
    public static BackupComparer from(AppServices services) {
        return new BackupComparer(services.blobService(), services.readRoots(), ManifestStore.from(services),
                ProblemReport.from(services));
    }

    /** The comparison by listings, and what is left to compare by content. */
    public VerifyPlan compare(VerifyRequest request) {
        PathFilter filter;
        SecureDirectory root;
        try {
            filter = request.validate(manifests.containerName());
            root = readRoots.open("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return new VerifyPlan(VerifyReport.rejected(e.getMessage()), null);
        }
        Map<String, BlobItem> blobs = new TreeMap<>(TreeWalker.ENCODED_ORDER);
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (container.exists()) {
            BlobListing.byEncodedPath(container, request.getBlobPrefix()).forEach((encoded, blob) -> {
                if (!isEncodedPath(encoded) || filter.accepts(BlobNameCodec.decodePath(encoded).toString())) {
                    blobs.put(encoded, blob);
                }
            });
        }
        long identical = 0;
        List<String> missing = new ArrayList<>();
        List<FileProblem> different = new ArrayList<>();
        List<FileEntry> toCheck = new ArrayList<>();
        try (root; Stream<TreeWalker.Entry> walk = TreeWalker.stream(root)) {
            for (TreeWalker.Entry entry : (Iterable<TreeWalker.Entry>) walk::iterator) {
                if (!entry.isFile() || !filter.accepts(entry.relativePath().toString())) {
                    continue;
                }
                String path = entry.encodedPath();
                long size = entry.state().size();
                BlobItem blob = blobs.remove(path);
                if (blob == null) {
                    missing.add(path);
                } else if (blob.getProperties().getContentLength() != size) {
                    different.add(new FileProblem(path, "size " + size + " here, "
                            + blob.getProperties().getContentLength() + " in the backup"));
                } else if (request.isCompareContent()) {
                    byte[] md5 = blob.getProperties().getContentMd5();
                    if (md5 == null) {
                        different.add(new FileProblem(path, "the backup has no Content-MD5 to compare with"));
                    } else {
                        toCheck.add(new FileEntry(path, size, entry.state().lastModifiedMillis(),
                                Base64.getEncoder().encodeToString(md5)));
                    }
                } else if (Digests.recordedMtime(blob.getMetadata(), Long.MIN_VALUE)
                        != entry.state().lastModifiedMillis()) {
                    different.add(new FileProblem(path, "modified since the backup (mtime differs)"));
                } else {
                    identical++;
                }
            }
        }
        List<String> extra = blobs.keySet().stream().map(Printable::quote).toList();
        VerifyReport report = VerifyReport.of(identical, missing, extra, different);
        if (report.differenceCount() > 0 && request.getReport() != null) {
            List<FileProblem> all = new ArrayList<>();
            missing.forEach(path -> all.add(new FileProblem(path, VerifyReport.MISSING)));
            extra.forEach(path -> all.add(new FileProblem(path, VerifyReport.EXTRA)));
            all.addAll(different);
            reports.append(request.getReport(), "listing", all);
        }
        return new VerifyPlan(report, manifests.holdIfLarge(JobPlan.of(request.getRootDirectory(), toCheck, List.of())));
    }

    /**
     * Compares one file's MD5 with the Content-MD5 its blob had in the listing: the bytes checked when they
     * match, else a difference. Reads the file only, from one open of it below the root opened through the read
     * roots; a file gone or unreadable since the listing is a difference too, and a request outside the read roots
     * is refused.
     */
    public FileOutcome checkContent(ContentCheck check) {
        Path relative;
        SecureDirectory root;
        try {
            relative = check.validate();
            root = readRoots.open("rootDirectory", check.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(check.getPath(), "refused: " + e.getMessage());
        }
        try (root; OpenedFile file = root.openFileBelow(relative)) {
            return Arrays.equals(check.expectedMd5(), Digests.md5(file))
                    ? FileOutcome.done(check.getPath(), file.before().size())
                    : FileOutcome.notDone(check.getPath(), "content differs (MD5)");
        } catch (NoSuchFileException e) {
            return FileOutcome.notDone(check.getPath(), "not readable here: vanished since it was listed");
        } catch (FileSystemException e) {
            return FileOutcome.notDone(check.getPath(), "not readable here: " + (e.getReason() == null
                    ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            return FileOutcome.notDone(check.getPath(), "not readable here: " + e.getClass().getSimpleName());
        }
    }

    private static boolean isEncodedPath(String encoded) {
        try {
            BlobNameCodec.decode(encoded);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
