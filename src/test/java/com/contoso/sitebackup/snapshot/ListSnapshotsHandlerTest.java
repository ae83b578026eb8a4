package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@code GET /snapshots/{container}} answers, against snapshots written on Azurite. */
@AzuriteTest
class ListSnapshotsHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFESTS = "backup-manifests";

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "list-" + UUID.randomUUID().toString().substring(0, 8);
    private final SnapshotStore store = new SnapshotStore(service, MANIFESTS);
    private final ListSnapshotsHandler handler = new ListSnapshotsHandler(store, MANIFESTS);

    private SnapshotInfo write(String id, String prefix) {
        try (SnapshotWriter writer = store.create(TestSnapshots.info(id, container, prefix))) {
            writer.add(new FileEntry("index.html", 5, 1));
            return writer.commit();
        }
    }

    private static Map<String, String> query(String... pairs) {
        Map<String, String> query = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    @Test
    void list_prefix_200WithItsSnapshotsOldestFirst() throws IOException {
        SnapshotInfo second = write("20261126T010000.000Z", "home/site/wwwroot");
        SnapshotInfo first = write("20261125T010000.000Z", "home/site/wwwroot");
        write("20261125T010000.000Z", "home/other");

        ListSnapshotsHandler.Answer answer = handler.list(container, query("prefix", "home/site/wwwroot", "code", "key"));

        assertEquals(200, answer.status());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(container, body.get("container").asText());
        assertEquals("home/site/wwwroot", body.get("prefix").asText());
        assertEquals(List.of(first, second), JSON.convertValue(body.get("snapshots"),
                JSON.getTypeFactory().constructCollectionType(List.class, SnapshotInfo.class)));
        assertEquals(1, body.get("snapshots").get(0).get("files").asLong());
        assertNull(answer.failure());
    }

    @Test
    void list_rootDirectory_itsDefaultPrefix() throws IOException {
        write("20261125T010000.000Z", "home/site/wwwroot");

        JsonNode body = JSON.readTree(handler.list(container, query("rootDirectory", "/home/site/wwwroot/")).body());

        assertEquals("home/site/wwwroot", body.get("prefix").asText());
        assertEquals(1, body.get("snapshots").size());
    }

    @Test
    void list_noPrefix_400NoBackupIsAtTheContainersRoot() throws IOException {
        write("20261125T010000.000Z", "home/site/wwwroot");

        assertBadRequest(handler.list(container, null), "prefix must not be empty");
    }

    @Test
    void list_aPrefixWithoutSnapshots_anEmptyList() throws IOException {
        write("20261125T010000.000Z", "home/site/wwwroot");

        ListSnapshotsHandler.Answer answer = handler.list(container, query("prefix", "home/site"));

        assertEquals(200, answer.status());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("home/site", body.get("prefix").asText());
        assertEquals(0, body.get("snapshots").size());
    }

    @Test
    void list_badArguments_400JsonNamingTheArgument() throws IOException {
        assertBadRequest(handler.list("Not_A_Container", query()), "container 'Not_A_Container'");
        assertBadRequest(handler.list(MANIFESTS, query()), "container 'backup-manifests' is reserved");
        assertBadRequest(handler.list("azure-webjobs-hosts", query()), "is reserved");
        assertBadRequest(handler.list(null, query()), "container");
        assertBadRequest(handler.list(container, query("prefix", "a/../b")), "prefix 'a/../b'");
        assertBadRequest(handler.list(container, query("prefix", "/a")), "prefix '/a'");
        assertBadRequest(handler.list(container, query("prefix", "a\nb")), "prefix 'a\\u000Ab'");
        assertBadRequest(handler.list(container, query("rootDirectory", "/a/./b")), "rootDirectory");
        assertBadRequest(handler.list(container, query("rootDirectory", " ")), "rootDirectory");
        assertBadRequest(handler.list(container, query("prefix", "a", "rootDirectory", "/a")), "prefix and rootDirectory");
    }

    @Test
    void list_storageUnreachable_503WithoutDetails() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BlobServiceClient down = new BlobServiceClientBuilder().endpoint("http://127.0.0.1:" + port + "/" + Azurite.ACCOUNT)
                .credential(new StorageSharedKeyCredential(Azurite.ACCOUNT, Azurite.DEV_KEY))
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, Duration.ofSeconds(5), null, null, null))
                .buildClient();

        ListSnapshotsHandler.Answer answer = new ListSnapshotsHandler(new SnapshotStore(down, MANIFESTS), MANIFESTS)
                .list(container, query("prefix", "site"));

        assertEquals(503, answer.status());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("unavailable", body.get("error").asText());
        assertFalse(answer.body().contains("127.0.0.1"), "nothing about the storage account: " + answer.body());
        assertNotNull(answer.failure(), "the cause, for the log");
    }

    private static void assertBadRequest(ListSnapshotsHandler.Answer answer, String words) throws IOException {
        assertEquals(400, answer.status(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("invalid_request", body.get("error").asText());
        assertTrue(body.get("message").asText().contains(words), "'" + words + "' not in " + body);
    }
}
