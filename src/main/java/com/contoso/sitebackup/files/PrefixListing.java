package com.contoso.sitebackup.files;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.util.Collections;
import java.util.Iterator;
import java.util.function.Predicate;

/**
 * The one listing every job makes of a backup: the blobs under a prefix, with metadata and Content-MD5, read
 * page by page as they are consumed (the service returns at most 5,000 a page, in name order), so memory holds
 * one page whatever the backup's size. A backup and a verification merge it with their walk
 * ({@link #merge}); a restore consumes it as it comes.
 */
public final class PrefixListing {
    private PrefixListing() {
    }

    /** The blobs under {@code prefix} in {@code container}, in the service's order; none when {@code container} is null. */
    public static Iterator<BlobItem> blobs(BlobContainerClient container, String prefix) {
        if (container == null) {
            return Collections.emptyIterator();
        }
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        return container.listBlobs(options, null).iterator();
    }

    /** The relative path {@code blob} stands for under {@code prefix} (see {@link BlobNames}), or null. */
    public static String relativePath(String prefix, BlobItem blob) {
        return BlobNames.relativePath(prefix, blob.getName());
    }

    /**
     * A merge of a walk (files in {@link NameOrder}) with {@code blobs}, the listing of {@code prefix}: each blob
     * matched with the file of the relative path it stands for.
     */
    public static <F> OrderedMerge<F, BlobItem> merge(Iterator<BlobItem> blobs, String prefix,
                                                      OrderedMerge.Matches<F, BlobItem> matches) {
        return new OrderedMerge<>(blobs, blob -> relativePath(prefix, blob), unpredictable(prefix), matches);
    }

    /**
     * The relative paths whose blob's place in a listing under {@code prefix} cannot be told from the path: a
     * name the blob-name rules change (so the listing sorts another string), or one whose order differs between
     * UTF-8 and UTF-16 (see {@link NameOrder#isOrderSensitive}).
     */
    public static Predicate<String> unpredictable(String prefix) {
        String start = prefix.isEmpty() ? "" : prefix + "/";
        return path -> NameOrder.isOrderSensitive(path) || !BlobNames.blobName(prefix, path).equals(start + path);
    }
}
