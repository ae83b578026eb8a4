package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.storage.blob.models.BlobStorageException;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@AzuriteTest
class ManifestWriterTest {
    private static final int BATCH = 4;
    private static final JobCard CARD = new ManifestStoreTest.Card("/site", null);

    private final String containerName = "manifest-writer-" + System.nanoTime();
    private final ManifestStore store = new ManifestStore(Azurite.shared().client(), containerName, BATCH);
    private final ProblemReport reports = new ProblemReport(Azurite.shared().client(), containerName);

    private static List<FileEntry> files(int count) {
        return IntStream.range(0, count).mapToObj(i -> new FileEntry("f" + i, i, 1_700_000_000_000L + i)).toList();
    }

    /**
     * Batches are stored while the listing goes on, and many at once; the plan returns only once each is stored, and
     * a batch that could not be stored fails the plan instead of going unnoticed.
     */
    @Test
    void finish_batchesStoredMeanwhile_everyOneStoredOrThePlanFails() {
        ManifestWriter writer = store.writer(CARD, "/site", new ProblemLog(reports, null, "listing", 0));
        files(BATCH * 25 + 1).forEach(writer::add);
        JobPlan plan = writer.finish();
        assertEquals(26, plan.batchCount());
        assertEquals(files(BATCH * 25 + 1), TestManifests.entries(store, plan, FileEntry.class));

        ManifestWriter lost = store.writer(CARD, "/site", new ProblemLog(reports, null, "listing", 0));
        Azurite.shared().client().getBlobContainerClient(containerName).delete();
        BlobStorageException failed = assertThrows(BlobStorageException.class, () -> {
            files(BATCH * 2 + 1).forEach(lost::add);   // 3 batches: fewer than are written at once
            lost.finish();
        });
        assertEquals(404, failed.getStatusCode());
    }

    @Test
    void finish_oneFileMoreThanABatch_twoBatches() {
        ManifestWriter writer = store.writer(CARD, "/site", new ProblemLog(reports, null, "listing", 0));
        files(BATCH + 1).forEach(writer::add);

        JobPlan plan = writer.finish();

        assertEquals(2, plan.batchCount());
        assertEquals(files(BATCH + 1), TestManifests.entries(store, plan, FileEntry.class));
        assertEquals(BATCH, store.readBatch(plan.manifest(), 0).size());
    }

    @Test
    void finish_manyBatchesUnchangedAndProblems_exactCountsAndEveryFileOnce() {
        ProblemLog problems = new ProblemLog(reports, null, "listing", JobPlan.MAX_LISTED);
        ManifestWriter writer = store.writer(CARD, "/site", problems);
        List<FileEntry> planned = files(3 * BATCH);
        for (FileEntry file : planned) {
            writer.add(file);
            writer.unchanged(new FileEntry("same-" + file.getPath(), 100, 1));
        }
        for (int i = 0; i < 30; i++) {
            problems.add(new FileProblem("p" + i, "link"));
        }

        JobPlan plan = writer.finish();

        assertEquals("/site", plan.directory());
        assertEquals(3, plan.batchCount());
        assertEquals(planned, TestManifests.entries(store, plan, FileEntry.class));
        assertEquals(3 * BATCH, plan.filesPlanned());
        assertEquals(planned.stream().mapToLong(FileEntry::getSize).sum(), plan.bytesPlanned());
        assertEquals(3 * BATCH, plan.filesUnchanged());
        assertEquals(3 * BATCH * 100L, plan.bytesUnchanged());
        assertEquals(30, plan.problemCount());
        assertEquals(JobPlan.MAX_LISTED, plan.problems().size());
    }

    @Test
    void finish_noFiles_noBatch() {
        JobPlan plan = store.writer(CARD, "/site", new ProblemLog(reports, null, "listing", 0)).finish();

        assertEquals(0, plan.batchCount());
        assertEquals(0, plan.filesPlanned());
        assertNull(plan.error());
    }
}
