package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.text.Printable;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The backups of each container, so that no two of them nest. A backup's blobs are {@code <prefix>/<path>}, so the
 * backups of {@code sites} and {@code sites/main} in one container would share blob names, and the retention of
 * one would list the other's blobs as its own; an empty prefix would hold every other backup. Such a prefix is
 * refused wherever a run that writes or deletes starts: the starter (a 409 naming the other backup), the backup's
 * listing before it writes anything (a rejected plan: Durable's own HTTP API can start a run with any input), and
 * retention before it deletes anything (REFUSED).
 *
 * <p><b>Entries.</b> One small blob per backup in the manifest container, {@code registry/<container>/<hash>},
 * the hash being the one that names the backup's snapshot folder ({@code snapshots/<container>/<hash>/}), with the
 * prefix in its metadata ({@value #M_PREFIX}, percent-encoded UTF-8 as the snapshot manifests' metadata is) and
 * the backup's identity ({@value #M_BACKUP}, {@link BlobNames#backupId}, the tag on every blob it uploads); its body
 * says the same as JSON, for a person reading the container. Nothing removes an entry: a backup's newest snapshot
 * always stays, so its blobs do too. An operator who deletes a backup for good deletes its entry by hand.
 *
 * <p><b>Looking up.</b> {@link #check} reads the container's entries (one listing) and the folders of its
 * snapshots (one listing by folder). A folder without an entry is a backup made before the registry: its prefix
 * is read from a manifest's header once and it is registered then, so existing deployments are covered from their
 * first run of this version without a migration step.
 *
 * <p><b>Registering.</b> {@link #register} creates the entry (if none) first and checks the entries after (one
 * listing), so of two nesting backups registering at the same moment at least one sees the other and withdraws the
 * entry it just created; both may refuse, never both go ahead. A backup whose entry is there already (every run
 * after its first) only checks: the listing that shows its entry is the check.
 */
public final class BackupRegistry {
    /** The folder of the manifest container that holds the entries. */
    public static final String FOLDER = "registry/";
    static final String M_PREFIX = "backup_prefix";
    static final String M_BACKUP = "backup_id";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{32}");

    private final BlobContainerClient manifests;
    private final SnapshotStore snapshots;

    /** A prefix refused because another backup of the same container overlaps it; names the other. */
    public static final class Conflict extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String other;

        Conflict(String other, String message) {
            super(message);
            this.other = other;
        }

        /** The other backup's prefix (null when its entry could not be read). */
        public String other() {
            return other;
        }
    }

    public BackupRegistry(BlobServiceClient service, String manifestContainer) {
        this.manifests = Objects.requireNonNull(service, "service")
                .getBlobContainerClient(Objects.requireNonNull(manifestContainer, "manifestContainer"));
        this.snapshots = new SnapshotStore(service, manifestContainer);
    }

    /** The registry of this app: in its manifest container. */
    public static BackupRegistry from(AppServices services) {
        return new BackupRegistry(services.blobService(), services.settings().manifestContainer());
    }

    /**
     * Throws a {@link Conflict} naming the other backup when another backup of {@code container} has a prefix
     * that {@code prefix} is inside or above (or either is empty); registers the backups of the container found
     * only by their snapshots on the way. Writes nothing for {@code prefix} itself.
     *
     * @param argument names the prefix in the message, such as {@code blobPrefix}
     */
    public void check(String argument, String container, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        refuseOverlaps(argument, container, prefix, backups(container));
    }

    /** The {@link Conflict} of {@link #check}, against the backups of {@code container} read already. */
    private static void refuseOverlaps(String argument, String container, String prefix, Map<String, String> backups) {
        String own = SnapshotStore.prefixHash(prefix);
        for (Map.Entry<String, String> backup : backups.entrySet()) {
            if (backup.getKey().equals(own)) {
                continue;
            }
            String other = backup.getValue();
            if (other == null) {
                throw new Conflict(null, "container '" + container + "' has a registry entry that names no prefix ("
                        + entryName(container, backup.getKey()) + " in the manifest container), so no backup there"
                        + " can be told apart from it; delete the entry if no backup uses it");
            }
            if (BlobNames.overlap(other, prefix)) {
                throw conflict(argument, container, prefix, other);
            }
        }
    }

    /**
     * Records the backup under {@code prefix} in {@code container} (if it is not yet) and {@linkplain #check checks}
     * it; on a {@link Conflict} the entry this call created is withdrawn, and the conflict thrown. A backup whose
     * entry an earlier run created (every run but its first) is checked against the same listing that found the
     * entry, and nothing is written: a nesting backup registering later sees that entry when it checks after its own.
     */
    public void register(String argument, String container, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        Map<String, String> backups = backups(container);
        if (prefix.equals(backups.get(SnapshotStore.prefixHash(prefix)))) {
            refuseOverlaps(argument, container, prefix, backups);
            return;
        }
        boolean created = put(container, prefix);
        try {
            // The entries again, not the snapshot folders: the folders without an entry were registered by the
            // listing above, and every backup that runs now registers its entry before it writes a snapshot.
            refuseOverlaps(argument, container, prefix, entries(container));
        } catch (Conflict e) {
            if (created) {
                manifests.getBlobClient(entryName(container, SnapshotStore.prefixHash(prefix))).deleteIfExists();
            }
            throw e;
        }
    }

    /**
     * The backups of {@code container}: each prefix's hash and the prefix (null when an entry does not say it),
     * from the entries and the snapshot folders; a folder without an entry is registered here.
     */
    Map<String, String> backups(String container) {
        Objects.requireNonNull(container, "container");
        // The snapshot folders are listed beside the entries, not after them.
        Iterator<String> folders = PrefixListing.ahead(() -> snapshots.backupFolders(container).iterator());
        Map<String, String> backups = entries(container);
        while (folders.hasNext()) {
            String hash = folders.next();
            if (backups.containsKey(hash) || !HASH.matcher(hash).matches()) {
                continue;
            }
            SnapshotInfo snapshot = snapshots.anySnapshot(container, hash);
            if (snapshot != null && container.equals(snapshot.getContainer()) && snapshot.getPrefix() != null
                    && hash.equals(SnapshotStore.prefixHash(snapshot.getPrefix()))) {
                put(container, snapshot.getPrefix());
                backups.put(hash, snapshot.getPrefix());
            }
        }
        return backups;
    }

    /**
     * The entries of {@code container}: each prefix's hash and the prefix (null when an entry does not say it); none
     * when there is no manifest container yet (no backup has run). One listing.
     */
    private Map<String, String> entries(String container) {
        Map<String, String> entries = new LinkedHashMap<>();
        String folder = FOLDER + container + "/";
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(folder)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        try {
            for (BlobItem entry : manifests.listBlobs(options, null)) {
                String hash = entry.getName().substring(folder.length());
                if (HASH.matcher(hash).matches()) {
                    entries.put(hash, prefixOf(hash, entry.getMetadata()));
                }
            }
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
        }
        return entries;
    }

    /** The prefix an entry's metadata names, if it is the prefix of that hash; else null. */
    private static String prefixOf(String hash, Map<String, String> metadata) {
        if (metadata == null) {
            return null;
        }
        for (Map.Entry<String, String> field : metadata.entrySet()) {
            if (field.getKey().equalsIgnoreCase(M_PREFIX)) {
                String prefix = SnapshotStore.decode(field.getValue());
                return hash.equals(SnapshotStore.prefixHash(prefix)) ? prefix : null;
            }
        }
        return null;
    }

    /** Creates the entry of {@code prefix} unless there is one; true when this call created it. */
    private boolean put(String container, String prefix) {
        String name = entryName(container, SnapshotStore.prefixHash(prefix));
        Map<String, String> metadata = Map.of(M_PREFIX, SnapshotStore.encode(prefix),
                M_BACKUP, BlobNames.backupId(container, prefix));
        String body = SnapshotStore.JSON.createObjectNode().put("container", container).put("prefix", prefix)
                .put("backup", BlobNames.backupId(container, prefix)).toString();
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BinaryData.fromString(body))
                .setMetadata(metadata).setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        for (int attempt = 1; ; attempt++) {
            try {
                manifests.getBlobClient(name).getBlockBlobClient().uploadWithResponse(upload, null, Context.NONE);
                return true;
            } catch (BlobStorageException e) {
                if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode()) && attempt == 1) {
                    manifests.createIfNotExists();
                    continue;
                }
                if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                    return false; // registered already
                }
                throw e;
            }
        }
    }

    private static String entryName(String container, String hash) {
        return FOLDER + container + "/" + hash;
    }

    /**
     * The refusal of {@code prefix} (named {@code argument}) because {@code other}, the prefix of another backup of
     * {@code container}, overlaps it ({@link BlobNames#overlap}): says which is inside which, and what to do.
     */
    public static Conflict conflict(String argument, String container, String prefix, String other) {
        return new Conflict(other, message(argument, container, prefix, other));
    }

    private static String message(String argument, String container, String prefix, String other) {
        String why = "backups in one container must not nest: their blobs would share names, and the retention of"
                + " one would take the other's blobs for its own";
        if (other.isEmpty()) {
            return argument + " '" + Printable.quote(prefix) + "' is refused: container '" + container + "' holds a"
                    + " backup under the empty prefix, which every other prefix is inside (" + why + "); back up to"
                    + " another container";
        }
        String where = prefix.isEmpty() || other.startsWith(prefix + "/") ? "above" : "inside";
        return argument + " '" + Printable.quote(prefix) + "' is " + where + " the prefix '" + Printable.quote(other)
                + "' of another backup in container '" + container + "' (" + why + "); choose a prefix outside '"
                + Printable.quote(other) + "', or another container";
    }
}
