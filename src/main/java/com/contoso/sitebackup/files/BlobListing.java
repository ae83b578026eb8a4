package com.contoso.sitebackup.files;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one listing every job makes of a backup: the blobs under a prefix, with metadata and Content-MD5,
 * keyed by the encoded path after the prefix ({@link BlobNames#encodedPath}), in the walk's order
 * ({@link TreeWalker#ENCODED_ORDER}). Whether a key is an encoding at all is for the caller to decide
 * ({@link BlobNameCodec#decode}).
 */
public final class BlobListing {
    private BlobListing() {
    }

    /** The blobs under {@code prefix} in {@code container}, by encoded path; the container must exist. */
    public static Map<String, BlobItem> byEncodedPath(BlobContainerClient container, String prefix) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        Map<String, BlobItem> blobs = new TreeMap<>(TreeWalker.ENCODED_ORDER);
        for (BlobItem item : container.listBlobs(options, null)) {
            String encoded = BlobNames.encodedPath(prefix, item.getName());
            if (encoded != null) {
                blobs.put(encoded, item);
            }
        }
        return blobs;
    }
}
