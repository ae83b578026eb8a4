package com.contoso.sitebackup.blob;

import com.azure.storage.blob.models.BlobItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * One name of a listing that includes blob snapshots: the blob itself (its current content), and its snapshots
 * oldest first, each with the metadata and Content-MD5 it had when taken. A snapshot is a read-only copy that later
 * uploads under the name cannot change, which is what a backup snapshot points at.
 */
public final class StoredBlob {
    /**
     * The metadata name, on a backup's blobs and on their blob snapshots, whose value is the id of the run that
     * uploaded that content. Content without it is not this app's, and retention never deletes it.
     */
    public static final String RUN = "sitebackup_run";
    /** The metadata name whose value is the identity of the backup that uploaded the content ({@link BlobNames#backupId}). */
    public static final String BACKUP = "sitebackup_backup";

    private final String name;
    private final BlobItem base;
    private final List<BlobItem> snapshots;

    /**
     * @param name the blob name
     * @param base the blob's current version, or null when the listing shows only snapshots of it
     * @param snapshots its snapshots, oldest first
     */
    public StoredBlob(String name, BlobItem base, List<BlobItem> snapshots) {
        this.name = Objects.requireNonNull(name, "name");
        this.base = base;
        this.snapshots = List.copyOf(snapshots);
    }

    public String name() {
        return name;
    }

    /** The current blob, or null. */
    public BlobItem base() {
        return base;
    }

    /** Its snapshots, oldest first. */
    public List<BlobItem> snapshots() {
        return snapshots;
    }

    /** The run that uploaded {@code item}'s content ({@link #RUN}), or null when it is not this app's. */
    public static String runOf(BlobItem item) {
        return item == null || item.getMetadata() == null ? null : item.getMetadata().get(RUN);
    }

    /**
     * The version of this name that holds the content a snapshot entry names by {@code version}: a run id (the run
     * that uploaded it: the blob itself while it still holds that run's content, else the newest blob snapshot
     * tagged with it), or, in manifests written before copy-on-write, a blob snapshot's time. Null when none does.
     */
    public BlobItem holding(String version) {
        if (version == null) {
            return null;
        }
        if (isRunId(version)) {
            return version.equals(runOf(base)) ? base : newestSnapshotWith(RUN, version);
        }
        for (BlobItem snapshot : snapshots) {
            if (version.equals(snapshot.getSnapshot())) {
                return snapshot;
            }
        }
        return null;
    }

    /** Whether a snapshot entry's {@code version} names a run (copy-on-write manifests) rather than a blob snapshot. */
    public static boolean isRunId(String version) {
        return version != null && version.indexOf('-') < 0 && version.indexOf(':') < 0;
    }

    /** The newest snapshot whose metadata has {@code value} under {@code key}, or null. */
    public BlobItem newestSnapshotWith(String key, String value) {
        if (value == null) {
            return null;
        }
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            Map<String, String> metadata = snapshots.get(i).getMetadata();
            if (metadata != null && value.equals(metadata.get(key))) {
                return snapshots.get(i);
            }
        }
        return null;
    }

    /**
     * Groups a listing made with snapshots (every version of a name next to each other, as the service lists them)
     * into one {@link StoredBlob} per name, lazily: one name's versions in memory at a time.
     */
    public static Iterator<StoredBlob> group(Iterator<BlobItem> listing) {
        Objects.requireNonNull(listing, "listing");
        return new Iterator<>() {
            private BlobItem pending = listing.hasNext() ? listing.next() : null;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public StoredBlob next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                String name = pending.getName();
                BlobItem base = null;
                List<BlobItem> snapshots = new ArrayList<>();
                while (pending != null && pending.getName().equals(name)) {
                    if (pending.getSnapshot() == null) {
                        base = pending;
                    } else {
                        snapshots.add(pending);
                    }
                    pending = listing.hasNext() ? listing.next() : null;
                }
                // Snapshot ids are their creation times in one fixed format, so text order is age order.
                Collections.sort(snapshots, (a, b) -> a.getSnapshot().compareTo(b.getSnapshot()));
                return new StoredBlob(name, base, snapshots);
            }
        };
    }
}
