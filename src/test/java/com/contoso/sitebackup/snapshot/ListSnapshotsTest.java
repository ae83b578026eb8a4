package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.contoso.sitebackup.fs.FileEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.mockito.Answers;

/** The trigger: its binding, and a request through it answered with the handler's status and JSON. */
@AzuriteTest
class ListSnapshotsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String container = "trigger-" + UUID.randomUUID().toString().substring(0, 8);
    private final SnapshotStore store = new SnapshotStore(Azurite.shared().client(), "backup-manifests");
    private final ListSnapshots function = new ListSnapshots(new ListSnapshotsHandler(store, "backup-manifests"));

    @Test
    void run_annotations_getOnSnapshotsRouteWithAFunctionKey() throws NoSuchMethodException {
        Method run = ListSnapshots.class.getMethod("run", HttpRequestMessage.class, String.class, ExecutionContext.class);
        HttpTrigger trigger = run.getParameters()[0].getAnnotation(HttpTrigger.class);
        assertEquals("snapshots/{container}", trigger.route());
        assertEquals(AuthorizationLevel.FUNCTION, trigger.authLevel());
        assertEquals(HttpMethod.GET, trigger.methods()[0]);
        assertEquals(1, trigger.methods().length);
    }

    @Test
    void run_aBackupWithASnapshot_200Json() throws Exception {
        try (SnapshotWriter writer = store.create(TestSnapshots.info("20261126T010000.000Z", container, "site"))) {
            writer.add(new FileEntry("a", 1, 1));
            writer.commit();
        }
        Map<String, Object> response = new HashMap<>();

        HttpResponseMessage answer = function.run(request(Map.of("prefix", "site"), response), container, context());

        assertEquals(200, answer.getStatusCode());
        assertEquals("application/json", response.get("Content-Type"));
        JsonNode body = JSON.readTree((String) answer.getBody());
        assertEquals("20261126T010000.000Z", body.get("snapshots").get(0).get("id").asText());
    }

    @Test
    void run_badContainer_400Json() throws Exception {
        Map<String, Object> response = new HashMap<>();

        HttpResponseMessage answer = function.run(request(Map.of(), response), "Bad!", context());

        assertEquals(400, answer.getStatusCode());
        assertEquals("application/json", response.get("Content-Type"));
        assertTrue(JSON.readTree((String) answer.getBody()).get("message").asText().contains("container 'Bad!'"));
    }

    private static ExecutionContext context() {
        ExecutionContext context = mock(ExecutionContext.class);
        when(context.getLogger()).thenReturn(Logger.getLogger(ListSnapshotsTest.class.getName()));
        return context;
    }

    /** A GET with {@code query}; what the response builder is given goes into {@code response}. */
    private static HttpRequestMessage<Optional<String>> request(Map<String, String> query, Map<String, Object> response) {
        @SuppressWarnings("unchecked")
        HttpRequestMessage<Optional<String>> request = mock(HttpRequestMessage.class);
        when(request.getQueryParameters()).thenReturn(query);
        HttpResponseMessage.Builder builder = mock(HttpResponseMessage.Builder.class,
                withSettings().defaultAnswer(Answers.RETURNS_SELF));
        when(builder.header(anyString(), anyString())).thenAnswer(i -> {
            response.put(i.getArgument(0), i.getArgument(1));
            return builder;
        });
        when(builder.body(any())).thenAnswer(i -> {
            response.put("body", i.getArgument(0));
            return builder;
        });
        when(builder.build()).thenAnswer(i -> {
            HttpResponseMessage built = mock(HttpResponseMessage.class);
            when(built.getStatusCode()).thenReturn(((HttpStatus) response.get("status")).value());
            when(built.getBody()).thenReturn(response.get("body"));
            return built;
        });
        when(request.createResponseBuilder(any(HttpStatus.class))).thenAnswer(i -> {
            response.put("status", i.getArgument(0));
            return builder;
        });
        return request;
    }
}
