package com.contoso.sitebackup.storage;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.contoso.sitebackup.backup.AllowedRoots;
import com.contoso.sitebackup.backup.BlobNames;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileListing;
import com.contoso.sitebackup.backup.FileProblem;
import com.contoso.sitebackup.backup.RestoreRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Plans a restore: checks the target against the allowed roots and lists the blobs under the prefix (one
 * listing, with metadata). A blob whose name would lead outside the target ({@code ..}, an absolute path)
 * is refused and reported, never planned. Like a backup plan, a large one goes to a manifest of slices.
 * The plan's files carry each blob's size and the source mtime recorded at backup time.
 */
public final class RestorePlanner {
    private final BlobServiceClient service;
    private final AllowedRoots allowedRoots;
    private final ManifestStore manifests;

    public RestorePlanner(BlobServiceClient service, AllowedRoots allowedRoots, ManifestStore manifests) {
        this.service = Objects.requireNonNull(service, "service");
        this.allowedRoots = Objects.requireNonNull(allowedRoots, "allowedRoots");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
    }

    /** The plan for {@code request}; a {@link FileListing#rejected rejected} listing when it cannot run. */
    public FileListing plan(RestoreRequest request) {
        Path target;
        try {
            request.validate();
            target = allowedRoots.resolveTarget("targetDirectory", request.getTargetDirectory());
        } catch (IllegalArgumentException e) {
            return FileListing.rejected(e.getMessage());
        }
        BlobContainerClient container = service.getBlobContainerClient(request.getContainer());
        if (!container.exists()) {
            return FileListing.rejected("container '" + request.getContainer() + "' does not exist");
        }
        String prefix = request.getBlobPrefix();
        List<FileEntry> files = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        for (BlobItem blob : container.listBlobs(options, null)) {
            String relative = BlobNames.relativePath(prefix, blob.getName());
            if (relative == null) {
                continue;
            }
            if (!BlobNames.isSafeRelativePath(relative)) {
                problems.add(new FileProblem(blob.getName(), "refused: the name leads outside the target directory"));
                continue;
            }
            files.add(new FileEntry(relative, blob.getProperties().getContentLength(), sourceMtime(blob)));
        }
        files.sort(Comparator.comparing(FileEntry::getPath));
        FileListing listing = FileListing.of(target.toString(), files, problems);
        if (files.size() <= manifests.sliceSize()) {
            return listing;
        }
        return listing.inManifest(manifests.write(files), manifests.slicesFor(files.size()));
    }

    private static long sourceMtime(BlobItem blob) {
        return BlobCopier.recordedMtime(blob.getMetadata(), blob.getProperties().getLastModified().toInstant().toEpochMilli());
    }
}
