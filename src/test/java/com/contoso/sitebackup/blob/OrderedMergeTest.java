package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.NameOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.testing.HeapProbe;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class OrderedMergeTest {
    private static final Predicate<String> NONE = path -> false;

    /** What the merge handed over, one line per path: {@code path file|-  blob|-}. */
    private final List<String> matched = new ArrayList<>();

    private OrderedMerge<String, String> merge(Iterator<String> blobs, Predicate<String> setAside) {
        return new OrderedMerge<>(blobs, blob -> blob.startsWith("other/") ? null : blob, setAside,
                (path, file, blob) -> matched.add(path + " " + (file == null ? "-" : "F") + " " + (blob == null ? "-" : "B")));
    }

    private void walk(OrderedMerge<String, String> merge, String... files) {
        for (String file : files) {
            merge.file(file, file);
        }
        merge.finish();
    }

    @Test
    void file_overlappingWalkAndListing_eachPathOnceWithWhatEachSideHas() {
        walk(merge(List.of("a", "b/x", "c", "e").iterator(), NONE), "b/x", "c", "d", "f");

        assertEquals(List.of("a - B", "b/x F B", "c F B", "d F -", "e - B", "f F -"), matched);
    }

    @Test
    void finish_emptyWalk_everyBlobAlone() {
        walk(merge(List.of("a", "b").iterator(), NONE));

        assertEquals(List.of("a - B", "b - B"), matched);
    }

    @Test
    void file_emptyListing_everyFileAlone() {
        walk(merge(List.<String>of().iterator(), NONE), "a", "b");

        assertEquals(List.of("a F -", "b F -"), matched);
    }

    @Test
    void file_blobNotPartOfTheListing_skipped() {
        walk(merge(List.of("a", "other/b", "c").iterator(), NONE), "a", "c");

        assertEquals(List.of("a F B", "c F B"), matched);
    }

    @Test
    void file_eachFile_pullsOnlyTheBlobsUpToIt() {
        List<String> blobs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            blobs.add(String.format("f%04d", i));
        }
        int[] pulled = {0};
        Iterator<String> listing = new Iterator<>() {
            private final Iterator<String> inner = blobs.iterator();

            @Override
            public boolean hasNext() {
                return inner.hasNext();
            }

            @Override
            public String next() {
                pulled[0]++;
                return inner.next();
            }
        };
        OrderedMerge<String, String> merge = merge(listing, NONE);

        merge.file("f0010", "f0010");

        assertEquals(12, pulled[0], "blobs f0000..f0010 and the one after, no more");
        assertEquals(11, matched.size());
    }

    @Test
    void file_millionFilesAgainstAMillionHeavyBlobs_heapHoldsNeitherSide() {
        int count = 1_000_000;
        record Blob(String path, byte[] weight) {
        }
        Iterator<Blob> listing = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Blob next() {
                // About what a BlobItem with metadata weighs (1.1-1.3 KB, issue 15).
                return new Blob(path(next++), new byte[1024]);
            }
        };
        long[] both = {0};
        OrderedMerge<String, Blob> merge = new OrderedMerge<>(listing, Blob::path, NONE, (path, file, blob) -> {
            if (file != null && blob != null) {
                both[0]++;
            }
        });
        // Sampled by the work itself, every 100,000 files and at the end: as many samples on a fast machine as on a
        // slow one (a sampler thread on a 100 ms clock took only 2 on an idle one, and fails the test at fewer than 3).
        long baseline = HeapProbe.liveHeap();
        long growth = 0;

        for (int i = 0; i < count; i++) {
            merge.file(path(i), "");
            if (i % 100_000 == 99_999) {
                growth = Math.max(growth, HeapProbe.liveHeap() - baseline);
            }
        }
        merge.finish();
        growth = Math.max(growth, HeapProbe.liveHeap() - baseline);

        assertEquals(count, both[0]);
        assertTrue(growth < 16L << 20, "live heap grew by " + growth + " bytes over " + count + " files and 1 KB blobs");
    }

    private static String path(int i) {
        return "d" + (100 + i / 10_000) + "/f" + (1_000_000 + i);
    }

    @Test
    void finish_listingInUtf16OrderWithOrderSensitiveNames_everyPathMatchedOnce() {
        // Azurite lists in UTF-16 order: the emoji comes before the full-width name, which NameOrder puts after.
        List<String> names = new ArrayList<>(List.of("a.txt", "\uD83D\uDE00.txt", "\uFF08x\uFF09.txt", "z.txt", "\u00e9.txt"));
        List<String> listing = new ArrayList<>(names);
        listing.sort(String::compareTo);
        List<String> walk = new ArrayList<>(names);
        walk.sort(NameOrder.PATHS);

        walk(merge(listing.iterator(), NameOrder::isOrderSensitive), walk.toArray(String[]::new));

        assertEquals(5, matched.size());
        assertTrue(matched.stream().allMatch(line -> line.endsWith(" F B")), matched.toString());
    }

    @Test
    void finish_listingInUtf16OrderWithoutSettingAside_throwsRatherThanReturnAWrongMatch() {
        List<String> listing = List.of("\uD83D\uDE00.txt", "\uFF08x\uFF09.txt");
        OrderedMerge<String, String> merge = merge(listing.iterator(), NONE);
        merge.file("\uFF08x\uFF09.txt", "a");

        IllegalStateException e = assertThrows(IllegalStateException.class, merge::finish);

        assertTrue(e.getMessage().contains("blob listing is not in name order"), e.getMessage());
    }

    @Test
    void file_walkOutOfOrder_throwsNamingBothPaths() {
        OrderedMerge<String, String> merge = merge(List.<String>of().iterator(), NONE);
        merge.file("b", "b");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> merge.file("a", "a"));

        assertTrue(e.getMessage().contains("'a' came after 'b'"), e.getMessage());
    }
}
