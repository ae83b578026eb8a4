package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HeapProbe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlockListType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A manifest written as it is walked: bounded memory, many blocks, one commit, the walk's order enforced. */
@AzuriteTest
class SnapshotWriterTest {
    private static final String ID = "20261126T125533.123Z";

    private final BlobServiceClient service = Azurite.shared().client();
    private final String manifests = "writer-" + UUID.randomUUID().toString().substring(0, 8);

    /** Entry {@code i} of a large tree, in name order, with content that compresses as real hashes do. */
    private static FileEntry entry(int i, Random random) {
        byte[] md5 = new byte[16];
        random.nextBytes(md5);
        return new FileEntry(String.format("site/folder-%04d/file-%08d.html", i / 1_000, i), 1_000 + i,
                1_700_000_000_000L + i, Base64.getEncoder().encodeToString(md5))
                .withAttributes(null, 1_700_000_000_000_000_000L + i, 0644, 1000L, 1000L, null)
                .withVersion("2026-11-26T12:55:" + String.format("%02d", i % 60) + "." + HexFormat.of().formatHex(md5, 0, 3)
                        + "Z", Base64.getEncoder().encodeToString(md5));
    }

    /**
     * The live heap is read from the working thread itself, every 20,000 entries and after the commit, with
     * {@link HeapProbe#liveHeap}: a sampler thread's reading races with the writer's own garbage on a loaded machine
     * (measured: a sampler reported 50 MB more than the class histogram taken at the same moment held).
     */
    @Test
    void add_200000Entries_heapStaysBoundedAndEveryEntryReadsBackInOrder() {
        SnapshotStore store = new SnapshotStore(service, manifests);
        // The storage client's first upload and download load classes and fill pools: not the writer's memory.
        try (SnapshotWriter warmUp = store.create(TestSnapshots.info(ID, "backups", "warm-up"))) {
            warmUp.add(entry(0, new Random(0)));
            warmUp.commit();
        }
        try (SnapshotReader warmUp = store.open("backups", "warm-up", ID)) {
            warmUp.next();
        }
        long baseline = HeapProbe.liveHeap();
        long writing = 0;
        SnapshotInfo committed;
        try (SnapshotWriter writer = store.create(TestSnapshots.info(ID, "backups", "big"))) {
            Random random = new Random(1);
            for (int i = 0; i < 200_000; i++) {
                writer.add(entry(i, random));
                if (i % 20_000 == 19_999) {
                    writing = Math.max(writing, HeapProbe.liveHeap() - baseline);
                }
            }
            committed = writer.commit();
            writing = Math.max(writing, HeapProbe.liveHeap() - baseline);
        }

        baseline = HeapProbe.liveHeap();
        long reading = 0;
        Random random = new Random(1);
        int count = 0;
        try (SnapshotReader reader = store.open("backups", "big", ID)) {
            while (reader.hasNext()) {
                assertEquals(entry(count, random), reader.next());
                if (++count % 20_000 == 0) {
                    reading = Math.max(reading, HeapProbe.liveHeap() - baseline);
                }
            }
        }
        long blocks = service.getBlobContainerClient(manifests).getBlobClient(SnapshotStore.blobName("backups", "big", ID))
                .getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks().size();
        System.out.printf("snapshot writer: 200,000 entries, %d blocks, live heap growth writing %.1f MB,"
                + " reading %.1f MB%n", blocks, writing / 1e6, reading / 1e6);

        assertEquals(200_000, count);
        assertEquals(200_000, committed.getFiles());
        assertTrue(blocks >= 3, "the header and at least two 4 MiB blocks: " + blocks);
        // These 200,000 entries held in a list take 76 MB (measured); one 4 MiB block, the codecs' buffers and the
        // storage client's stay below 16 MB.
        assertTrue(writing < 16_000_000, "live heap growth while writing: " + writing);
        assertTrue(reading < 16_000_000, "live heap growth while reading: " + reading);
    }

