package com.contoso.sitebackup.storage;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.contoso.sitebackup.backup.AllowedRoots;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BlobNames;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileLister;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans a backup: checks the root against the allowed roots, lists its files, and leaves out every file
 * whose blob is already up to date. Whether a blob is up to date comes from one listing of the prefix
 * (with metadata), not one request per file: same size and same source mtime, or with
 * {@link BackupRequest#isCompareContent()} the same MD5.
 */
public final class BackupPlanner {
    private final BlobServiceClient service;
    private final AllowedRoots allowedRoots;
    private final FileLister lister;
    private final ManifestStore manifests;

    public BackupPlanner(BlobServiceClient service, AllowedRoots allowedRoots, FileLister lister,
                         ManifestStore manifests) {
        this.service = Objects.requireNonNull(service, "service");
        this.allowedRoots = Objects.requireNonNull(allowedRoots, "allowedRoots");
        this.lister = Objects.requireNonNull(lister, "lister");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
    }

    /**
     * The plan for {@code request}, with its files inline when they fit in one manifest slice and in a new
     * manifest otherwise; a {@link FileListing#rejected rejected} listing when the backup cannot run.
     */
    public FileListing plan(BackupRequest request) {
        FileListing listing = planInline(request);
        if (listing.getFiles().size() <= manifests.sliceSize()) {
            return listing;
        }
        String manifest = manifests.write(listing.getFiles());
        return listing.inManifest(manifest, manifests.slicesFor(listing.getFiles().size()));
    }

    private FileListing planInline(BackupRequest request) {
        Path root;
        try {
            request.validate();
            root = allowedRoots.resolveDirectory("rootDirectory", request.getRootDirectory());
        } catch (IllegalArgumentException e) {
            return FileListing.rejected(e.getMessage());
        }
        FileListing listing = lister.list(root, request.filter());
        List<FileEntry> tooLong = listing.getFiles().stream()
                .filter(f -> BlobNames.blobName(request.getBlobPrefix(), f.getPath()).length()
                        > BlobNames.MAX_BLOB_NAME_LENGTH)
                .toList();
        if (!tooLong.isEmpty()) {
            List<FileEntry> files = new ArrayList<>(listing.getFiles());
            files.removeAll(tooLong);
            List<FileProblem> problems = new ArrayList<>(listing.getProblems());
            tooLong.forEach(f -> problems.add(new FileProblem(f.getPath(), "blob name longer than "
                    + BlobNames.MAX_BLOB_NAME_LENGTH + " characters")));
            listing = FileListing.of(listing.getRootDirectory(), files, problems);
        }

        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        Map<String, BlobItem> existing;
        if (request.isDryRun()) {
            // A dry run writes nothing, not even the container.
            existing = container.exists() ? existingBlobs(container, request.getBlobPrefix()) : Map.of();
        } else {
            container.createIfNotExists();
            existing = existingBlobs(container, request.getBlobPrefix());
        }
        List<FileEntry> toCopy = new ArrayList<>();
        long unchangedFiles = 0;
        long unchangedBytes = 0;
        for (FileEntry file : listing.getFiles()) {
            BlobItem blob = existing.get(file.getPath());
            if (blob != null && upToDate(blob, root, file, request.isCompareContent())) {
                unchangedFiles++;
                unchangedBytes += file.getSize();
            } else {
                toCopy.add(file);
            }
        }
        return listing.withUnchanged(toCopy, unchangedFiles, unchangedBytes);
    }

    private static Map<String, BlobItem> existingBlobs(BlobContainerClient container, String prefix) {
        ListBlobsOptions options = new ListBlobsOptions()
                .setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        Map<String, BlobItem> blobs = new HashMap<>();
        for (BlobItem item : container.listBlobs(options, null)) {
            String relative = BlobNames.relativePath(prefix, item.getName());
            if (relative != null) {
                blobs.put(relative, item);
            }
        }
        return blobs;
    }

    private static boolean upToDate(BlobItem blob, Path root, FileEntry file, boolean compareContent) {
        Long length = blob.getProperties().getContentLength();
        if (length == null || length != file.getSize()) {
            return false;
        }
        if (compareContent) {
            byte[] stored = blob.getProperties().getContentMd5();
            if (stored == null) {
                return false;
            }
            try {
                return Arrays.equals(stored, BlobCopier.md5(root.resolve(file.getPath())));
            } catch (UncheckedIOException e) {
                // Vanished or unreadable since it was listed: plan the copy, which reports it as a problem.
                return false;
            }
        }
        Map<String, String> metadata = blob.getMetadata();
        return metadata != null
                && Long.toString(file.getSize()).equals(metadata.get(BlobCopier.SOURCE_SIZE))
                && Long.toString(file.getLastModified()).equals(metadata.get(BlobCopier.SOURCE_MTIME));
    }
}
