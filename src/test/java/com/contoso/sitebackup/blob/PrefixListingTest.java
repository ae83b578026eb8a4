package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.NameOrder;

import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.CountingRequests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AzuriteTest
class PrefixListingTest {
    private static final String EMOJI = "\uD83D\uDE00.txt";
    private static final String FULL_WIDTH = "\uFF08x\uFF09.txt";

    private final BlobContainerClient container = Azurite.shared().client()
            .getBlobContainerClient("prefix-listing-" + System.nanoTime());

    @BeforeEach
    void setUp() {
        container.create();
    }

    private void upload(String name) {
        container.getBlobClient(name).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString(name))
                .setMetadata(Map.of(PosixMetadata.MODTIME, "42")), null, null);
    }

    private static List<String> names(Iterator<BlobItem> blobs) {
        List<String> names = new ArrayList<>();
        blobs.forEachRemaining(blob -> names.add(blob.getName()));
        return names;
    }

    @Test
    void blobs_underPrefix_onlyThoseWithMetadataAndContentMd5() {
        upload("site/b.txt");
        upload("site/a/x.txt");
        upload("sitemap.xml");
        upload("other/c.txt");

        Iterator<BlobItem> blobs = PrefixListing.blobs(container, "site");
        BlobItem first = blobs.next();

        assertEquals("site/a/x.txt", first.getName());
        assertEquals("42", first.getMetadata().get(PosixMetadata.MODTIME));
        assertTrue(first.getProperties().getContentMd5() != null);
        assertEquals(List.of("site/b.txt"), names(blobs));
        assertEquals(List.of("other/c.txt", "site/a/x.txt", "site/b.txt", "sitemap.xml"), names(PrefixListing.blobs(container, "")));
        assertFalse(PrefixListing.blobs(null, "site").hasNext(), "no container, no blobs");
    }

    @Test
    void pagesAhead_listingOfSeveralPages_everyBlobOnceInOrderAndTheNextPageAskedForBeforeItIsNeeded()
            throws InterruptedException {
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            uploaded.add("site/f" + i + ".txt");
            upload(uploaded.get(i));
        }
        upload("sitemap.xml");
        CountingRequests counting = new CountingRequests();
        BlobContainerClient counted = counting.client().getBlobContainerClient(container.getBlobContainerName());
        ListBlobsOptions pagesOfTwo = new ListBlobsOptions().setPrefix("site/").setMaxResultsPerPage(2)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));

        Iterator<BlobItem> blobs = new PrefixListing.PagesAhead(counted, pagesOfTwo);
        assertEquals("site/f0.txt", blobs.next().getName());
        // The caller is still on the first page: the second has been asked for already, and no other.
        for (int waited = 0; counting.to(container.getBlobContainerName()).size() < 2 && waited < 500; waited++) {
            Thread.sleep(10);
        }
        assertEquals(2, counting.to(container.getBlobContainerName()).size(), counting.all().toString());
        List<String> names = new ArrayList<>(List.of("site/f0.txt"));
        names.addAll(names(blobs));

        assertEquals(uploaded, names);
        assertEquals(4, counting.to(container.getBlobContainerName()).size(), "4 pages of at most 2");
        assertFalse(blobs.hasNext());
    }

    @Test
    void blobs_azuriteWithEmojiAndFullWidthNames_listsThemInUtf16NotUtf8Order() {
        upload("p/" + FULL_WIDTH);
        upload("p/" + EMOJI);

        // Why the merge sets such names aside: this order is not NameOrder's.
        assertEquals(List.of("p/" + EMOJI, "p/" + FULL_WIDTH), names(PrefixListing.blobs(container, "p")));
        assertTrue(NameOrder.compare(EMOJI, FULL_WIDTH) > 0);
    }

    @Test
    void merge_walkAgainstAzuriteListingWithOrderSensitiveNames_everyFileMatchedWithItsBlob() {
        List<String> paths = new ArrayList<>(List.of("a.txt", EMOJI, FULL_WIDTH, "dir/" + EMOJI, "dir/z", "\u00e9t\u00e9.txt",
                "z.txt"));
        paths.forEach(path -> upload("p/" + path));
        upload("p/gone.txt");
        paths.add("new.txt");
        paths.sort(NameOrder.PATHS);
        List<String> matched = new ArrayList<>();

        OrderedMerge<String, BlobItem> merge = PrefixListing.merge(PrefixListing.blobs(container, "p"), "p",
                (path, file, blob) -> matched.add(path + (file == null ? " -" : " F") + (blob == null ? " -" : " B")));
        paths.forEach(path -> merge.file(path, path));
        merge.finish();

        assertEquals(9, matched.size(), matched.toString());
        assertTrue(matched.contains("gone.txt - B"), matched.toString());
        assertTrue(matched.contains("new.txt F -"), matched.toString());
        assertEquals(7, matched.stream().filter(line -> line.endsWith(" F B")).count(), matched.toString());
    }

    @Test
    void decode_encodedAndForgedNames_pathOnlyForAnEncoding() {
        assertEquals(Path.of("docs/caf\u00e9 cr\u00e8me.txt"), PrefixListing.decode("docs/caf\u00e9 cr\u00e8me.txt"));
        assertEquals(Path.of("100%.txt"), PrefixListing.decode("100%25.txt"));
        assertNull(PrefixListing.decode("../etc/passwd"));
        assertNull(PrefixListing.decode("100%.txt"));
    }
}
