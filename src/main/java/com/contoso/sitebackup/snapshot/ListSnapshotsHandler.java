package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.blob.BlobNames;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code GET /snapshots/{container}} answers, without any Functions types: the snapshots of one backup,
 * oldest first, as {@code {"container": ..., "prefix": ..., "snapshots": [SnapshotInfo...]}}. The backup is named
 * by the query's {@code prefix} (default: the container's root) or {@code rootDirectory} (its default prefix,
 * {@link BlobNames#defaultPrefix}, computed from the text: nothing is opened). A bad argument is a 400 whose JSON
 * names it; storage that cannot be listed a 503; never a stack trace.
 */
public final class ListSnapshotsHandler {
    private final SnapshotStore store;
    private final String manifestContainer;

    /** What a request is answered with: a status and a JSON body, and the failure behind a 503. */
    public static final class Answer {
        private final int status;
        private final String body;
        private final RuntimeException failure;

        private Answer(int status, String body, RuntimeException failure) {
            this.status = status;
            this.body = body;
            this.failure = failure;
        }

        public int status() {
            return status;
        }

        /** The JSON body. */
        public String body() {
            return body;
        }

        /** Why storage could not be listed (to log), or null. */
        public RuntimeException failure() {
            return failure;
        }
    }

    /**
     * @param manifestContainer the app's manifest container, refused as a backup's container
     */
    public ListSnapshotsHandler(SnapshotStore store, String manifestContainer) {
        this.store = Objects.requireNonNull(store, "store");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
    }

    /** The handler of this app: its snapshot store and manifest container. */
    public static ListSnapshotsHandler from(AppServices services) {
        return new ListSnapshotsHandler(SnapshotStore.from(services), services.settings().manifestContainer());
    }

    /** Lists the snapshots of the backup {@code query} names in {@code container}. */
    public Answer list(String container, Map<String, String> query) {
        String prefix;
        try {
            BlobNames.checkContainer("container", container, manifestContainer);
            prefix = prefix(query == null ? Map.of() : query);
        } catch (IllegalArgumentException e) {
            return error(400, "invalid_request", e.getMessage(), null);
        }
        List<SnapshotInfo> snapshots;
        try {
            snapshots = store.list(container, prefix);
        } catch (RuntimeException e) {
            return error(503, "unavailable", "The snapshots could not be listed; try again later", e);
        }
        ObjectNode body = SnapshotStore.JSON.createObjectNode().put("container", container).put("prefix", prefix);
        ArrayNode array = body.putArray("snapshots");
        snapshots.forEach(info -> array.add(SnapshotStore.JSON.valueToTree(info)));
        return new Answer(200, body.toString(), null);
    }

    private static String prefix(Map<String, String> query) {
        String prefix = query.get("prefix");
        String rootDirectory = query.get("rootDirectory");
        if (prefix != null && rootDirectory != null) {
            throw new IllegalArgumentException("prefix and rootDirectory both name a backup; give one of them");
        }
        if (rootDirectory != null) {
            if (rootDirectory.isBlank()) {
                throw new IllegalArgumentException("rootDirectory must not be blank");
            }
            String derived = BlobNames.defaultPrefix(rootDirectory);
            BlobNames.checkPrefix("rootDirectory's default prefix", derived);
            return derived;
        }
        String given = prefix == null ? "" : prefix;
        BlobNames.checkPrefix("prefix", given);
        return given;
    }

    private static Answer error(int status, String code, String message, RuntimeException failure) {
        ObjectNode body = SnapshotStore.JSON.createObjectNode().put("error", code).put("message", message);
        return new Answer(status, body.toString(), failure);
    }
}
