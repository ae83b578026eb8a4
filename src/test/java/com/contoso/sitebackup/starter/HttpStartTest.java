package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.config.JobSetting;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.standin.stack.SidecarProcess;
import com.contoso.sitebackup.testing.Sidecars;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.testing.DurableClients;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.StandInWorker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
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
import com.microsoft.durabletask.NewOrchestrationInstanceOptions;
import com.microsoft.durabletask.OrchestrationMetadata;
import com.microsoft.durabletask.OrchestrationRuntimeStatus;
import com.microsoft.durabletask.azurefunctions.DurableClientContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.Answers;

/**
 * The starter through its trigger method. Bad requests with the Functions and Durable types mocked (nothing
 * may reach the client); starts, and the 409 when the target is busy, against a real Durable Task engine
 * (durabletask-go) through a {@code DurableClientContext} bound as the host binds it, with stand-in
 * orchestrators that stay Running until the test lets them finish.
 */
class HttpStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @TempDir
    static Path engineDirectory;

    private static SidecarProcess engine;
    private static StandInWorker worker;
    private static DurableTaskClient engineClient;

    private Path allowed;
    private Path site;
    private StartRequestHandler handler;
    private HttpStart function;
    private DurableClientContext durableContext;
    private DurableTaskClient client;
    private ExecutionContext context;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        site = Files.createDirectories(allowed.resolve("site"));
        handler = new StartRequestHandler(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(allowed), List.of()), "backups", "backup-manifests");
        function = new HttpStart(handler);
        client = mock(DurableTaskClient.class);
        durableContext = mock(DurableClientContext.class);
        when(durableContext.getClient()).thenReturn(client);
        context = mock(ExecutionContext.class);
        when(context.getLogger()).thenReturn(Logger.getLogger(HttpStartTest.class.getName()));
    }

    /**
     * The Durable Task engine (the durabletask-go sidecar) the scheduling tests start through, with stand-ins that stay
     * Running until told to finish; started on first use, so the validation tests need no engine.
     */
    private static synchronized SidecarProcess engine() {
        if (engine == null) {
            engine = Sidecars.start(engineDirectory.resolve("engine"));
            worker = StandInWorker.start(engine, List.of("BackupSiteContent", "VerifyBackup", "RestoreSiteContent", "RunJob"));
            engineClient = DurableClients.client(engine);
        }
        return engine;
    }

    private static DurableTaskClient engineClient() {
        engine();
        return engineClient;
    }

    @AfterAll
    static void stopEngine() {
        if (engineClient != null) {
            engineClient.close();
            worker.close();
            engine.close();
        }
    }

    /** A POST through the starter, its durable client the engine's, bound as the host binds it. */
    private HttpResponseMessage realPost(String functionName, String body, Recorded recorded) {
        return function.run(request(Map.of("Content-Type", "application/json"), Optional.of(body), recorded), functionName,
                DurableClients.context(engine()), context);
    }

    /** Asserts the 409 JSON naming {@code instanceId} as the running instance, with its status URL. */
    private static JsonNode assertConflict(HttpResponseMessage response, Recorded recorded, String instanceId) throws IOException {
        assertEquals(409, response.getStatusCode());
        assertEquals(1, recorded.builds);
        assertEquals("application/json", response.getHeader("Content-Type"));
        JsonNode body = JSON.readTree((String) response.getBody());
        assertEquals("already_running", body.get("error").asText());
        assertEquals(instanceId, body.get("instanceId").asText());
        assertEquals("RUNNING", body.get("runtimeStatus").asText());
        assertTrue(body.get("message").asText().contains(instanceId), body.toString());
        assertTrue(body.get("statusQueryGetUri").asText().contains("/instances/" + instanceId + "?code=test-system-key"),
                body.toString());
        return body;
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
        when(request.getUri()).thenReturn(URI.create("http://localhost:7071/orchestrators/any"));
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
    void run_validJsonString_schedulesBackupUnderItsTargetsIdAndReturnsCheckStatusResponse() throws IOException {
        Recorded recorded = new Recorded();
        HttpRequestMessage<Optional<String>> request = request(Map.of("Content-Type", "application/json; charset=utf-8"),
                Optional.of(quoted(allowed + "//site/")), recorded);

        HttpResponseMessage response = function.run(request, "BackupSiteContent", DurableClients.context(engine()), context);

        String id = InstanceIds.backup("backups", site.toString().substring(1));
        assertEquals(202, response.getStatusCode());
        assertTrue(response.getHeader("Location").contains("/instances/" + id + "?"), response.getHeader("Location"));
        // The body is JSON text with its URLs as they are: nothing for the worker's Gson to escape.
        String body = (String) response.getBody();
        assertFalse(body.contains("\\u003d") || body.contains("\\u0026"), body);
        JsonNode payload = new ObjectMapper().readTree(body);
        assertEquals(id, payload.get("id").asText());
        assertEquals(response.getHeader("Location"), payload.get("statusQueryGetUri").asText());
        assertTrue(payload.get("statusQueryGetUri").asText().endsWith(id + "?code=test-system-key"), body);
        assertTrue(payload.get("terminatePostUri").asText().contains("/terminate?reason={text}&code=test-system-key"),
                body);
        assertEquals(Set.of("id", "purgeHistoryDeleteUri", "restartPostUri", "sendEventPostUri", "statusQueryGetUri",
                "terminatePostUri", "resumePostUri", "suspendPostUri"), fieldNames(payload));
        OrchestrationMetadata scheduled = StandInWorker.awaitRunning(engineClient(), id);
        assertEquals("BackupSiteContent", scheduled.getName());
        BackupRequest input = scheduled.readInputAs(BackupRequest.class);
        assertEquals(site.toString(), input.getRootDirectory());
        assertEquals("backups", input.getContainer());
        assertEquals(site.toString().substring(1), input.getBlobPrefix());
        assertFalse(input.isDryRun());
        StandInWorker.finish(engineClient(), id);
    }

    @Test
    void run_validJsonObject_schedulesBackupWithItsFields() {
        Recorded recorded = new Recorded();
        String body = "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"nightly\",\"blobPrefix\":\"web\","
                + "\"exclude\":[\"*.tmp\"],\"dryRun\":true}";

        HttpResponseMessage response = realPost("BackupSiteContent", body, recorded);

        assertEquals(202, response.getStatusCode());
        String id = InstanceIds.backup("nightly", "web");
        BackupRequest scheduled = StandInWorker.awaitRunning(engineClient(), id).readInputAs(BackupRequest.class);
        assertEquals(site.toString(), scheduled.getRootDirectory());
        assertEquals("nightly", scheduled.getContainer());
        assertEquals("web", scheduled.getBlobPrefix());
        assertEquals(List.of("*.tmp"), scheduled.getExclude());
        assertTrue(scheduled.isDryRun());
        StandInWorker.finish(engineClient(), id);
    }

    @Test
    void run_backupOfTheSameContainerAndPrefixRunning_409NamingTheInstanceAndNothingScheduled() throws IOException {
        String body = "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"c409\",\"blobPrefix\":\"web\"}";
        assertEquals(202, realPost("BackupSiteContent", body, new Recorded()).getStatusCode());
        String id = InstanceIds.backup("c409", "web");
        OrchestrationMetadata first = StandInWorker.awaitRunning(engineClient(), id);
        Path other = Files.createDirectories(allowed.resolve("other"));
        Recorded recorded = new Recorded();

        // Another directory into the same container and prefix: the same blobs, so the same target.
        HttpResponseMessage response = realPost("BackupSiteContent",
                "{\"rootDirectory\":" + quoted(other) + ",\"container\":\"c409\",\"blobPrefix\":\"web\"}", recorded);

        JsonNode conflict = assertConflict(response, recorded, id);
        assertTrue(conflict.get("message").asText().contains("a backup to container 'c409', prefix 'web'"), conflict.toString());
        OrchestrationMetadata now = engineClient().getInstanceMetadata(id, true);
        assertEquals(first.getCreatedAt(), now.getCreatedAt(), "the running backup is untouched");
        assertEquals(site.toString(), now.readInputAs(BackupRequest.class).getRootDirectory());
        StandInWorker.finish(engineClient(), id);
    }

    @Test
    void run_sameTargetFinished_202StartsANewRun() {
        String body = "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"again\"}";
        realPost("BackupSiteContent", body, new Recorded());
        String id = InstanceIds.backup("again", site.toString().substring(1));
        OrchestrationMetadata first = StandInWorker.finish(engineClient(), id);

        HttpResponseMessage response = realPost("BackupSiteContent", body, new Recorded());

        assertEquals(202, response.getStatusCode());
        OrchestrationMetadata second = StandInWorker.awaitRunning(engineClient(), id);
        assertTrue(second.getCreatedAt().isAfter(first.getCreatedAt()));
        StandInWorker.finish(engineClient(), id);
    }

    @Test
    void run_otherPrefixWhileABackupRuns_202BothRun() {
        realPost("BackupSiteContent", "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"two\",\"blobPrefix\":\"a\"}",
                new Recorded());
        HttpResponseMessage response = realPost("BackupSiteContent",
                "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"two\",\"blobPrefix\":\"b\"}", new Recorded());

        assertEquals(202, response.getStatusCode());
        for (String prefix : List.of("a", "b")) {
            assertEquals(OrchestrationRuntimeStatus.RUNNING,
                    StandInWorker.awaitRunning(engineClient(), InstanceIds.backup("two", prefix)).getRuntimeStatus());
            StandInWorker.finish(engineClient(), InstanceIds.backup("two", prefix));
        }
    }

    @Test
    void run_scheduledJobRunningOnTheSameTarget_409NamingTheJob() throws IOException {
        BackupRequest nightly = BackupRequest.of(site.toString()).withDefaults("jobs");
        engineClient().scheduleNewOrchestrationInstance("RunJob", new NewOrchestrationInstanceOptions()
                .setInstanceId("job-n409").setInput(new JobRequest("n409", nightly, null, null)));
        StandInWorker.awaitRunning(engineClient(), "job-n409");
        HttpStart withJobs = new HttpStart(handler, () -> List.of(new JobSetting("n409", quoted(site), false, null)));
        Recorded recorded = new Recorded();

        HttpResponseMessage response = withJobs.run(request(Map.of("Content-Type", "application/json"),
                Optional.of("{\"rootDirectory\":" + quoted(site) + ",\"container\":\"jobs\"}"), recorded),
                "BackupSiteContent", DurableClients.context(engine()), context);

        assertConflict(response, recorded, "job-n409");
        assertFalse(engineClient().getInstanceMetadata(InstanceIds.backup("jobs", nightly.getBlobPrefix()), false).isInstanceFound());
        StandInWorker.finish(engineClient(), "job-n409");
    }

    @Test
    void run_scheduledJobPruningTheSamePrefix_retention409NamingTheJob() throws IOException {
        BackupRequest nightly = BackupRequest.of(site.toString()).withDefaults("jobs");
        RetentionRequest pruning = new RetentionRequest("jobs", nightly.getBlobPrefix(), 3, 0, 0, false, null);
        engineClient().scheduleNewOrchestrationInstance("RunJob", new NewOrchestrationInstanceOptions()
                .setInstanceId("job-r409").setInput(new JobRequest("r409", nightly, null, pruning)));
        StandInWorker.awaitRunning(engineClient(), "job-r409");
        HttpStart withJobs = new HttpStart(handler, () -> List.of(new JobSetting("r409", quoted(site), false,
                "{\"keepLast\": 3}")));
        Recorded recorded = new Recorded();

        HttpResponseMessage response = withJobs.run(request(Map.of("Content-Type", "application/json"),
                Optional.of("{\"container\": \"jobs\", \"blobPrefix\": " + quoted(nightly.getBlobPrefix())
                        + ", \"keepLast\": 1}"), recorded),
                "ApplyRetention", DurableClients.context(engine()), context);

        assertConflict(response, recorded, "job-r409");
        assertFalse(engineClient().getInstanceMetadata(InstanceIds.retention("jobs", nightly.getBlobPrefix()), false)
                .isInstanceFound());
        StandInWorker.finish(engineClient(), "job-r409");
    }

    @Test
    void run_restoreIntoTheSameDirectoryRunning_409() throws IOException {
        Path target = allowed.resolve("restored");
        String body = "{\"blobPrefix\": \"web\", \"targetDirectory\": " + quoted(target) + "}";
        realPost("RestoreSiteContent", body, new Recorded());
        String id = InstanceIds.restore(target.toString());
        StandInWorker.awaitRunning(engineClient(), id);
        Recorded recorded = new Recorded();

        HttpResponseMessage response = realPost("RestoreSiteContent",
                "{\"blobPrefix\": \"other\", \"targetDirectory\": " + quoted(target) + "}", recorded);

        JsonNode conflict = assertConflict(response, recorded, id);
        assertTrue(conflict.get("message").asText().contains("a restore into '" + target + "'"), conflict.toString());
        StandInWorker.finish(engineClient(), id);
    }

    /**
     * Issue 23, item 5: the 409's log line wrote a restore target's newline and ESC raw, so a caller could forge a
     * log line (or colour a terminal). The line now shows them escaped; the JSON body keeps the name exactly.
     */
    @Test
    void run_restoreTargetWithNewlineEscAndBidiRunning_409LogLineEscaped() throws IOException {
        Path target = allowed.resolve("restored\n[ERROR] forged line \u001b[31mred \u202Eexe.txt");
        String body = "{\"blobPrefix\": \"web\", \"targetDirectory\": " + quoted(target) + "}";
        realPost("RestoreSiteContent", body, new Recorded());
        String id = InstanceIds.restore(target.toString());
        StandInWorker.awaitRunning(engineClient(), id);
        RecordingContext recording = new RecordingContext(HttpStart.NAME);
        Recorded recorded = new Recorded();

        HttpResponseMessage response = function.run(request(Map.of("Content-Type", "application/json"),
                Optional.of(body), recorded), "RestoreSiteContent", DurableClients.context(engine()), recording);

        JsonNode conflict = assertConflict(response, recorded, id);
        assertTrue(conflict.get("message").asText().contains(target.toString()), "the body names the target exactly");
        List<String> lines = recording.records().stream().map(java.util.logging.LogRecord::getMessage).toList();
        System.out.println("409 log lines: " + lines);
        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        assertTrue(line.startsWith("Not started: a restore into '"), line);
        assertTrue(line.contains("restored\\u000A[ERROR] forged line \\u001B[31mred \\u202Eexe.txt"), line);
        assertTrue(line.chars().noneMatch(c -> c == '\n' || c == 0x1B || c == 0x202E), line);
        StandInWorker.finish(engineClient(), id);
    }

    @Test
    void run_verifyOfTheSameContainerAndPrefixRunning_409() throws IOException {
        String body = "{\"rootDirectory\":" + quoted(site) + ",\"container\":\"v409\"}";
        realPost("VerifyBackup", body, new Recorded());
        String id = InstanceIds.verify("v409", site.toString().substring(1));
        StandInWorker.awaitRunning(engineClient(), id);
        Recorded recorded = new Recorded();

        assertConflict(realPost("VerifyBackup", body, recorded), recorded, id);
        StandInWorker.finish(engineClient(), id);
    }

    @Test
    void run_schedulingThrows_503JsonWithoutStackTrace() throws IOException {
        when(client.getInstanceMetadata(anyString(), anyBoolean()))
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
            "BackupSiteContent | application/json | {\"rootDirectory\":\"SITE\",\"instanceId\":\"x\"} | 400 | invalid_request | Unknown field 'instanceId'",
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

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
