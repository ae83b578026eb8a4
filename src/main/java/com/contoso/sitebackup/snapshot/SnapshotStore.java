package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.ProblemReport;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The snapshot manifests of every backup, in the app's manifest container ({@code BACKUP_MANIFEST_CONTAINER}).
 *
 * <p><b>Names.</b> {@code snapshots/<container>/<hash>/<id>.jsonl.gz}: the backup's container, the first 32 hex
 * digits of the SHA-256 of its prefix (a prefix may be empty or hold slashes; the hash keeps every backup's
 * manifests in a folder of their own) and the snapshot's {@linkplain SnapshotIds id}, so a folder lists oldest
 * first. The manifest container's lifecycle rule deletes {@code plans/} and {@code reports/}, never
 * {@code snapshots/}: only retention removes a snapshot.
 *
 * <p><b>Content.</b> Gzip of JSON lines (written by {@link SnapshotWriter}, read by {@link SnapshotReader}): a
 * header line {@code {"format":2,"snapshot":{...SnapshotInfo}}}, then one {@code FileEntry} per line in the order
 * of the walk. The header is a gzip member of its own, staged when the counts are known and committed first.
 *
 * <p><b>Metadata.</b> The summary is also the blob's metadata ({@code snapshot_format}, {@code snapshot_root},
 * {@code snapshot_instance}, {@code snapshot_started}, {@code snapshot_completed} and the five counts, text
 * percent-encoded as UTF-8 so any path is a valid header), so {@link #list} reads one listing and downloads
 * nothing. A root directory too long for the service's 8 KB of metadata is left out and the blob marked
 * {@code snapshot_partial}: listing such a snapshot reads its header line instead.
 */
public final class SnapshotStore {
    /** The folder of the manifest container that holds the snapshot manifests. */
    public static final String FOLDER = "snapshots/";
    /**
     * The version of the manifest's layout, in its header and metadata. Format 2 (issue 26) records the twelve mode
     * bits, named pipes and devices, hard links, extended attributes and derived blob names of long paths; a reader of
     * format 1 would restore such a manifest wrongly, so it refuses it. Both formats are read here.
     */
    static final int FORMAT = 2;
    /** The formats this code reads. */
    static final java.util.Set<Integer> READABLE = java.util.Set.of(1, 2);
    static final ObjectMapper JSON = new ObjectMapper();

    private static final String SUFFIX = ".jsonl.gz";
    private static final int BLOCK_SIZE = 4 * 1024 * 1024;
    /** A draft is written while the listing runs beside a slice of the plan: smaller blocks, less held. */
    private static final int DRAFT_BLOCK_SIZE = 1024 * 1024;
    /** Read in pieces of this size: a few manifests open side by side (retention) stay small. */
    private static final int READ_CHUNK = 256 * 1024;
    /** Metadata kept below the service's 8 KB for names and values together. */
    private static final int MAX_METADATA = 7_000;
    private static final String M_FORMAT = "snapshot_format";
    private static final String M_ROOT = "snapshot_root";
    private static final String M_INSTANCE = "snapshot_instance";
    private static final String M_STARTED = "snapshot_started";
    private static final String M_COMPLETED = "snapshot_completed";
    private static final String M_FILES = "snapshot_files";
    private static final String M_DIRECTORIES = "snapshot_directories";
    private static final String M_LINKS = "snapshot_links";
    private static final String M_BYTES = "snapshot_bytes";
    private static final String M_MISSING = "snapshot_missing";
    private static final String M_PARTIAL = "snapshot_partial";
    private static final String M_SPECIALS = "snapshot_specials";

    private final BlobContainerClient manifests;
    private final int blockSize;

    /** The snapshot manifests of this app: in the manifest container its settings name. */
    public static SnapshotStore from(AppServices services) {
        return new SnapshotStore(services.blobService(), services.settings().manifestContainer());
    }

    public SnapshotStore(BlobServiceClient service, String manifestContainer) {
        this(service, manifestContainer, BLOCK_SIZE);
    }

    /** A store whose writers stage blocks of {@code blockSize} bytes (tests make manifests of many blocks). */
    SnapshotStore(BlobServiceClient service, String manifestContainer, int blockSize) {
        this.manifests = Objects.requireNonNull(service, "service")
                .getBlobContainerClient(Objects.requireNonNull(manifestContainer, "manifestContainer"));
        this.blockSize = blockSize;
    }

    /**
     * A writer of the manifest of snapshot {@code info} (its id, container and prefix name it; its counts are
     * ignored: the writer counts what it is given). A manifest of the same id is replaced when the writer commits.
     * IllegalArgumentException naming the field when the id is not a snapshot id or the container or prefix is
     * missing.
     */
    public SnapshotWriter create(SnapshotInfo info) {
        Objects.requireNonNull(info, "info");
        SnapshotIds.instantOf(info.getId());
        if (info.getContainer() == null || info.getPrefix() == null) {
            throw new IllegalArgumentException("snapshot " + info.getId() + ": container and prefix are required, not "
                    + info.getContainer() + " and " + info.getPrefix());
        }
        String name = blobName(info.getContainer(), info.getPrefix(), info.getId());
        return new SnapshotWriter(manifests, manifests.getBlobClient(name).getBlockBlobClient(), name, info, blockSize);
    }

    /** The snapshots of the backup under {@code prefix} in {@code container}, oldest first, from one listing. */
    public List<SnapshotInfo> list(String container, String prefix) {
        String folder = folder(container, prefix);
        List<SnapshotInfo> snapshots = new ArrayList<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(folder)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        try {
            for (BlobItem blob : manifests.listBlobs(options, null)) {
                String rest = blob.getName().substring(folder.length());
                if (!rest.endsWith(SUFFIX) || !SnapshotIds.isId(rest.substring(0, rest.length() - SUFFIX.length()))) {
                    continue; // not a manifest this store writes
                }
                String id = rest.substring(0, rest.length() - SUFFIX.length());
                Map<String, String> metadata = blob.getMetadata() == null ? Map.of() : blob.getMetadata();
                if (metadata.containsKey(M_FORMAT) && !metadata.containsKey(M_PARTIAL)) {
                    snapshots.add(fromMetadata(id, container, prefix, metadata));
                } else {
                    try (SnapshotReader reader = open(container, prefix, id)) {
                        snapshots.add(reader.info());
                    }
                }
            }
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
            // No manifest container yet: no backup has written a snapshot.
        }
        snapshots.sort(Comparator.comparing(SnapshotInfo::getId));
        return snapshots;
    }

    /**
     * The snapshot a restore or a verify names: {@code snapshot} an id or {@code "latest"}, or {@code asOf} the
     * newest snapshot whose id (its run's start) is not after that instant; empty when there is no such snapshot
     * or both are null. IllegalArgumentException naming the argument when both are given or {@code snapshot} is
     * neither an id nor {@code latest}.
     */
    public Optional<SnapshotInfo> select(String container, String prefix, String snapshot, Instant asOf) {
        if (snapshot != null && asOf != null) {
            throw new IllegalArgumentException("snapshot '" + snapshot + "' and asOf " + asOf
                    + " name a snapshot each; give one of them");
        }
        if (snapshot == null && asOf == null) {
            return Optional.empty();
        }
        if (snapshot != null && !snapshot.equals("latest") && !SnapshotIds.isId(snapshot)) {
            throw new IllegalArgumentException("snapshot '" + snapshot + "' is neither 'latest' nor a snapshot id"
                    + " such as 20261126T125533.123Z");
        }
        List<SnapshotInfo> all = list(container, prefix);
        SnapshotInfo chosen = null;
        for (SnapshotInfo info : all) {
            boolean fits = snapshot == null ? !SnapshotIds.instantOf(info.getId()).isAfter(asOf)
                    : snapshot.equals("latest") || snapshot.equals(info.getId());
            if (fits) {
                chosen = info;
            }
        }
        return Optional.ofNullable(chosen);
    }

    /**
     * The manifest of snapshot {@code id}, to read as it streams; IllegalArgumentException naming the snapshot
     * when the backup has none of that id.
     */
    public SnapshotReader open(String container, String prefix, String id) {
        SnapshotIds.instantOf(id);
        String name = blobName(container, prefix, id);
        BlobClient blob = manifests.getBlobClient(name);
        try {
            return new SnapshotReader(name, blob.openInputStream(new BlobInputStreamOptions().setBlockSize(READ_CHUNK)));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                throw new IllegalArgumentException("snapshot '" + id + "' of container '" + container + "', prefix '"
                        + prefix + "' does not exist");
            }
            throw e;
        }
    }

    /**
     * A writer of a backup run's draft: the tree its listing walks, in the same format as a manifest, named after
     * the run's problem report ({@code plans/<report name>.tree.jsonl.gz}, removed with the plans by the lifecycle
     * rule if a run never seals it), so that the seal finds it without it passing through a history.
     */
    public SnapshotWriter createDraft(SnapshotInfo info, String report) {
        String name = draftName(report);
        return new SnapshotWriter(manifests, manifests.getBlobClient(name).getBlockBlobClient(), name, info,
                DRAFT_BLOCK_SIZE);
    }

    /** The draft {@link #createDraft} wrote for the run of {@code report}, to read as it streams. */
    public SnapshotReader openDraft(String report) {
        String name = draftName(report);
        return new SnapshotReader(name, manifests.getBlobClient(name)
                .openInputStream(new BlobInputStreamOptions().setBlockSize(READ_CHUNK)));
    }

    /** Deletes the draft of the run of {@code report}, once its snapshot is written; nothing if it is gone. */
    public void deleteDraft(String report) {
        manifests.getBlobClient(draftName(report)).deleteIfExists();
    }

    /** {@code plans/<the report's name>.tree.jsonl.gz}: a name only a checked report name makes. */
    static String draftName(String report) {
        String name = ProblemReport.check(report);
        return "plans/" + name.substring("reports/".length(), name.length() - ".jsonl".length()) + ".tree" + SUFFIX;
    }

    /** Deletes the manifest of snapshot {@code id}; deleting one that is already gone is not an error. */
    public void delete(String container, String prefix, String id) {
        SnapshotIds.instantOf(id);
        manifests.getBlobClient(blobName(container, prefix, id)).deleteIfExists();
    }

    /**
     * The hashes of the prefixes of the backups of {@code container} that have a snapshot (the folders of
     * {@code snapshots/<container>/}), from one listing by folder; none when there is no manifest container yet.
     */
    List<String> backupFolders(String container) {
        String folder = FOLDER + Objects.requireNonNull(container, "container") + "/";
        List<String> hashes = new ArrayList<>();
        try {
            for (BlobItem item : manifests.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(folder), null)) {
                if (Boolean.TRUE.equals(item.isPrefix())) {
                    String name = item.getName();
                    hashes.add(name.substring(folder.length(), name.length() - 1));
                }
            }
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
        }
        return hashes;
    }

    /**
     * The summary of a snapshot of the backup whose prefix hashes to {@code hash} in {@code container}, read from
     * the header of its first manifest that can be read (its container and prefix say whose it is); null when none
     * can. For backups from before the registry, which are known only by their manifests.
     */
    SnapshotInfo anySnapshot(String container, String hash) {
        String folder = FOLDER + container + "/" + hash + "/";
        for (BlobItem blob : manifests.listBlobs(new ListBlobsOptions().setPrefix(folder), null)) {
            if (!blob.getName().endsWith(SUFFIX)) {
                continue;
            }
            try (SnapshotReader reader = new SnapshotReader(blob.getName(), manifests.getBlobClient(blob.getName())
                    .openInputStream(new BlobInputStreamOptions().setBlockSize(READ_CHUNK)))) {
                return reader.info();
            } catch (IllegalStateException | java.io.UncheckedIOException unreadable) {
                // Not a manifest, or a damaged one: try the next, so one bad blob does not hide whose folder this is.
            }
        }
        return null;
    }

    /** The name of the manifest of snapshot {@code id} of the backup under {@code prefix} in {@code container}. */
    public static String blobName(String container, String prefix, String id) {
        return folder(container, prefix) + id + SUFFIX;
    }

    private static String folder(String container, String prefix) {
        Objects.requireNonNull(container, "container");
        return FOLDER + container + "/" + prefixHash(prefix) + "/";
    }

    /** The first 32 hex digits of the SHA-256 of {@code prefix}: the name of its backup's folders. */
    static String prefixHash(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(prefix.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The header line: the format and the summary, one JSON object and a line feed. */
    static String headerLine(SnapshotInfo info) {
        ObjectNode header = JSON.createObjectNode().put("format", FORMAT);
        header.set("snapshot", JSON.valueToTree(info));
        return header + "\n";
    }

    /** The summary in header line {@code line} of manifest {@code name}; IllegalStateException if it is not one. */
    static SnapshotInfo parseHeader(String name, String line) {
        return header(name, line).info();
    }

    /** A manifest's header: its format and summary. */
    record Header(int format, SnapshotInfo info) {
    }

    /** The format and summary in header line {@code line} of manifest {@code name}; IllegalStateException if none. */
    static Header header(String name, String line) {
        if (line == null) {
            throw new IllegalStateException("manifest " + name + " is empty");
        }
        try {
            JsonNode header = JSON.readTree(line);
            int format = header == null ? 0 : header.path("format").asInt();
            if (header == null || !READABLE.contains(format) || !header.path("snapshot").isObject()) {
                throw new IllegalStateException("manifest " + name + " does not start with a header of format "
                        + READABLE.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors
                        .joining(" or ")) + (header != null && header.path("format").isInt()
                        ? " (it is of format " + format + ", written by a newer release)" : ""));
            }
            return new Header(format, JSON.treeToValue(header.get("snapshot"), SnapshotInfo.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest " + name + " has a header that is not readable", e);
        }
    }

    /** The summary as blob metadata; the root directory left out (and the blob marked partial) when too long. */
    static Map<String, String> metadata(SnapshotInfo info) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(M_FORMAT, Integer.toString(FORMAT));
        putText(metadata, M_INSTANCE, info.getInstanceId());
        putText(metadata, M_STARTED, info.getStarted());
        putText(metadata, M_COMPLETED, info.getCompleted());
        metadata.put(M_FILES, Long.toString(info.getFiles()));
        metadata.put(M_DIRECTORIES, Long.toString(info.getDirectories()));
        metadata.put(M_LINKS, Long.toString(info.getLinks()));
        metadata.put(M_BYTES, Long.toString(info.getBytes()));
        metadata.put(M_MISSING, Long.toString(info.getMissing()));
        metadata.put(M_SPECIALS, Long.toString(info.getSpecials()));
        putText(metadata, M_ROOT, info.getRootDirectory());
        int size = metadata.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        if (size > MAX_METADATA) {
            metadata.remove(M_ROOT);
            metadata.put(M_PARTIAL, "true");
        }
        return metadata;
    }

    private static SnapshotInfo fromMetadata(String id, String container, String prefix, Map<String, String> metadata) {
        return new SnapshotInfo(id, container, prefix, text(metadata, M_ROOT), text(metadata, M_INSTANCE),
                text(metadata, M_STARTED), text(metadata, M_COMPLETED), number(metadata, M_FILES),
                number(metadata, M_DIRECTORIES), number(metadata, M_LINKS), number(metadata, M_BYTES),
                number(metadata, M_MISSING), number(metadata, M_SPECIALS));
    }

    private static void putText(Map<String, String> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, encode(value));
        }
    }

    private static String text(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        return value == null ? null : decode(value);
    }

    private static long number(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("snapshot metadata " + key + " is not a number: '" + value + "'", e);
        }
    }

    /** {@code text} as visible ASCII: each UTF-8 byte outside {@code !} to {@code ~}, and {@code %}, as %XX. */
    static String encode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > ' ' && c < 0x7f && c != '%') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    /** The text {@link #encode} made {@code encoded} from. */
    static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
