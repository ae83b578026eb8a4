package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.azure.storage.blob.BlobContainerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@AzuriteTest
class ManifestWriterTest {
    private static final int SLICE = 4;

    private final String containerName = "manifest-writer-" + System.nanoTime();
    private final ManifestStore store = new ManifestStore(Azurite.shared().client(), containerName, SLICE);
    private final ProblemReport reports = new ProblemReport(Azurite.shared().client(), containerName);

    private static List<FileEntry> files(int count) {
        return IntStream.range(0, count).mapToObj(i -> new FileEntry("f" + i, i, 1_700_000_000_000L + i)).toList();
    }

    private List<FileEntry> readAll(JobPlan plan) {
        List<FileEntry> all = new ArrayList<>();
        for (int i = 0; i < plan.getSliceCount(); i++) {
            all.addAll(store.read(plan.getManifest(), i));
        }
        return all;
    }

    @Test
    void finish_exactlyOneSlice_filesInlineAndNoManifestWritten() {
        ManifestWriter writer = store.writer("/site", new ProblemLog(reports, null, "listing", 0));
        files(SLICE).forEach(writer::add);

        JobPlan plan = writer.finish();

        assertNull(plan.getManifest());
        assertEquals(0, plan.getSliceCount());
        assertEquals(files(SLICE), plan.getFiles());
        assertEquals(SLICE, plan.getFilesPlanned());
        BlobContainerClient container = Azurite.shared().client().getBlobContainerClient(containerName);
        assertFalse(container.exists() && container.listBlobs().iterator().hasNext(), "nothing written");
    }

    @Test
    void finish_oneFileMoreThanASlice_twoSlicesAndNothingInline() {
        ManifestWriter writer = store.writer("/site", new ProblemLog(reports, null, "listing", 0));
        files(SLICE + 1).forEach(writer::add);

        JobPlan plan = writer.finish();

        assertEquals(List.of(), plan.getFiles());
        assertEquals(2, plan.getSliceCount());
        assertEquals(files(SLICE + 1), readAll(plan));
        assertEquals(SLICE, store.read(plan.getManifest(), 0).size());
    }

    @Test
    void finish_manySlicesUnchangedAndProblems_exactCountsAndEveryFileOnce() {
        ProblemLog problems = new ProblemLog(reports, null, "listing", JobPlan.MAX_LISTED);
        ManifestWriter writer = store.writer("/site", problems);
        List<FileEntry> planned = files(3 * SLICE);
        for (FileEntry file : planned) {
            writer.add(file);
            writer.unchanged(new FileEntry("same-" + file.getPath(), 100, 1));
        }
        for (int i = 0; i < 30; i++) {
            problems.add(new FileProblem("p" + i, "link"));
        }

        JobPlan plan = writer.finish();

        assertEquals("/site", plan.getDirectory());
        assertEquals(3, plan.getSliceCount());
        assertEquals(planned, readAll(plan));
        assertEquals(3 * SLICE, plan.getFilesPlanned());
        assertEquals(planned.stream().mapToLong(FileEntry::getSize).sum(), plan.getBytesPlanned());
        assertEquals(3 * SLICE, plan.getFilesUnchanged());
        assertEquals(3 * SLICE * 100L, plan.getBytesUnchanged());
        assertEquals(30, plan.getProblemCount());
        assertEquals(JobPlan.MAX_LISTED, plan.getProblems().size());
    }

    @Test
    void finish_noFiles_emptyInlinePlan() {
        JobPlan plan = store.writer("/site", new ProblemLog(reports, null, "listing", 0)).finish();

        assertNull(plan.getManifest());
        assertEquals(0, plan.getFilesPlanned());
        assertNull(plan.getError());
    }
}
