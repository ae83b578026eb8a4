package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.text.Printable;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.fs.FileProblem;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.Block;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A run's problem report: one block blob per run, {@code reports/<instance id>-<start, epoch ms>.jsonl} in
 * the manifest container, holding every problem and failure of the run as JSON lines
 * ({@code {"path": ..., "reason": ...}}). The status and the output name only the first few; this names all.
 *
 * <p>Each batch is one block whose id is derived from the batch's key (the listing, or a slice), committed
 * with the blob's ETag as a condition: a retried or duplicated activity finds its block already committed and
 * adds nothing, and batches of slices that finish at the same time never overwrite each other (the loser of a
 * race stages its block again and retries). A report holds at most 50,000 batches, the service's block limit.
 */
public final class ProblemReport {
    private static final String PREFIX = "reports/";
    private static final Pattern NAME = Pattern.compile("reports/[A-Za-z0-9:_.-]{1,200}\\.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_COMMIT_ATTEMPTS = 50;

    private final BlobContainerClient container;

    /** The reports of this app, in the manifest container its settings name. */
    public static ProblemReport from(AppServices services) {
        return new ProblemReport(services.blobService(), services.settings().manifestContainer());
    }

    public ProblemReport(BlobServiceClient service, String containerName) {
        this.container = Objects.requireNonNull(service, "service")
                .getBlobContainerClient(Objects.requireNonNull(containerName, "containerName"));
    }

    /**
     * The report of the run of orchestration instance {@code instanceId} that started at {@code started}: an
     * instance id can be reused (a scheduled job's is fixed), a run's start cannot.
     */
    public static String nameFor(String instanceId, java.time.Instant started) {
        return PREFIX + instanceId.replaceAll("[^A-Za-z0-9:_.-]", "_") + "-" + started.toEpochMilli() + ".jsonl";
    }

    /** Throws IllegalArgumentException unless {@code report} is a name {@link #nameFor} makes. */
    public static String check(String report) {
        if (report == null || !NAME.matcher(report).matches()) {
            throw new IllegalArgumentException("report '" + report + "' is not a problem report name");
        }
        return report;
    }

    /** Adds {@code problems} as the batch {@code key} of {@code report}, once, whatever the retries. */
    public void append(String report, String key, List<FileProblem> problems) {
        BlockBlobClient blob = container.getBlobClient(check(report)).getBlockBlobClient();
        String blockId = blockId(Objects.requireNonNull(key, "key"));
        byte[] lines = lines(problems);
        container.createIfNotExists();
        createEmpty(blob);
        for (int attempt = 1; ; attempt++) {
            // Staged anew each round: another writer's commit discards the blocks it did not list.
            blob.stageBlock(blockId, BinaryData.fromBytes(lines));
            Response<BlockList> list = blob.listBlocksWithResponse(BlockListType.COMMITTED, null, null, null);
            List<String> committed = new ArrayList<>();
            list.getValue().getCommittedBlocks().stream().map(Block::getName).forEach(committed::add);
            if (committed.contains(blockId)) {
                return;
            }
            committed.add(blockId);
            String etag = list.getHeaders().getValue(HttpHeaderName.ETAG);
            try {
                blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(committed)
                        .setRequestConditions(new BlobRequestConditions().setIfMatch(etag)), null, null);
                return;
            } catch (BlobStorageException e) {
                boolean raced = e.getStatusCode() == 412
                        || BlobErrorCode.INVALID_BLOCK_LIST.equals(e.getErrorCode());
                if (!raced || attempt == MAX_COMMIT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Commits an empty report unless one exists, so every later commit has an ETag to be conditional on. */
    private static void createEmpty(BlockBlobClient blob) {
        try {
            blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(List.of())
                    .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, null);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
                throw e;
            }
        }
    }

    /** Every problem of {@code report}, in the order the batches were committed. */
    public List<FileProblem> read(String report) {
        String text = container.getBlobClient(check(report)).downloadContent().toString();
        List<FileProblem> problems = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    problems.add(JSON.readValue(line, FileProblem.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("report " + report + " has a line that is not a problem", e);
                }
            }
        }
        return problems;
    }

    private static byte[] lines(List<FileProblem> problems) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FileProblem problem : problems) {
            try {
                // Paths and reasons made printable: a report is read by people and tools, and a control or
                // bidirectional character in a name must neither forge a line nor reorder what a reader sees.
                out.writeBytes(JSON.writeValueAsBytes(new FileProblem(Printable.quote(problem.getPath()),
                        Printable.quote(problem.getReason()))));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a problem of " + problem.getPath(), e);
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** A block id of fixed length (the service wants one length per blob) derived from the batch key. */
    private static String blockId(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
