package com.contoso.sitebackup.files;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one listing every job makes of a backup: the blobs under a prefix, with metadata and Content-MD5,
 * keyed by the relative path each blob's name stands for (see {@link BlobNames}), in path order.
 */
public final class BlobListing {
    private BlobListing() {
    }

    /** The blobs under {@code prefix} in {@code container}, by relative path; the container must exist. */
    public static Map<String, BlobItem> byRelativePath(BlobContainerClient container, String prefix) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        Map<String, BlobItem> blobs = new TreeMap<>();
        for (BlobItem item : container.listBlobs(options, null)) {
            String relative = BlobNames.relativePath(prefix, item.getName());
            if (relative != null) {
                blobs.put(relative, item);
            }
        }
        return blobs;
    }
}
