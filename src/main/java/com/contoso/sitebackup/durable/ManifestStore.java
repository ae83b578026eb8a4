package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.fs.FileEntry;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * File-list manifests in blob storage: a large plan is written while its listing runs ({@link ManifestWriter}),
 * as slices of at most {@code sliceSize} files ({@code plans/<manifest>/slice-000000.json}, a JSON array of file
 * entries), so that each sub-orchestration reads only its own slice and no orchestration payload carries the
 * whole list.
 *
 * <p>A manifest id is a new UUID per plan: if {@code GetFileList} runs twice (a retry, a duplicate
 * delivery), the orchestration uses whichever result it recorded and the other manifest is left unused.
 * The manifest container's lifecycle rule (infra/) deletes {@code plans/} (and {@code reports/}) after a week;
 * it never touches the snapshot manifests beside them ({@code snapshots/}).
 */
public final class ManifestStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<FileEntry>> ENTRIES = new TypeReference<>() { };
    /** The folder of the manifest container that holds the plans, working files the lifecycle rule removes. */
    public static final String PLANS = "plans/";

    private final BlobContainerClient container;
    private final int sliceSize;

    /** The manifests of this app: in the manifest container and slices of the size its settings name. */
    public static ManifestStore from(AppServices services) {
        return new ManifestStore(services.blobService(), services.settings().manifestContainer(),
                services.settings().sliceSize());
    }

    public ManifestStore(BlobServiceClient service, String containerName, int sliceSize) {
        this.container = Objects.requireNonNull(service, "service").getBlobContainerClient(
                Objects.requireNonNull(containerName, "containerName"));
        if (sliceSize < 1) {
            throw new IllegalArgumentException("sliceSize must be positive: " + sliceSize);
        }
        this.sliceSize = sliceSize;
    }

    /** The container manifests and reports are kept in: never a backup's. */
    public String containerName() {
        return container.getBlobContainerName();
    }

    /** Files per slice. */
    public int sliceSize() {
        return sliceSize;
    }

    /**
     * A writer of a new plan of {@code directory}, whose files go to a new manifest once they pass one slice;
     * {@code problems} receives the listing's problems.
     */
    public ManifestWriter writer(String directory, ProblemLog problems) {
        return new ManifestWriter(this, directory, problems);
    }

    /** The id of a new manifest, its container created if need be. */
    String newManifest() {
        container.createIfNotExists();
        return UUID.randomUUID().toString();
    }

    /** Writes {@code files} as slice {@code index} of manifest {@code id}. */
    void writeSlice(String id, int index, List<FileEntry> files) {
        try {
            container.getBlobClient(sliceName(id, index)).upload(BinaryData.fromBytes(JSON.writeValueAsBytes(files)), true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize manifest slice " + index, e);
        }
    }

    /** The files of slice {@code index} of manifest {@code id}. */
    public List<FileEntry> read(String id, int index) {
        byte[] content = container.getBlobClient(sliceName(id, index)).downloadContent().toBytes();
        try {
            return JSON.readValue(content, ENTRIES);
        } catch (IOException e) {
            throw new UncheckedIOException("manifest " + id + " slice " + index + " is not readable", e);
        }
    }

    static String sliceName(String id, int index) {
        return String.format("%s%s/slice-%06d.json", PLANS, id, index);
    }
}
