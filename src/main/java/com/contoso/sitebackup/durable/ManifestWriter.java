package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a job's plan while its listing runs: files are appended one at a time and written to the manifest a
 * slice at a time, so the listing holds one slice in memory whatever the tree's size. A plan that never grows
 * past one slice stays inline (no manifest is written); the first file beyond it starts a new manifest. Counts
 * (files and bytes planned and unchanged, problems) are exact.
 */
public final class ManifestWriter {
    private final ManifestStore store;
    private final String directory;
    private final ProblemLog problems;
    private final List<FileEntry> slice = new ArrayList<>();
    private String manifest;
    private int slices;
    private long files;
    private long bytes;
    private long unchangedFiles;
    private long unchangedBytes;

    ManifestWriter(ManifestStore store, String directory, ProblemLog problems) {
        this.store = Objects.requireNonNull(store, "store");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** Plans {@code file}: it is part of the job's work. */
    public void add(FileEntry file) {
        if (slice.size() == store.sliceSize()) {
            flush();
        }
        slice.add(file);
        files++;
        bytes += file.getSize();
    }

    /** Counts {@code file} as needing no work. */
    public void unchanged(FileEntry file) {
        unchangedFiles++;
        unchangedBytes += file.getSize();
    }

    /** Writes what is left and returns the plan: the files inline when they fit in one slice, else the manifest. */
    public JobPlan finish() {
        problems.flush();
        List<FileEntry> inline = List.of();
        if (manifest == null) {
            inline = List.copyOf(slice);
        } else if (!slice.isEmpty()) {
            flush();
        }
        return new JobPlan(directory, inline, manifest, slices, files, bytes, unchangedFiles, unchangedBytes,
                problems.count(), problems.first(), null);
    }

    private void flush() {
        if (manifest == null) {
            manifest = store.newManifest();
        }
        store.writeSlice(manifest, slices++, slice);
        slice.clear();
    }
}
