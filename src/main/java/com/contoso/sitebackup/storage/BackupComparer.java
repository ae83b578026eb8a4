package com.contoso.sitebackup.storage;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.contoso.sitebackup.backup.AllowedRoots;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BlobNames;
import com.contoso.sitebackup.backup.ContentCheck;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileLister;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import com.contoso.sitebackup.backup.PathFilter;
import com.contoso.sitebackup.backup.VerifyPlan;
import com.contoso.sitebackup.backup.VerifyReport;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares a directory with its backup, reading and writing nothing but listings: one walk of the
 * directory and one listing of the prefix (with metadata and Content-MD5). Sizes and recorded mtimes settle
 * most files; with {@link BackupRequest#isCompareContent()} files of equal size are left for a content check,
 * each carrying its blob's Content-MD5 from the listing, which {@link #checkContent} does one file at a time
 * (fanned out by the orchestrator) without another request to storage.
 */
public final class BackupComparer {
    private final BlobServiceClient service;
    private final AllowedRoots allowedRoots;
    private final FileLister lister;
    private final ManifestStore manifests;

    public BackupComparer(BlobServiceClient service, AllowedRoots allowedRoots, FileLister lister, ManifestStore manifests) {
        this.service = Objects.requireNonNull(service, "service");
        this.allowedRoots = Objects.requireNonNull(allowedRoots, "allowedRoots");
        this.lister = Objects.requireNonNull(lister, "lister");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
    }

    /** The comparison by listings, and what is left to compare by content. */
    public VerifyPlan compare(BackupRequest request) {
        Path root;
        try {
            request.validate();
            root = allowedRoots.resolveDirectory("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return new VerifyPlan(VerifyReport.rejected(e.getMessage()), null);
        }
        PathFilter filter = request.filter();
        Map<String, BlobItem> blobs = new TreeMap<>();
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (container.exists()) {
            String prefix = request.getBlobPrefix();
            ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                    .setDetails(new BlobListDetails().setRetrieveMetadata(true));
            for (BlobItem blob : container.listBlobs(options, null)) {
                String relative = BlobNames.relativePath(prefix, blob.getName());
                if (relative != null && filter.accepts(relative)) {
                    blobs.put(relative, blob);
                }
            }
        }
        long identical = 0;
        List<String> missing = new ArrayList<>();
        List<FileProblem> different = new ArrayList<>();
        List<FileEntry> toCheck = new ArrayList<>();
        for (FileEntry file : lister.list(root, filter).getFiles()) {
            BlobItem blob = blobs.remove(file.getPath());
            if (blob == null) {
                missing.add(file.getPath());
            } else if (blob.getProperties().getContentLength() != file.getSize()) {
                different.add(new FileProblem(file.getPath(), "size " + file.getSize() + " here, "
                        + blob.getProperties().getContentLength() + " in the backup"));
            } else if (request.isCompareContent()) {
                byte[] md5 = blob.getProperties().getContentMd5();
                if (md5 == null) {
                    different.add(new FileProblem(file.getPath(), "the backup has no Content-MD5 to compare with"));
                } else {
                    toCheck.add(file.withContentMd5(Base64.getEncoder().encodeToString(md5)));
                }
            } else if (BlobCopier.recordedMtime(blob.getMetadata(), Long.MIN_VALUE) != file.getLastModified()) {
                different.add(new FileProblem(file.getPath(), "modified since the backup (mtime differs)"));
            } else {
                identical++;
            }
        }
        VerifyReport report = VerifyReport.of(identical, missing, new ArrayList<>(blobs.keySet()), different);
        FileListing check = FileListing.of(root.toString(), toCheck, List.of());
        if (toCheck.size() > manifests.sliceSize()) {
            check = check.inManifest(manifests.write(toCheck), manifests.slicesFor(toCheck.size()));
        }
        return new VerifyPlan(report, check);
    }

    /**
     * Compares one file's MD5 with the Content-MD5 its blob had in the listing: the bytes checked when they
     * match, else a difference. Reads the file only; a file gone or unreadable since the listing is a
     * difference too.
     */
    public CopyResult checkContent(ContentCheck check) {
        Path root = Path.of(check.getRootDirectory());
        Path file = root.resolve(check.getPath()).normalize();
        if (!file.startsWith(root)) {
            return CopyResult.notCopied(check.getPath(), "path leads outside the root");
        }
        byte[] actual;
        try {
            actual = BlobCopier.md5(file);
        } catch (UncheckedIOException e) {
            return CopyResult.notCopied(check.getPath(), "not readable here: " + e.getCause().getMessage());
        }
        return Arrays.equals(Base64.getDecoder().decode(check.getContentMd5()), actual)
                ? CopyResult.copied(check.getPath(), file.toFile().length())
                : CopyResult.notCopied(check.getPath(), "content differs (MD5)");
    }
}
