package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Builds a job's plan while its listing runs: files are appended one at a time and written to the manifest a
 * batch at a time, so the listing holds a few batches in memory whatever the tree's size. A full batch is encoded at
 * once and stored while the listing goes on (at most {@link #WRITING} batches at a time); {@link #finish} returns
 * once every batch is stored, and fails as the first write that failed. A batch closes at the store's file count or
 * byte count; a file larger than the byte count is a batch alone. Counts (files and bytes planned and unchanged,
 * problems) are exact.
 */
public final class ManifestWriter {
    private final ManifestStore store;
    private final String manifest;
    private final String directory;
    private final ProblemLog problems;
    /** Batches written at once at most, while the listing goes on. */
    static final int WRITING = 4;

    private final List<Object> batch = new ArrayList<>();
    private final Deque<CompletableFuture<Void>> writing = new ArrayDeque<>();
    private long batchBytes;
    private int batches;
    private long files;
    private long bytes;
    private long unchangedFiles;
    private long unchangedBytes;

    ManifestWriter(ManifestStore store, String manifest, String directory, ProblemLog problems) {
        this.store = Objects.requireNonNull(store, "store");
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** The manifest's id. */
    public String manifest() {
        return manifest;
    }

    /** Plans {@code file}: it is part of the job's work. */
    public void add(FileEntry file) {
        add(file, file.getSize());
    }

    /** Plans {@code entry} (an object with a {@code path}) of {@code size} bytes: it is part of the job's work. */
    public void add(Object entry, long size) {
        if (!batch.isEmpty() && (batch.size() == store.batchFiles() || batchBytes + size > store.batchBytes())) {
            flush();
        }
        batch.add(entry);
        batchBytes += size;
        files++;
        bytes += size;
    }

    /** Counts {@code file} as needing no work. */
    public void unchanged(FileEntry file) {
        unchangedFiles++;
        unchangedBytes += file.getSize();
    }

    /** Writes what is left and returns the plan. */
    public JobPlan finish() {
        problems.flush();
        if (!batch.isEmpty()) {
            flush();
        }
        while (!writing.isEmpty()) {
            await(writing.poll());
        }
        return new JobPlan(directory, manifest, batches, files, bytes, unchangedFiles, unchangedBytes,
                problems.count(), problems.first(), null, null);
    }

    private void flush() {
        if (writing.size() == WRITING) {
            await(writing.poll());
        }
        writing.add(store.writeBatchLater(manifest, batches++, batch));
        batch.clear();
        batchBytes = 0;
    }

    private static void await(CompletableFuture<Void> write) {
        try {
            write.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