    @Test
    void commit_manifestFarSmallerThanABlock_noBlockSizedBufferAllocated() {
        SnapshotStore store = new SnapshotStore(service, manifests);
        try (SnapshotWriter warmUp = store.create(TestSnapshots.info(ID, "backups", "warm-up-tiny"))) {
            warmUp.add(entry(0, new Random(0)));
            warmUp.commit();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        List<FileEntry> written = new ArrayList<>();
        Random random = new Random(3);
        try (SnapshotWriter writer = store.create(TestSnapshots.info(ID, "backups", "tiny"))) {
            for (int i = 0; i < 20; i++) {
                written.add(entry(i, random));
                writer.add(written.get(i));
            }
            writer.commit();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        List<FileEntry> read = new ArrayList<>();
        try (SnapshotReader reader = store.open("backups", "tiny", ID)) {
            reader.forEachRemaining(read::add);
        }
        assertEquals(written, read);
        // A 4 MiB block buffer per writer was garbage of 4 MiB for a manifest of a few KiB (and on G1 a humongous
        // allocation, which grows the heap): the writer and its one upload now allocate well under one block.
        assertTrue(allocated < 2 * 1024 * 1024, "bytes allocated writing 20 entries: " + allocated);
    }

    @Test
    void commit_smallBlocks_manyBlocksReadBackWhole() {
        SnapshotStore store = new SnapshotStore(service, manifests, 256);
        List<FileEntry> written = new ArrayList<>();
        Random random = new Random(2);
        try (SnapshotWriter writer = store.create(TestSnapshots.info(ID, "backups", "small"))) {
            for (int i = 0; i < 500; i++) {
                written.add(entry(i, random));
                writer.add(written.get(i));
            }
            writer.commit();
        }
        List<FileEntry> read = new ArrayList<>();
        try (SnapshotReader reader = store.open("backups", "small", ID)) {
            reader.forEachRemaining(read::add);
        }
        assertEquals(written, read);
        assertTrue(service.getBlobContainerClient(manifests).getBlobClient(SnapshotStore.blobName("backups", "small", ID))
                .getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks().size() > 20);
    }

    @Test
    void commit_twoWritersOfOneIdInterleaved_theManifestIsOneOfThemWhole() {
        SnapshotStore store = new SnapshotStore(service, manifests, 256);
        List<FileEntry> first = new ArrayList<>();
        List<FileEntry> second = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 100; i++) {
            first.add(entry(i, random));
        }
        for (int i = 0; i < 60; i++) {
            second.add(entry(1_000 + i, random));
        }
        SnapshotWriter a = store.create(TestSnapshots.info(ID, "backups", "race"));
        SnapshotWriter b = store.create(TestSnapshots.info(ID, "backups", "race"));
        first.forEach(a::add); // a stages its blocks first
        second.forEach(b::add);
        b.commit();
        assertOneWhole(store, second, List.of(), "the first commit's");
        try {
            a.commit();
        } catch (RuntimeException lostTheRace) {
            // Azure discards a blob's uncommitted blocks when another list is committed: a's commit fails.
        }
        assertOneWhole(store, first, second, "after the second commit");
    }

    /** The race's manifest is {@code one}'s or {@code other}'s, header and entries, never a mix. */
    private static void assertOneWhole(SnapshotStore store, List<FileEntry> one, List<FileEntry> other, String which) {
        List<FileEntry> read = new ArrayList<>();
        SnapshotInfo info;
        try (SnapshotReader reader = store.open("backups", "race", ID)) {
            info = reader.info();
            reader.forEachRemaining(read::add);
        }
        assertTrue((read.equals(one) && info.getFiles() == one.size())
                || (read.equals(other) && info.getFiles() == other.size()),
                which + ": one writer's header and entries, never a mix: " + info + ", " + read.size() + " entries");
    }

    @Test
    void add_fileOutOfOrderOrTwice_throwsNamingThePath_foldersAnywhere() {
        SnapshotStore store = new SnapshotStore(service, manifests);
        try (SnapshotWriter writer = store.create(TestSnapshots.info(ID, "backups", "order"))) {
            writer.add(new FileEntry("a.txt", 1, 1));
            writer.add(new FileEntry("a", 0, 1).withAttributes(EntryType.DIRECTORY, null, null, null, null, null));
            writer.add(new FileEntry("a/b", 1, 1));
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> writer.add(new FileEntry("a/b", 1, 1)));
            assertTrue(twice.getMessage().contains("'a/b'"), twice.getMessage());
            IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                    () -> writer.add(new FileEntry("a.txt0", 1, 1).withAttributes(EntryType.SYMLINK, null, null, null,
                            null, "x")));
            assertTrue(back.getMessage().contains("'a.txt0' comes after 'a/b'"), back.getMessage());
        }
    }

    @Test
    void add_afterCommitOrClose_throws() {
        SnapshotStore store = new SnapshotStore(service, manifests);
        SnapshotWriter committed = store.create(TestSnapshots.info(ID, "backups", "ended"));
        committed.commit();
        assertThrows(IllegalStateException.class, () -> committed.add(new FileEntry("x", 1, 1)));
        assertThrows(IllegalStateException.class, committed::commit);
        SnapshotWriter closed = store.create(TestSnapshots.info(ID, "backups", "ended"));
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.add(new FileEntry("x", 1, 1)));
        assertThrows(IllegalStateException.class, closed::commit);
    }
}
