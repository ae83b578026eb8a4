package com.contoso.sitebackup.blob;


import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.NameOrder;
import com.contoso.sitebackup.text.Printable;

import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The one listing every job makes of a backup: the blobs under a prefix, with metadata and Content-MD5, in name
 * order, read in pages of up to {@value #PAGE} ({@link PagesAhead}: the next page is asked for while the caller
 * works through one, so the walk merged with it runs while the service answers), and memory holds two pages whatever
 * the backup's size. Each blob stands for the encoded path after the prefix
 * ({@link BlobNames#encodedPath}); whether that is the encoding of a path at all is told by {@link #decode}
 * ({@link PathCodec}), and a name that is not is the caller's to report ({@link #notEncoded}). A backup and a
 * verification merge the listing with their walk ({@link #merge}); a restore consumes it as it comes.
 */
public final class PrefixListing {
    /** Why a blob is not taken: its name is not one a backup writes, so it cannot name a file safely. */
    public static final String NOT_ENCODED = "refused: not a blob name a backup writes (see the blob-name rule)";

    /** Runs the listings made {@link #ahead}: daemon threads, made when needed, ended when idle. */
    private static final ExecutorService AHEAD = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "listing-ahead");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Blobs asked for in a page of a prefix's listing: the most the service returns. Smaller pages let the merge
     * start sooner, but on Azurite they cost more in all: an unchanged re-run of 2,000 files ({@code
     * bench.RerunProfile}, 2026-12-06) listed them in 171 ms as one page and in 100 + 127 ms as two pages of 1,000.
     */
    static final int PAGE = 5_000;

    private PrefixListing() {
    }

    /** The blobs under {@code prefix} in {@code container}, in the service's order; none when {@code container} is null. */
    public static Iterator<BlobItem> blobs(BlobContainerClient container, String prefix) {
        if (container == null) {
            return Collections.emptyIterator();
        }
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setMaxResultsPerPage(PAGE).setDetails(new BlobListDetails().setRetrieveMetadata(true));
        return new PagesAhead(container, options);
    }

    /**
     * The blobs under {@code prefix} with their snapshots, one {@link StoredBlob} per name, in the service's order,
     * read page by page; none when {@code container} is null.
     */
    public static Iterator<StoredBlob> withSnapshots(BlobContainerClient container, String prefix) {
        if (container == null) {
            return Collections.emptyIterator();
        }
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix + "/")
                .setMaxResultsPerPage(PAGE)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true).setRetrieveSnapshots(true));
        return StoredBlob.group(new PagesAhead(container, options));
    }

    /**
     * {@link #withSnapshots}, for a backup that writes: the container is made when the listing finds none (then it
     * lists nothing), so that a container that exists costs no Create Container request.
     */
    public static Iterator<StoredBlob> withSnapshotsCreating(BlobContainerClient container, String prefix) {
        try {
            return withSnapshots(container, prefix);
        } catch (BlobStorageException e) {
            if (container == null || !Containers.isContainerMissing(e)) {
                throw e;
            }
            container.createIfNotExists();
            return Collections.emptyIterator();
        }
    }

    /**
     * The listing {@code listing} makes (its first page requested when it is made, as {@link #withSnapshots} does),
     * made now on a thread of its own, so the caller's walk runs while the service answers: the first use waits for
     * it, and throws what the listing threw; {@link Ahead#arrived} tells whether it would wait.
     */
    public static <T> Ahead<T> ahead(Supplier<Iterator<T>> listing) {
        return new Ahead<>(CompletableFuture.supplyAsync(listing, AHEAD));
    }

    /** A listing made {@link #ahead}. */
    public static final class Ahead<T> implements Iterator<T> {
        private final CompletableFuture<Iterator<T>> first;
        private final Iterator<T> listing;

        private Ahead(CompletableFuture<Iterator<T>> first) {
            this.first = first;
            this.listing = lazy(() -> joined(first));
        }

        /** Whether the first page has come (or the listing failed): a use now does not wait for the service. */
        public boolean arrived() {
            return first.isDone();
        }

        @Override
        public boolean hasNext() {
            return listing.hasNext();
        }

        @Override
        public T next() {
            return listing.next();
        }
    }

    /** What {@code future} gives, waiting for it; what it threw is thrown as it was (not wrapped). */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** An iterator made by {@code make} when it is first asked for an element (a listing not asked for is not made). */
    public static <T> Iterator<T> lazy(Supplier<Iterator<T>> make) {
        return new Iterator<>() {
            private Iterator<T> made;

            @Override
            public boolean hasNext() {
                return made().hasNext();
            }

            @Override
            public T next() {
                return made().next();
            }

            private Iterator<T> made() {
                if (made == null) {
                    made = make.get();
                }
                return made;
            }
        };
    }

    /**
     * One blob with its snapshots, from a listing of its own name (one request): for the rare names whose place in
     * a listing cannot be predicted ({@link NameOrder#isOrderSensitive}), so that a job can still handle them in
     * the walk's order. Null when {@code container} is null or holds no blob of that name.
     */
    public static StoredBlob stored(BlobContainerClient container, String blobName) {
        if (container == null) {
            return null;
        }
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(blobName)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true).setRetrieveSnapshots(true));
        try {
            for (Iterator<StoredBlob> named = StoredBlob.group(container.listBlobs(options, null).iterator());
                 named.hasNext(); ) {
                StoredBlob blob = named.next();
                if (blob.name().equals(blobName)) {
                    return blob;
                }
            }
        } catch (BlobStorageException e) {
            if (!Containers.isContainerMissing(e)) {
                throw e;
            }
            // No container (a backup's first run makes it while it walks): no blob of that name.
        }
        return null;
    }

    /** The encoded path {@code blob} stands for under {@code prefix}, or null when it is not under the prefix. */
    public static String encodedPath(String prefix, BlobItem blob) {
        return BlobNames.encodedPath(prefix, blob.getName());
    }

    /** The relative path {@code encoded} is the encoding of, or null when it is not exactly an encoding. */
    public static Path decode(String encoded) {
        try {
            return PathCodec.decodePath(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The problem to report for {@code blob}, whose name is not an encoding: its name made printable, and why. */
    public static FileProblem notEncoded(BlobItem blob, String consequence) {
        return new FileProblem(Printable.quote(blob.getName()), NOT_ENCODED + "; " + consequence);
    }

    /**
     * A merge of a walk (files by encoded path, in {@link NameOrder}) with {@code blobs}, the listing of
     * {@code prefix}: each blob matched with the file of the encoded path it stands for. A blob whose name is not an
     * encoding never matches a file, so it comes with none.
     */
    public static <F> OrderedMerge<F, BlobItem> merge(Iterator<BlobItem> blobs, String prefix,
                                                      OrderedMerge.Matches<F, BlobItem> matches) {
        return new OrderedMerge<>(blobs, blob -> encodedPath(prefix, blob), PrefixListing::setAside, matches);
    }

    /**
     * {@link #merge} over a listing with snapshots ({@link #withSnapshots}): each blob matched with the entry of the
     * name after the prefix it stands for (a path, or a {@link PathCodec#derivedName} for a path too long for a blob
     * name).
     */
    public static <F> OrderedMerge<F, StoredBlob> mergeStored(Iterator<StoredBlob> blobs, String prefix,
                                                             OrderedMerge.Matches<F, StoredBlob> matches) {
        return new OrderedMerge<>(blobs, blob -> BlobNames.encodedPath(prefix, blob.name()), PrefixListing::setAside,
                matches);
    }

    /**
     * The names a merge matches by lookup, not by order: those whose place in a listing cannot be predicted
     * ({@link NameOrder#isOrderSensitive}), and the names derived from paths too long for a blob name
     * ({@link PathCodec#isDerivedName}), which do not sort where their paths do. Both are rare, and only they cost
     * memory.
     */
    public static boolean setAside(String name) {
        return NameOrder.isOrderSensitive(name) || PathCodec.isDerivedName(name);
    }

    /**
     * A listing read page by page, each page asked for (on a listing thread) as soon as the one before it has come,
     * so the service answers the next page while the caller works through this one: at most two pages are held. The
     * first page is read before the constructor returns, so a missing container throws there.
     */
    static final class PagesAhead implements Iterator<BlobItem> {
        private final BlobContainerClient container;
        private final ListBlobsOptions options;
        private Iterator<BlobItem> page;
        private CompletableFuture<PagedResponse<BlobItem>> next;

        PagesAhead(BlobContainerClient container, ListBlobsOptions options) {
            this.container = container;
            this.options = options;
            take(read(null));
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && next != null) {
                CompletableFuture<PagedResponse<BlobItem>> coming = next;
                next = null;
                take(joined(coming));
            }
            return page.hasNext();
        }

        @Override
        public BlobItem next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }

        private void take(PagedResponse<BlobItem> response) {
            page = response.getValue().iterator();
            String token = response.getContinuationToken();
            if (token != null && !token.isEmpty()) {
                next = CompletableFuture.supplyAsync(() -> read(token), AHEAD);
            }
        }

        private PagedResponse<BlobItem> read(String token) {
            return container.listBlobs(options, token, null).iterableByPage().iterator().next();
        }
    }
}
