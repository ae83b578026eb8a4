package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.files.SecureRoots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.azurefunctions.DurableClientContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.Answers;
import org.mockito.ArgumentCaptor;

/** The starter through its trigger method, with the Functions and Durable types mocked. */
class HttpStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path allowed;
    private Path site;
    private HttpStart function;
    private DurableClientContext durableContext;
    private DurableTaskClient client;
    private ExecutionContext context;
    private HttpResponseMessage checkStatusResponse;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        site = Files.createDirectories(allowed.resolve("site"));
        function = new HttpStart(new StartRequestHandler(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(allowed), List.of()), "backups", "backup-manifests"));
        client = mock(DurableTaskClient.class);
        durableContext = mock(DurableClientContext.class);
        when(durableContext.getClient()).thenReturn(client);
        checkStatusResponse = mock(HttpResponseMessage.class);
        when(durableContext.createCheckStatusResponse(any(), anyString())).thenReturn(checkStatusResponse);
        context = mock(ExecutionContext.class);
        when(context.getLogger()).thenReturn(Logger.getLogger(HttpStartTest.class.getName()));
    }

    /** What a response builder was given. */
    private static final class Recorded {
        HttpStatusType status;
        final Map<String, String> headers = new HashMap<>();
        Object body;
        int builds;
    }

    private static HttpRequestMessage<Optional<String>> request(Map<String, String> headers, Optional<String> body,
                                                               Recorded recorded) {
        @SuppressWarnings("unchecked")
        HttpRequestMessage<Optional<String>> request = mock(HttpRequestMessage.class);
        when(request.getHeaders()).thenReturn(headers);
        when(request.getBody()).thenReturn(body);
        HttpResponseMessage.Builder builder = mock(HttpResponseMessage.Builder.class, withSettings().defaultAnswer(Answers.RETURNS_SELF));
        when(builder.header(anyString(), anyString())).thenAnswer(i -> {
            recorded.headers.put(i.getArgument(0), i.getArgument(1));
            return builder;
        });
        when(builder.body(any())).thenAnswer(i -> {
            recorded.body = i.getArgument(0);
            return builder;
        });
        when(builder.status(any())).thenAnswer(i -> {
            recorded.status = i.getArgument(0);
            return builder;
        });
        when(builder.build()).thenAnswer(i -> {
            recorded.builds++;
            HttpResponseMessage response = mock(HttpResponseMessage.class);
            when(response.getStatus()).thenReturn(recorded.status);
            when(response.getStatusCode()).thenReturn(recorded.status.value());
            when(response.getBody()).thenReturn(recorded.body);
            when(response.getHeader(anyString())).thenAnswer(h -> recorded.headers.get(h.<String>getArgument(0)));
            return response;
        });
        when(request.createResponseBuilder(any(HttpStatus.class))).thenAnswer(i -> {
            recorded.status = i.getArgument(0);
            return builder;
        });
        when(request.createResponseBuilder(any(HttpStatusType.class))).thenAnswer(i -> {
            recorded.status = i.getArgument(0);
            return builder;
        });
        return request;
    }

    private HttpResponseMessage post(String functionName, String contentType, String body, Recorded recorded) {
        Map<String, String> headers = new HashMap<>();
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        return function.run(request(headers, Optional.ofNullable(body), recorded), functionName, durableContext, context);
    }

    private static String quoted(Object text) {
        return JSON.getNodeFactory().textNode(text.toString()).toString();
    }

    /** Asserts a JSON error response with {@code status} and {@code error}, and that nothing was scheduled. */
    private JsonNode assertErrorResponse(HttpResponseMessage response, Recorded recorded, int status, String error,
                                         String... words) throws IOException {
        assertEquals(status, response.getStatusCode());
        assertEquals(1, recorded.builds);
        assertEquals("application/json", response.getHeader("Content-Type"));
        JsonNode body = JSON.readTree((String) response.getBody());
        assertEquals(error, body.get("error").asText());
        for (String word : words) {
            assertTrue(body.get("message").asText().contains(word), "'" + word + "' not in " + body);
        }
        verifyNoInteractions(client);
        verify(durableContext, never()).createCheckStatusResponse(any(), any());
        return body;
    }

    @Test
    void run_unknownOrchestrator_404JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        HttpResponseMessage response = post("DeleteEverything", "application/json", quoted(site), recorded);
        assertErrorResponse(response, recorded, 404, "unknown_orchestrator", "'DeleteEverything'", "BackupSiteContent");
    }

    @Test
    void run_missingBody_400JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        assertErrorResponse(post("BackupSiteContent", "application/json", null, recorded), recorded, 400,
                "invalid_request", "body is required");
    }

    @Test
    void run_nullBodyOptional_400JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        Map<String, String> headers = Map.of("Content-Type", "application/json");
        HttpResponseMessage response = function.run(request(headers, null, recorded), "BackupSiteContent",
                durableContext, context);
        assertErrorResponse(response, recorded, 400, "invalid_request", "body is required");
    }

    @Test
    void run_malformedBody_400JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        assertErrorResponse(post("BackupSiteContent", "application/json", "{\"rootDirectory\": ", recorded), recorded,
                400, "invalid_json", "not valid JSON");
    }

    @Test
    void run_wrongContentType_415JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        assertErrorResponse(post("BackupSiteContent", "text/plain", quoted(site), recorded), recorded, 415,
                "unsupported_media_type", "'text/plain'");
    }

    @Test
    void run_missingContentType_415JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        assertErrorResponse(post("BackupSiteContent", null, quoted(site), recorded), recorded, 415,
                "unsupported_media_type", "missing");
    }

    @Test
    void run_nullHeaders_415JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        HttpResponseMessage response = function.run(request(null, Optional.of(quoted(site)), recorded),
                "BackupSiteContent", durableContext, context);
        assertErrorResponse(response, recorded, 415, "unsupported_media_type");
    }

    @Test
    void run_rootOutsideAllowedRoots_400JsonAndNothingScheduled() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Recorded recorded = new Recorded();
        assertErrorResponse(post("BackupSiteContent", "application/json", quoted(outside), recorded), recorded, 400,
                "invalid_request", "rootDirectory '" + outside + "' is not a directory this app may read (it must be a"
                        + " folder under one of the configured read roots, reached without symbolic links)");
    }

    @Test
    void run_invalidFieldValues_400JsonAndNothingScheduled() throws IOException {
        Recorded recorded = new Recorded();
        String body = "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"Not_Valid\"}";
        assertErrorResponse(post("BackupSiteContent", "application/json", body, recorded), recorded, 400,
                "invalid_request", "container 'Not_Valid'");
    }

    @Test
    void run_validJsonString_schedulesBackupWithCanonicalRootAndReturnsCheckStatusResponse() {
        when(client.scheduleNewOrchestrationInstance(eq("BackupSiteContent"), any(Object.class))).thenReturn("instance-1");
        Recorded recorded = new Recorded();
        HttpRequestMessage<Optional<String>> request = request(Map.of("Content-Type", "application/json; charset=utf-8"),
                Optional.of(quoted(allowed + "//site/")), recorded);

        HttpResponseMessage response = function.run(request, "BackupSiteContent", durableContext, context);

        assertSame(checkStatusResponse, response);
        ArgumentCaptor<Object> input = ArgumentCaptor.forClass(Object.class);
        verify(client).scheduleNewOrchestrationInstance(eq("BackupSiteContent"), input.capture());
        BackupRequest scheduled = (BackupRequest) input.getValue();
        assertEquals(site.toString(), scheduled.getRootDirectory());
        assertEquals("backups", scheduled.getContainer());
        assertEquals(site.toString().substring(1), scheduled.getBlobPrefix());
        assertFalse(scheduled.isDryRun());
        verify(durableContext).createCheckStatusResponse(request, "instance-1");
        verify(client).close();
        assertEquals(0, recorded.builds);
    }

    @Test
    void run_validJsonObject_schedulesBackupWithItsFields() {
        when(client.scheduleNewOrchestrationInstance(eq("BackupSiteContent"), any(Object.class))).thenReturn("instance-2");
        Recorded recorded = new Recorded();
        String body = "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"nightly\",\"blobPrefix\":\"web\","
                + "\"exclude\":[\"*.tmp\"],\"dryRun\":true}";

        HttpResponseMessage response = post("BackupSiteContent", "application/json", body, recorded);

        assertSame(checkStatusResponse, response);
        ArgumentCaptor<Object> input = ArgumentCaptor.forClass(Object.class);
        verify(client).scheduleNewOrchestrationInstance(eq("BackupSiteContent"), input.capture());
        BackupRequest scheduled = (BackupRequest) input.getValue();
        assertEquals(site.toString(), scheduled.getRootDirectory());
        assertEquals("nightly", scheduled.getContainer());
        assertEquals("web", scheduled.getBlobPrefix());
        assertEquals(List.of("*.tmp"), scheduled.getExclude());
        assertTrue(scheduled.isDryRun());
    }

    @Test
    void run_schedulingThrows_503JsonWithoutStackTrace() throws IOException {
        when(client.scheduleNewOrchestrationInstance(anyString(), any(Object.class)))
                .thenThrow(new IllegalStateException("connection refused: AccountKey=c2VjcmV0"));
        Recorded recorded = new Recorded();

        HttpResponseMessage response = post("BackupSiteContent", "application/json", quoted(site), recorded);

        assertEquals(503, response.getStatusCode());
        assertEquals("application/json", response.getHeader("Content-Type"));
        String text = (String) response.getBody();
        JsonNode body = JSON.readTree(text);
        assertEquals("unavailable", body.get("error").asText());
        assertTrue(body.get("message").asText().contains("try again"), text);
        assertFalse(text.contains("Exception"), text);
        assertFalse(text.contains("AccountKey"), text);
        assertFalse(text.contains("\tat "), text);
        assertFalse(text.contains("at com."), text);
        verify(durableContext, never()).createCheckStatusResponse(any(), any());
        verify(client).close();
    }

    /**
     * Bad requests through the trigger: {@code SITE} in a body stands for the allowed site directory, {@code FILE}
     * for a regular file in it, {@code ESCAPE} for a symlink in the allowed root that points outside it.
     */
    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "GetFileList       | application/json | \"SITE\"                                    | 404 | unknown_orchestrator   | 'GetFileList'",
            "BackupSiteContent | application/json | `   `                                       | 400 | invalid_request        | body is required",
            "BackupSiteContent | text/plain       | \"SITE\"                                    | 415 | unsupported_media_type | 'text/plain'",
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\"}}                | 400 | invalid_json           | not valid JSON",
            "BackupSiteContent | application/json | [\"SITE\"]                                  | 400 | invalid_request        | JSON string or object",
            "BackupSiteContent | application/json | \"site/relative\"                           | 400 | invalid_request        | must be an absolute path",
            "BackupSiteContent | application/json | \"SITE/missing\"                            | 400 | invalid_request        | is not a directory this app may read",
            "BackupSiteContent | application/json | \"FILE\"                                    | 400 | invalid_request        | is not a directory this app may read",
            "BackupSiteContent | application/json | \"ESCAPE\"                                  | 400 | invalid_request        | is not a directory this app may read",
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\",\"container\":\"backup-manifests\"} | 400 | invalid_request | container 'backup-manifests' is reserved",
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\",\"dryRun\":\"yes\"}   | 400 | invalid_request        | dryRun must be true or false",
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\",\"include\":\"*.x\"}  | 400 | invalid_request        | include must be an array of strings",
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\",\"root\":\"/\"}       | 400 | invalid_request        | Unknown field 'root'",
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\",\"container\":\"a\"}  | 400 | invalid_request        | container 'a'",
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\",\"exclude\":[\"[x\"]} | 400 | invalid_request        | exclude pattern '[x'"})
    void run_badRequest_4xxJsonNamingTheProblemAndNothingScheduled(String functionName, String contentType,
                                                                   String body, int status, String error,
                                                                   String words) throws IOException {
        Path file = Files.writeString(site.resolve("index.html"), "<html/>");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path escape = Files.createSymbolicLink(allowed.resolve("escape"), outside);
        String resolved = body.replace("SITE", site.toString()).replace("FILE", file.toString())
                .replace("ESCAPE", escape.toString());
        Recorded recorded = new Recorded();

        HttpResponseMessage response = post(functionName, contentType, resolved, recorded);

        assertErrorResponse(response, recorded, status, error, words);
    }
}
