package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * One slice of a large job: the input of every slice sub-orchestration and of {@link ReadManifestSlice}.
 * It carries what a slice needs to make its files' activity inputs and nothing more: the manifest slice, the
 * directory the job reads or writes, where its blobs are, whether a restore may overwrite, and the run's
 * problem report.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SliceRequest {
    private static final Pattern MANIFEST_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String manifest;
    private final int index;
    private final String directory;
    private final String container;
    private final String blobPrefix;
    private final boolean overwrite;
    private final String report;
    private final String run;

    /** A slice of a job that uploads nothing (no run id). */
    public SliceRequest(String manifest, int index, String directory, String container, String blobPrefix,
                        boolean overwrite, String report) {
        this(manifest, index, directory, container, blobPrefix, overwrite, report, null);
    }

    @JsonCreator
    public SliceRequest(@JsonProperty("manifest") String manifest,
                        @JsonProperty("index") int index,
                        @JsonProperty("directory") String directory,
                        @JsonProperty("container") String container,
                        @JsonProperty("blobPrefix") String blobPrefix,
                        @JsonProperty("overwrite") boolean overwrite,
                        @JsonProperty("report") String report,
                        @JsonProperty("run") String run) {
        this.manifest = manifest;
        this.index = index;
        this.directory = directory;
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.overwrite = overwrite;
        this.report = report;
        this.run = run;
    }

    /** The first slice of {@code manifest}; {@link #at} gives the others. */
    public static SliceRequest of(String manifest, String directory, String container, String blobPrefix,
                                  boolean overwrite, String report) {
        return new SliceRequest(manifest, 0, directory, container, blobPrefix, overwrite, report);
    }

    /** This request for slice {@code sliceIndex}. */
    public SliceRequest at(int sliceIndex) {
        if (sliceIndex < 0) {
            throw new IllegalArgumentException("sliceIndex must not be negative: " + sliceIndex);
        }
        return new SliceRequest(manifest, sliceIndex, directory, container, blobPrefix, overwrite, report, run);
    }

    /** This request with the backup run's snapshot id, which its uploads are tagged with. */
    public SliceRequest withRun(String runId) {
        return new SliceRequest(manifest, index, directory, container, blobPrefix, overwrite, report, runId);
    }

    /**
     * Throws IllegalArgumentException naming the field when this request cannot name a slice. A manifest is named
     * by the UUID {@link ManifestStore} gave it, nothing else: a name with {@code ..} or a slash could make the
     * slice's blob name lead into another container.
     */
    public SliceRequest validate() {
        if (manifest == null || !MANIFEST_ID.matcher(manifest).matches()) {
            throw new IllegalArgumentException("manifest '" + Printable.quote(manifest) + "' is not a manifest id");
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        return this;
    }

    public String getManifest() {
        return manifest;
    }

    public int getIndex() {
        return index;
    }

    /** The directory the job reads (backup, verify) or writes (restore), as the listing resolved it. */
    public String getDirectory() {
        return directory;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobPrefix() {
        return blobPrefix;
    }

    /** Whether a restore may replace existing files. */
    public boolean isOverwrite() {
        return overwrite;
    }

    /** The run's problem report. */
    public String getReport() {
        return report;
    }

    /** A backup run's snapshot id, which every blob it uploads is tagged with; null for the other jobs. */
    public String getRun() {
        return run;
    }
}
