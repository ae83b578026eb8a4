package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.blob.Containers;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.BackupAccount;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.fs.FileEntry;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A job's plan in blob storage, written while its listing runs ({@link ManifestWriter}) and read by its batch
 * activities, so that no orchestration payload carries a file list:
 * <ul>
 *   <li>{@code plans/<manifest>/job.json}: the job card, everything the batch activities need besides the files
 *       (the folder, the container and prefix, the run, the report), written first and never changed;</li>
 *   <li>{@code plans/<manifest>/batch-000000.json}, ...: the batches, each a JSON array of file entries, at most
 *       {@code batchFiles} files and {@code batchBytes} bytes (a larger file alone).</li>
 * </ul>
 * A manifest id is a new UUID per plan: if a listing runs twice (a retry, a duplicate delivery), the orchestration
 * uses whichever result it recorded and the other manifest is left unused. The manifest container's lifecycle rule
 * (infra/) deletes {@code plans/} (and {@code reports/}) after a week; it never touches {@code snapshots/}.
 *
 * <p>Cards never change once written, so each worker process keeps the last {@value #CARDS_KEPT} it read: a job's
 * batch activities read its card once per process, not once per batch, even when they start at the same moment; a
 * card that does not exist (or does not parse) is refused the same way again without another download. The
 * container is made by the first card that finds it missing ({@link Containers}).
 */
public final class ManifestStore {
    /** The folder of the manifest container that holds the plans, working files the lifecycle rule removes. */
    public static final String PLANS = "plans/";
    /** Bytes per batch by default ({@code BACKUP_BATCH_MIB}). */
    public static final long DEFAULT_BATCH_BYTES = Settings.DEFAULT_BATCH_MIB * 1024L * 1024L;
    /** The most files a batch may hold (the largest {@code BACKUP_BATCH_FILES}). */
    public static final int MAX_BATCH_FILES = Settings.MAX_BATCH_FILES;
    /** Files per batch by default: few activities per file, payloads and memory per activity bounded. */
    public static final int DEFAULT_BATCH_FILES = Settings.DEFAULT_BATCH_FILES;
    private static final int CARDS_KEPT = 64;
    private static final Map<String, JsonNode> CARDS = recent(CARDS_KEPT);
    /** The refusals of cards that do not exist (or do not parse), as for {@link #CARDS}: the answer stays the same. */
    private static final Map<String, String> REFUSED = recent(CARDS_KEPT);
    /**
     * Where batches are written while the listing goes on ({@link ManifestWriter}): {@value #WRITERS} daemon threads
     * for the process, made as needed.
     */
    private static final int WRITERS = 4;
    private static final ExecutorService WRITES = writers();

    /** The cards being downloaded now, by key: a reader that misses {@link #CARDS} meanwhile waits for that one. */
    private static final ConcurrentHashMap<String, CompletableFuture<JsonNode>> READING = new ConcurrentHashMap<>();

    private final BlobServiceClient service;
    private final BlobContainerClient container;
    private final int batchFiles;
    private final long batchBytes;

    /** The manifests of this app: in the manifest container, batches of the size its settings name. */
    public static ManifestStore from(AppServices services) {
        return new ManifestStore(services.blobService(), services.settings().manifestContainer(),
                services.settings().batchFiles(), services.settings().batchBytes());
    }

    /** A store whose batches hold at most {@code batchFiles} files and {@link #DEFAULT_BATCH_BYTES} bytes. */
    public ManifestStore(BlobServiceClient service, String containerName, int batchFiles) {
        this(service, containerName, batchFiles, DEFAULT_BATCH_BYTES);
    }

    public ManifestStore(BlobServiceClient service, String containerName, int batchFiles, long batchBytes) {
        this.service = Objects.requireNonNull(service, "service");
        this.container = service.getBlobContainerClient(
                Objects.requireNonNull(containerName, "containerName"));
        if (batchFiles < 1 || batchFiles > MAX_BATCH_FILES) {
            throw new IllegalArgumentException("batchFiles must be 1 to " + MAX_BATCH_FILES + ": " + batchFiles);
        }
        if (batchBytes < 1) {
            throw new IllegalArgumentException("batchBytes must be positive: " + batchBytes);
        }
        this.batchFiles = batchFiles;
        this.batchBytes = batchBytes;
    }

    /** The container manifests and reports are kept in: never a backup's. */
    /**
     * Null when a run stamped with {@code account} may work here, with this store's backup account; otherwise why
     * not ({@link BackupAccount#mismatch}).
     */
    public String accountMismatch(String account) {
        return BackupAccount.mismatch(account, service);
    }

    public String containerName() {
        return container.getBlobContainerName();
    }

    /** The account the manifests are kept in. */
    BlobServiceClient service() {
        return service;
    }

    int batchFiles() {
        return batchFiles;
    }

    long batchBytes() {
        return batchBytes;
    }

    /**
     * A writer of a new plan of {@code directory} whose job card is {@code card} (written now); {@code problems}
     * receives the listing's problems.
     */
    public ManifestWriter writer(Object card, String directory, ProblemLog problems) {
        String id = UUID.randomUUID().toString();
        String text = Wire.write(card);
        Containers.creatingIfMissing(container, () -> container.getBlobClient(cardName(id))
                .upload(BinaryData.fromString(text), true));
        return new ManifestWriter(this, id, directory, problems);
    }

    /**
     * The job card of manifest {@code id}, as written. IllegalArgumentException naming it when there is no such
     * manifest (in this worker's storage account: a worker never works for an account it was not given).
     */
    public JsonNode readCard(String id) {
        String key = cardKey(BatchWork.checkManifest(id));
        JsonNode card = known(key);
        if (card != null) {
            return card;
        }
        // The batches of a job start together: the first to miss reads the card, the others wait for its answer.
        CompletableFuture<JsonNode> mine = new CompletableFuture<>();
        CompletableFuture<JsonNode> reading = READING.putIfAbsent(key, mine);
        if (reading != null) {
            try {
                return reading.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            card = known(key);   // answered between this reader's miss and its claim
            if (card == null) {
                card = downloadCard(id);
                CARDS.put(key, card);
            }
            mine.complete(card);
            return card;
        } catch (IllegalArgumentException e) {
            REFUSED.put(key, e.getMessage());
            mine.completeExceptionally(e);
            throw e;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            READING.remove(key, mine);
        }
    }

    /** The card kept for {@code key}, or null; throws the refusal kept for it, if any. */
    private static JsonNode known(String key) {
        JsonNode card = CARDS.get(key);
        if (card == null) {
            String refused = REFUSED.get(key);
            if (refused != null) {
                throw new IllegalArgumentException(refused);
            }
        }
        return card;
    }

    /** A map that keeps the {@code kept} entries used last, safe to share between threads. */
    private static <V> Map<String, V> recent(int kept) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > kept;
            }
        });
    }

    private JsonNode downloadCard(String id) {
        try {
            return Wire.JSON.readTree(container.getBlobClient(cardName(id)).downloadContent().toBytes());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                throw new IllegalArgumentException("manifest " + id + " does not exist in this app's storage ("
                        + container.getAccountName() + "/" + containerName() + ")");
            }
            throw e;
        } catch (IOException e) {
            throw new IllegalArgumentException("the job card of manifest " + id + " is not readable: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The job card of manifest {@code id} as a {@code type}. */
    public <T> T readCard(String id, Class<T> type) {
        return Wire.read(readCard(id), type, "the job card of manifest " + id);
    }

    /**
     * Writes {@code entries} (encoded now, so the caller may reuse the list) as batch {@code index} of manifest
     * {@code id} on {@link #WRITES}; the answer ends when the batch is stored.
     */
    CompletableFuture<Void> writeBatchLater(String id, int index, List<?> entries) {
        BinaryData text = BinaryData.fromString(Wire.write(entries));
        return CompletableFuture.runAsync(() -> container.getBlobClient(batchName(id, index)).upload(text, true),
                WRITES);
    }

    private static ExecutorService writers() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WRITERS, WRITERS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "manifest-writer");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The files of batch {@code index} of manifest {@code id}, as file entries. */
    public List<FileEntry> readBatch(String id, int index) {
        return readBatch(id, index, FileEntry.class);
    }

    /** The paths of the entries of batch {@code index} of manifest {@code id}, whatever their type. */
    public List<String> readPaths(String id, int index) {
        JsonNode entries = Wire.read(batchText(id, index), JsonNode.class, "batch " + index + " of manifest " + id);
        List<String> paths = new java.util.ArrayList<>(entries.size());
        entries.forEach(entry -> paths.add(entry.path("path").asText("(unnamed)")));
        return paths;
    }

    /**
     * The entries of batch {@code index} of manifest {@code id}, as {@code type}. IllegalArgumentException naming it
     * when there is no such batch or it cannot be read.
     */
    public <E> List<E> readBatch(String id, int index, Class<E> type) {
        String content = batchText(id, index);
        try {
            return Wire.JSON.readValue(content, Wire.JSON.getTypeFactory().constructCollectionType(List.class, type));
        } catch (IOException e) {
            throw new IllegalArgumentException("batch " + index + " of manifest " + id + " is not readable: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private String batchText(String id, int index) {
        byte[] content;
        try {
            content = container.getBlobClient(batchName(BatchWork.checkManifest(id), index)).downloadContent().toBytes();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                throw new IllegalArgumentException("manifest " + id + " has no batch " + index);
            }
            throw e;
        }
        return new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Records that {@code activity} starts on {@code work}: a marker under the plan, one Put Blob that creates it only
     * when there is none. False when there was one: this input was started before, by a worker that was lost or whose
     * lock expired, and may have left part of its work done.
     */
    public boolean firstStart(String activity, BatchWork work) {
        String key = activity + "-" + work.attempt() + "-" + partsKey(work);
        String name = PLANS + BatchWork.checkManifest(work.manifest()) + "/started/" + key;
        try {
            container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(new byte[0]))
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    /** 32 hex digits of the SHA-256 of the parts an input names. */
    private static String partsKey(BatchWork work) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Wire.write(work.parts()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The key of manifest {@code id}'s card in the process's cache: the container's URL and the id. */
    private String cardKey(String id) {
        return container.getBlobContainerUrl() + "/" + id;
    }

    static String cardName(String id) {
        return PLANS + id + "/job.json";
    }

    static String batchName(String id, int index) {
        return String.format("%s%s/batch-%06d.json", PLANS, id, index);
    }
}
