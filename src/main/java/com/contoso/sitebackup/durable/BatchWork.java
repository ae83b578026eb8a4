package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The input of every batch activity ({@code CopyFileToBlob}, {@code RestoreBlobToFile}, {@code CheckFileContent},
 * {@code CheckStoredData}): which files of a job's manifest to work on. Everything else the activity needs (the
 * folder, the container, the run, the report) is in the manifest's job card ({@link ManifestStore#readCard}),
 * written once by the job's listing, so this input stays a few hundred bytes whatever the paths.
 *
 * <p>A {@link Part} names one batch of the manifest, whole ({@code positions} null) or only some of its files (a
 * retry round regroups the files that failed). {@code attempt} counts the rounds; on the {@code last} one a file
 * that fails again is a failure, written to the report, instead of being handed back for another round.
 *
 * <p>Checked when it is read (Jackson calls this constructor; see {@link Wire}): a manifest is named only by the
 * UUID the listing gave it, counts are bounded.
 */
public record BatchWork(int codeVersion, String manifest, List<Part> parts, int attempt, boolean last) {
    /** Manifest ids are UUIDs: a name with {@code ..} or a slash could lead into another folder. */
    public static final Pattern MANIFEST_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** The most files one input names (the largest batch the settings allow). */
    public static final int MAX_FILES = ManifestStore.MAX_BATCH_FILES;
    /** The most batches a manifest has. */
    public static final int MAX_BATCHES = 10_000_000;

    public BatchWork {
        checkManifest(manifest);
        if (parts == null || parts.isEmpty() || parts.size() > MAX_FILES) {
            throw new IllegalArgumentException("parts: 1 to " + MAX_FILES + " parts, not "
                    + (parts == null ? "none" : parts.size()));
        }
        parts = List.copyOf(parts);
        long named = parts.stream().mapToLong(p -> p.positions() == null ? 0 : p.positions().size()).sum();
        if (named > MAX_FILES) {
            throw new IllegalArgumentException("parts name " + named + " files; at most " + MAX_FILES);
        }
        if (attempt < 1 || attempt > RetrySchedule.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be 1 to " + RetrySchedule.MAX_ATTEMPTS + ", not " + attempt);
        }
    }

    /** Throws IllegalArgumentException unless {@code manifest} is a manifest id. */
    public static String checkManifest(String manifest) {
        if (manifest == null || !MANIFEST_ID.matcher(manifest).matches()) {
            throw new IllegalArgumentException("manifest '" + Printable.quote(manifest) + "' is not a manifest id");
        }
        return manifest;
    }

    /** Every file of batches {@code from} (inclusive) to {@code to} (exclusive), as whole parts. */
    public static List<Part> whole(int from, int to) {
        List<Part> parts = new ArrayList<>(to - from);
        for (int batch = from; batch < to; batch++) {
            parts.add(new Part(batch, null));
        }
        return parts;
    }

    /** How many files the parts name, counting a whole batch as one (its size is known only to the manifest). */
    public int weight() {
        return parts.stream().mapToInt(Part::weight).sum();
    }

    /**
     * One batch of the manifest: {@code positions} null for every file of it, else the positions (0-based, in the
     * batch's order) of some of its files.
     */
    public record Part(int batch, List<Integer> positions) {
        public Part {
            if (batch < 0 || batch >= MAX_BATCHES) {
                throw new IllegalArgumentException("batch must be 0 to " + (MAX_BATCHES - 1) + ", not " + batch);
            }
            if (positions != null) {
                if (positions.isEmpty() || positions.size() > MAX_FILES) {
                    throw new IllegalArgumentException("positions of batch " + batch + ": 1 to " + MAX_FILES
                            + ", not " + positions.size());
                }
                for (Integer position : positions) {
                    if (position == null || position < 0 || position >= MAX_FILES) {
                        throw new IllegalArgumentException("a position of batch " + batch + " must be 0 to "
                                + (MAX_FILES - 1) + ", not " + position);
                    }
                }
                positions = List.copyOf(positions);
            }
        }

        /** Whether the part names every file of its batch. */
        @JsonIgnore
        public boolean isWhole() {
            return positions == null;
        }

        /** How many files the part names; a whole batch counts as one here (see {@link BatchWork#weight}). */
        int weight() {
            return positions == null ? 1 : positions.size();
        }
    }
}
