package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.NameOrder;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Merges two sequences of relative paths that arrive in {@link NameOrder}: the files a walk finds, pushed one at
 * a time with {@link #file}, and the blobs of a prefix listing, pulled as the walk passes them. Each path is
 * handed to {@link Matches} once, with the file, the blob, or both; so "is this file's blob up to date" and
 * "which blobs have no file" are answered with one element of each sequence in memory, not a map of either.
 *
 * <p>Paths for which {@code setAside} holds (names whose place in the listing cannot be predicted, see
 * {@link PrefixListing#unpredictable}) are kept aside on both sides and matched by lookup in {@link #finish},
 * after the ordered ones; they are rare, and only they cost memory. Any other path out of order is a defect of
 * the walk or of the listing, and stops the merge rather than report files as missing that are not.
 *
 * @param <F> what the walk reports for a file
 * @param <B> what the listing reports for a blob
 */
public final class OrderedMerge<F, B> {
    /** Receives each path once: {@code file} or {@code blob} is null when that side has none, never both. */
    @FunctionalInterface
    public interface Matches<F, B> {
        void match(String path, F file, B blob);
    }

    private final Iterator<B> blobs;
    private final Function<B, String> pathOf;
    private final Predicate<String> setAside;
    private final Matches<F, B> matches;
    private final Map<String, F> filesAside = new TreeMap<>(NameOrder.PATHS);
    private final Map<String, B> blobsAside = new TreeMap<>(NameOrder.PATHS);
    private boolean started;
    private B blob;
    private String blobPath;
    private String lastFile;

    /**
     * @param blobs the listing, in the order the service returns it
     * @param pathOf the relative path a blob stands for, or null for a blob that is not part of the listing
     * @param setAside the paths to match by lookup instead of by order
     * @param matches receives every path
     */
    public OrderedMerge(Iterator<B> blobs, Function<B, String> pathOf, Predicate<String> setAside, Matches<F, B> matches) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.pathOf = Objects.requireNonNull(pathOf, "pathOf");
        this.setAside = Objects.requireNonNull(setAside, "setAside");
        this.matches = Objects.requireNonNull(matches, "matches");
    }

    /** The walk's next file; its path must come after the previous one's in {@link NameOrder}. */
    public void file(String path, F file) {
        Objects.requireNonNull(path, "path");
        if (setAside.test(path)) {
            if (filesAside.put(path, file) != null) {
                throw new IllegalStateException("the walk reported '" + path + "' twice");
            }
            return;
        }
        if (lastFile != null && NameOrder.compare(lastFile, path) >= 0) {
            throw new IllegalStateException("the walk is not in name order: '" + path + "' came after '" + lastFile + "'");
        }
        lastFile = path;
        if (!started) {
            started = true;
            next();
        }
        while (blob != null && NameOrder.compare(blobPath, path) < 0) {
            matches.match(blobPath, null, blob);
            next();
        }
        if (blob != null && blobPath.equals(path)) {
            matches.match(path, file, blob);
            next();
        } else {
            matches.match(path, file, null);
        }
    }

    /** Hands over the blobs after the last file, then matches the paths set aside. */
    public void finish() {
        if (!started) {
            started = true;
            next();
        }
        while (blob != null) {
            matches.match(blobPath, null, blob);
            next();
        }
        for (Map.Entry<String, F> file : filesAside.entrySet()) {
            matches.match(file.getKey(), file.getValue(), blobsAside.remove(file.getKey()));
        }
        blobsAside.forEach((path, aside) -> matches.match(path, null, aside));
        filesAside.clear();
        blobsAside.clear();
    }

    /** Moves to the listing's next blob in order, setting aside the ones the predicate names. */
    private void next() {
        String previous = blobPath;
        blob = null;
        blobPath = null;
        while (blobs.hasNext()) {
            B candidate = blobs.next();
            String path = pathOf.apply(candidate);
            if (path == null) {
                continue;
            }
            if (setAside.test(path)) {
                blobsAside.put(path, candidate);
                continue;
            }
            if (previous != null && NameOrder.compare(previous, path) >= 0) {
                throw new IllegalStateException("the blob listing is not in name order: '" + path + "' came after '"
                        + previous + "'");
            }
            blob = candidate;
            blobPath = path;
            return;
        }
    }
}
