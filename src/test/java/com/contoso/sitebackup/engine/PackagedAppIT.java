package com.contoso.sitebackup.engine;

import com.contoso.sitebackup.standin.host.HttpCall;
import com.contoso.sitebackup.standin.host.HttpResult;
import com.contoso.sitebackup.standin.host.InvocationFailure;
import com.contoso.sitebackup.standin.host.PackagedApp;

import com.contoso.sitebackup.durable.CodeVersion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.e2e.TreeCheck;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CreateInstanceRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CreateInstanceResponse;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.ExecutionStartedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.GetInstanceRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.GetInstanceResponse;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.HistoryEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationInstance;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorRequest;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorStartedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceCompletedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceCreatedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.SubOrchestrationInstanceFailedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskCompletedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailureDetails;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskScheduledEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TimerCreatedEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TimerFiredEvent;
import com.microsoft.durabletask.implementation.protobuf.TaskHubSidecarServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged app, and nothing else, run as the Java worker runs it (failsafe, after {@code package}): only
 * {@code target/azure-functions/<app>/} (app jar + {@code lib/}) in a class loader whose parent holds only what
 * the worker provides. Orchestrators go through the Durable middleware that {@code lib/} registers, activities
 * get their inputs bound by Gson, the starter builds its durable client from a Gson-bound client context.
 *
 * <p>Every orchestrator input and activity result below is produced by the packaged app itself: each
 * orchestrator is started with a request (as the starter would send it), every activity it schedules runs on
 * the packaged app with the input the orchestrator serialized, and its JSON result goes back as the completed
 * task; sub-orchestrations run the same way, timers fire at once. No backend is involved: this checks the
 * package, not the engine (the sidecar end-to-end tests do that).
 *
 * <p>The app's settings come from the environment failsafe gives this JVM (the pom): Azurite on a reserved
 * port, one read and write root, small slices.
 */
@EndToEndTest
class PackagedAppIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** With the pom's slice size of 5: 101 slices, more than a slice group, so every orchestrator runs. */
    private static final int FILES = 501;

    private static PackagedApp app;
    private static Azurite azurite;
    private static Path allowedRoot;
    private static final Set<String> ran = Collections.synchronizedSet(new TreeSet<>());
    /** The batch whose copies fail every attempt, or -1. */
    private static volatile int failingBatch = -1;

    @BeforeAll
    static void loadPackagedApp() throws IOException {
        String dir = System.getProperty("functionAppDir");
        assertNotNull(dir, "system property functionAppDir is not set (run through `mvn verify`)");
        app = PackagedApp.load(Path.of(dir));
        allowedRoot = Path.of(System.getProperty("packagedApp.allowedRoot"));
        deleteTree(allowedRoot);
        Files.createDirectories(allowedRoot);
        azurite = Azurite.startInMemory(Integer.parseInt(System.getProperty("packagedApp.azuritePort")));
    }

    @AfterAll
    static void stop() {
        if (azurite != null) {
            azurite.stop();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void load_packagedFolder_everyFunctionAndTheDurableMiddlewareFromLib() {
        assertTrue(app.functionsTriggeredBy("orchestrationTrigger").containsAll(
                List.of("BackupSiteContent", "RestoreSiteContent", "VerifyBackup")), app.functions().keySet().toString());
        assertEquals(List.of("HttpStart", "ListSnapshots"), app.functionsTriggeredBy("httpTrigger"));
        assertEquals(List.of("com.microsoft.durabletask.azurefunctions.internal.middleware.OrchestrationMiddleware"),
                app.middlewareNames());
    }

    @Test
    void orchestrators_backupRestoreVerifyThroughTheMiddleware_treeComesBackAndEveryFunctionRan() throws Exception {
        Path source = allowedRoot.resolve("source");
        long bytes = Trees.mixed(source, FILES, 0, 7);
        BlobContainerClient container = azurite.client().getBlobContainerClient("packaged-it");

        JsonNode backup = drive("BackupSiteContent", "backup-1", """
                {"rootDirectory": %s, "container": "packaged-it", "blobPrefix": "run-1", "include": [], "exclude": [],
                 "dryRun": false, "compareContent": false}""".formatted(JSON.writeValueAsString(source.toString())));
        assertEquals(bytes, TreeCheck.assertBlobsHoldFiles(source, container, "run-1"), "blob bytes of " + backup);

        Path target = allowedRoot.resolve("restored");
        drive("RestoreSiteContent", "restore-1", """
                {"container": "packaged-it", "blobPrefix": "run-1", "targetDirectory": %s, "overwrite": false}"""
                .formatted(JSON.writeValueAsString(target.toString())));
        TreeCheck.assertSameTree(source, target, true);

        // The run's snapshot: listed over HTTP, restored as it was (FinishDirectories runs last), then pruned.
        HttpResult listed = app.runHttp("ListSnapshots", new HttpCall("GET",
                URI.create("http://localhost:7071/snapshots/packaged-it?prefix=run-1"), Map.of(),
                Map.of("prefix", "run-1"), Map.of("container", "packaged-it"), null), Map.of());
        assertEquals(200, listed.status(), listed.body());
        JsonNode snapshots = JSON.readTree(listed.body()).get("snapshots");
        assertEquals(1, snapshots.size(), listed.body());
        Path fromSnapshot = allowedRoot.resolve("restored-snapshot");
        drive("RestoreSiteContent", "restore-2", "{\"container\": \"packaged-it\", \"blobPrefix\": \"run-1\","
                + " \"targetDirectory\": " + JSON.writeValueAsString(fromSnapshot.toString()) + ", \"overwrite\": false,"
                + " \"snapshot\": " + JSON.writeValueAsString(snapshots.get(0).get("id").asText()) + "}");
        TreeCheck.assertSameTree(source, fromSnapshot, true);
        JsonNode pruned = drive("ApplyRetention", "retention-1",
                "{\"container\": \"packaged-it\", \"blobPrefix\": \"run-1\", \"keepLast\": 1}");
        assertEquals("COMPLETED", pruned.get("phase").asText(), pruned.toString());

        // A scheduled job's run: RunJob, then BackupSiteContent and VerifyBackup as its sub-orchestrations (a
        // small tree of its own, still sliced).
        Path jobSource = allowedRoot.resolve("job-source");
        long jobBytes = Trees.mixed(jobSource, 23, 0, 9);
        String request = """
                {"rootDirectory": %s, "container": "packaged-it", "blobPrefix": "job-1", "include": [], "exclude": [],
                 %s "compareContent": false}""";
        String sourceJson = JSON.writeValueAsString(jobSource.toString());
        JsonNode job = drive("RunJob", "job-packaged", "{\"name\": \"packaged\", \"backup\": "
                + request.formatted(sourceJson, "\"dryRun\": false,") + ", \"verify\": " + request.formatted(sourceJson, "") + "}");
        assertEquals(List.of("COMPLETED", Long.toString(jobBytes), "0"), List.of(job.get("step").asText(),
                job.get("bytes").asText(), job.get("differences").asText()), job.toString());
        assertEquals(jobBytes, TreeCheck.assertBlobsHoldFiles(jobSource, container, "job-1"));

        // One file changed in place (same size and mtime): only the content check finds it, and records it.
        Path changed = TreeCheck.files(source).values().stream().filter(p -> p.toFile().length() > 0)
                .findFirst().orElseThrow();
        FileTime mtime = Files.getLastModifiedTime(changed);
        byte[] content = Files.readAllBytes(changed);
        content[0] ^= 1;
        Files.write(changed, content);
        Files.setLastModifiedTime(changed, mtime);
        JsonNode report = drive("VerifyBackup", "verify-1", """
                {"rootDirectory": %s, "container": "packaged-it", "blobPrefix": "run-1", "include": [], "exclude": [],
                 "compareContent": true, "readData": true}""".formatted(JSON.writeValueAsString(source.toString())));
        assertEquals(1, report.get("differentCount").asInt(), report.toString());
        // The stored data (issue 26) is intact: the source changed, not the blobs.
        assertEquals(0, report.get("dataDamagedCount").asInt(), report.toString());
        assertEquals(TreeCheck.files(source).size(), report.get("dataChecked").asInt(), report.toString());
        long folders;
        try (java.util.stream.Stream<Path> walk = Files.walk(source)) {
            folders = walk.filter(p -> !p.equals(source) && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .count();
        }
        assertEquals(TreeCheck.files(source).size() + folders - 1, report.get("identical").asInt(),
                "every file and folder but the changed one: " + report);

        Set<String> expected = new TreeSet<>(app.functions().keySet());
        // The triggers have tests of their own below.
        expected.removeAll(app.functionsTriggeredBy("httpTrigger"));
        expected.removeAll(app.functionsTriggeredBy("timerTrigger"));
        assertEquals(expected, ran, "every orchestrator and activity ran through the packaged app");
    }

    @Test
    void orchestrators_batchThatKeepsFailing_statusAndReportNameEachFileThroughTheMiddleware() throws Exception {
        Path source = allowedRoot.resolve("failing");
        Trees.mixed(source, 12, 0, 3);
        failingBatch = 0;
        Instance run = new Instance("BackupSiteContent", "backup-failing");
        try {
            CompleteOrchestrationAction end = run.runToEnd("""
                    {"rootDirectory": %s, "container": "packaged-it", "blobPrefix": "failing", "include": [],
                     "exclude": [], "dryRun": false, "compareContent": false}"""
                    .formatted(JSON.writeValueAsString(source.toString())));

            // The middleware would replace a thrown message with "Unexpected failure in the task execution":
            // the run completes and its status says what failed, read here from the packaged app's own answer.
            assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, end.getOrchestrationStatus());
            JsonNode status = JSON.readTree(run.lastStatus);
            assertEquals("FAILED", status.get("phase").asText(), status.toString());
            int batchFiles = Integer.parseInt(System.getenv("BACKUP_BATCH_FILES"));
            assertEquals(batchFiles, status.get("failureCount").asInt(), "each file of the batch: " + status);
            String message = status.get("message").asText();
            assertTrue(message.contains(batchFiles + " of " + TreeCheck.files(source).size()
                    + " files could not be copied"), message);
            assertTrue(message.contains("batch 0 of manifest") && message.contains("injected: disk unavailable"), message);
            assertTrue(message.contains(status.get("report").asText()), message);
            String report = azurite.client().getBlobContainerClient("backup-manifests")
                    .getBlobClient(status.get("report").asText()).downloadContent().toString();
            assertEquals(batchFiles, report.lines().filter(line -> line.contains("injected: disk unavailable")).count(),
                    "the report names each file of the batch: " + report);
        } finally {
            failingBatch = -1;
        }
    }

    @Test
    void orchestrator_inputItCannotRead_completesFailedNamingTheInputThroughTheMiddleware() throws Exception {
        // An input the orchestrator cannot read: a thrown message would not survive the middleware ("Unexpected
        // failure in the task execution"), so the orchestrator returns the outcome and its status names the cause.
        Instance run = new Instance("BackupSiteContent", "backup-unreadable");
        CompleteOrchestrationAction end = run.runToEnd("[1,2]");

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, end.getOrchestrationStatus());
        JsonNode status = JSON.readTree(run.lastStatus);
        assertEquals("FAILED", status.get("phase").asText(), status.toString());
        assertTrue(status.get("message").asText().contains("the input of BackupSiteContent is not a BackupRequest"),
                status.toString());
    }

    /** Issue 24, item 2, through the middleware: a history of another code version fails at once, naming both. */
    @Test
    void orchestrator_inputOfAnotherCodeVersion_completesFailedNamingBothVersions() throws Exception {
        Instance run = new Instance("BackupSiteContent", "backup-old-version");
        CompleteOrchestrationAction end = run.runToEnd("{\"rootDirectory\": \"/x\", \"container\": \"c-1\","
                + " \"blobPrefix\": \"x\", \"codeVersion\": 1}");

        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, end.getOrchestrationStatus());
        assertTrue(run.lastStatus.contains("started by code version 1 and cannot run on code version "
                + CodeVersion.CURRENT), run.lastStatus);
        assertTrue(run.history.stream().noneMatch(HistoryEvent::hasTaskScheduled), "nothing scheduled");
    }

    @Test
    void httpStart_clientContextFromGson_schedulesTheOrchestrationOverGrpc() throws Exception {
        Path root = Files.createDirectories(allowedRoot.resolve("site"));
        List<String> lookedUp = new CopyOnWriteArrayList<>();
        List<CreateInstanceRequest> started = new CopyOnWriteArrayList<>();
        Server sidecar = emptyTaskHub(lookedUp, started);
        try {
            HttpResult result = app.runHttp("HttpStart", post("BackupSiteContent", JSON.writeValueAsString(root.toString())),
                    Map.of("durableContext", clientContext(sidecar.getPort())));

            assertEquals(202, result.status(), result.body());
            assertEquals(1, started.size());
            CreateInstanceRequest request = started.get(0);
            assertEquals("BackupSiteContent", request.getName());
            String id = InstanceIds.backup("backups", root.toString().substring(1));
            assertEquals(id, request.getInstanceId(), "the target's fixed id");
            // The app settings name one job (failsafe's BACKUP_JOBS): the starter looks whether it is running
            // on this target, then for a run of the target itself, then for a pruning of the same backup.
            assertEquals(List.of("job-packaged", id, InstanceIds.retention("backups", root.toString().substring(1))),
                    lookedUp);
            assertEquals(root.toString(), JSON.readTree(request.getInput().getValue()).get("rootDirectory").asText());
            JsonNode payload = JSON.readTree(result.body());
            assertEquals(request.getInstanceId(), payload.get("id").asText());
            assertTrue(result.header("Location").startsWith("http://localhost:7071/runtime/webhooks/durabletask/instances/"
                    + request.getInstanceId()), result.header("Location"));
            assertTrue(payload.get("statusQueryGetUri").asText().endsWith("code=secret"), payload.toString());
        } finally {
            sidecar.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The packaged timer with failsafe's BACKUP_SCHEDULE and BACKUP_JOBS (one job, with a verify after it). */
    @Test
    void timer_jobOfTheAppSettings_startsRunJobOverGrpcWithTheCheckedJob() throws Exception {
        Path site = Files.createDirectories(allowedRoot.resolve("job-site"));
        List<String> lookedUp = new CopyOnWriteArrayList<>();
        List<CreateInstanceRequest> started = new CopyOnWriteArrayList<>();
        Server sidecar = emptyTaskHub(lookedUp, started);
        try {
            app.runTimer("ScheduledBackups", "{\"Schedule\": {}, \"IsPastDue\": false}",
                    Map.of("durableContext", clientContext(sidecar.getPort())));

            assertEquals(1, started.size());
            CreateInstanceRequest request = started.get(0);
            assertEquals(List.of("RunJob", "job-packaged"), List.of(request.getName(), request.getInstanceId()));
            JsonNode job = JSON.readTree(request.getInput().getValue());
            assertEquals("packaged", job.get("name").asText());
            assertEquals(site.toRealPath().toString(), job.get("backup").get("rootDirectory").asText());
            assertEquals(job.get("backup").get("blobPrefix"), job.get("verify").get("blobPrefix"), job.toString());
            String prefix = job.get("backup").get("blobPrefix").asText();
            assertEquals(List.of("job-packaged", InstanceIds.backup("backups", prefix), InstanceIds.verify("backups", prefix)),
                    lookedUp, "the job's own run, then runs of its target over HTTP");
        } finally {
            sidecar.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void httpStart_bodyNotJson_answers400AndSchedulesNothing() throws Exception {
        // Port 9 (discard): a client that tried to schedule would fail, and the answer would be 503.
        HttpResult result = app.runHttp("HttpStart", post("BackupSiteContent", "{not json"),
                Map.of("durableContext", clientContext(9)));

        assertEquals(400, result.status(), result.body());
        assertEquals("application/json", result.header("Content-Type"));
    }

    /** An activity takes its input as text and reads it strictly: a wrong shape is a refusal it answers, named. */
    @Test
    void runActivity_inputOfTheWrongShape_answersARefusalNamingIt() throws Exception {
        JsonNode outcome = JSON.readTree(JSON.readTree(app.runActivity("CopyFileToBlob", "[1, 2]")).asText());

        assertFalse(outcome.get("retriable").asBoolean(), outcome.toString());
        assertTrue(outcome.get("error").asText().contains("the input of CopyFileToBlob is not a BatchWork"),
                outcome.toString());
    }

    private static HttpCall post(String orchestrator, String body) {
        return new HttpCall("POST", URI.create("http://localhost:7071/orchestrators/" + orchestrator),
                Map.of("Content-Type", "application/json"), Map.of(), Map.of("functionName", orchestrator), body);
    }

    /**
     * A stand-in for the Durable extension's gRPC endpoint over an empty task hub: every look-up finds no
     * instance, every start is accepted; both recorded.
     */
    private static Server emptyTaskHub(List<String> lookedUp, List<CreateInstanceRequest> started) throws IOException {
        return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new TaskHubSidecarServiceGrpc.TaskHubSidecarServiceImplBase() {
                    @Override
                    public void getInstance(GetInstanceRequest request, StreamObserver<GetInstanceResponse> response) {
                        lookedUp.add(request.getInstanceId());
                        response.onNext(GetInstanceResponse.newBuilder().setExists(false).build());
                        response.onCompleted();
                    }

                    @Override
                    public void startInstance(CreateInstanceRequest request,
                                              StreamObserver<CreateInstanceResponse> response) {
                        started.add(request);
                        response.onNext(CreateInstanceResponse.newBuilder().setInstanceId(request.getInstanceId()).build());
                        response.onCompleted();
                    }
                }).build().start();
    }

    private static String clientContext(int port) throws IOException {
        return JSON.writeValueAsString(Map.of("rpcBaseUrl", "http://127.0.0.1:" + port + "/durabletask/",
                "taskHubName", "PackagedIT", "requiredQueryStringParameters", "code=secret"));
    }

    /**
     * Runs {@code orchestrator} to its end on the packaged app and answers its output; fails the test unless it
     * completed. Each episode's activities run on the packaged app (four at a time) and come back together.
     */
    private static JsonNode drive(String orchestrator, String instanceId, String inputJson) throws Exception {
        CompleteOrchestrationAction end = new Instance(orchestrator, instanceId).runToEnd(inputJson);
        assertEquals(OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, end.getOrchestrationStatus(),
                orchestrator + " " + instanceId + " ended " + end.getOrchestrationStatus() + ": "
                        + end.getFailureDetails().getErrorType() + ": " + end.getFailureDetails().getErrorMessage());
        return JSON.readTree(end.getResult().getValue());
    }

    /** One orchestration instance's history, kept as a backend keeps it, episodes run on the packaged app. */
    private static final class Instance {
        private final String name;
        private final String instanceId;
        private final List<HistoryEvent> history = new ArrayList<>();
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");
        private String lastStatus;

        Instance(String name, String instanceId) {
            this.name = name;
            this.instanceId = instanceId;
        }

        /** Runs to the end; a JSON object input without a code version gets this code's, as the starter stamps it. */
        CompleteOrchestrationAction runToEnd(String inputJson) throws Exception {
            JsonNode input = JSON.readTree(inputJson);
            if (input instanceof com.fasterxml.jackson.databind.node.ObjectNode object && !object.has("codeVersion")) {
                object.put("codeVersion", CodeVersion.CURRENT);
                inputJson = object.toString();
            }
            List<OrchestratorAction> actions = episode(List.of(event().setExecutionStarted(ExecutionStartedEvent
                    .newBuilder().setName(name).setInput(StringValue.of(inputJson))
                    .setOrchestrationInstance(OrchestrationInstance.newBuilder().setInstanceId(instanceId))).build()));
            for (int episode = 0; episode < 200; episode++) {
                for (OrchestratorAction action : actions) {
                    if (action.hasCompleteOrchestration()) {
                        return action.getCompleteOrchestration();
                    }
                }
                actions = episode(answers(actions));
            }
            throw new AssertionError(name + " " + instanceId + " did not complete in 200 episodes");
        }

        private List<HistoryEvent> answers(List<OrchestratorAction> actions) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<HistoryEvent>> answers = new ArrayList<>();
                for (OrchestratorAction action : actions) {
                    if (action.hasScheduleTask()) {
                        answers.add(pool.submit(() -> activity(action)));
                    }
                }
                List<HistoryEvent> events = new ArrayList<>();
                for (Future<HistoryEvent> answer : answers) {
                    events.add(answer.get());
                }
                for (OrchestratorAction action : actions) {
                    if (action.hasCreateSubOrchestration()) {
                        events.add(subOrchestration(action));
                    } else if (action.hasCreateTimer()) {
                        events.add(event().setTimerFired(TimerFiredEvent.newBuilder().setTimerId(action.getId())
                                .setFireAt(action.getCreateTimer().getFireAt())).build());
                    }
                }
                return events;
            } finally {
                pool.shutdownNow();
            }
        }

        private HistoryEvent activity(OrchestratorAction action) {
            String activity = action.getScheduleTask().getName();
            ran.add(activity);
            int failing = failingBatch;
            if (failing >= 0 && activity.equals("CopyFileToBlob")
                    && action.getScheduleTask().getInput().getValue().contains("{\"batch\":" + failing + "}")) {
                return event().setTaskFailed(TaskFailedEvent.newBuilder().setTaskScheduledId(action.getId())
                        .setFailureDetails(details("IOException", "injected: disk unavailable"))).build();
            }
            try {
                String result = app.runActivity(activity, action.getScheduleTask().getInput().getValue());
                return event().setTaskCompleted(TaskCompletedEvent.newBuilder().setTaskScheduledId(action.getId())
                        .setResult(StringValue.of(result))).build();
            } catch (InvocationFailure failure) {
                return event().setTaskFailed(TaskFailedEvent.newBuilder().setTaskScheduledId(action.getId())
                        .setFailureDetails(details(failure.errorType(), failure.errorMessage()))).build();
            }
        }

        private HistoryEvent subOrchestration(OrchestratorAction action) throws Exception {
            var create = action.getCreateSubOrchestration();
            CompleteOrchestrationAction end = new Instance(create.getName(), create.getInstanceId())
                    .runToEnd(create.getInput().getValue());
            if (end.getOrchestrationStatus() == OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED) {
                return event().setSubOrchestrationInstanceCompleted(SubOrchestrationInstanceCompletedEvent.newBuilder()
                        .setTaskScheduledId(action.getId()).setResult(end.getResult())).build();
            }
            return event().setSubOrchestrationInstanceFailed(SubOrchestrationInstanceFailedEvent.newBuilder()
                    .setTaskScheduledId(action.getId()).setFailureDetails(end.getFailureDetails())).build();
        }

        private List<OrchestratorAction> episode(List<HistoryEvent> events) throws Exception {
            ran.add(name);
            List<HistoryEvent> newEvents = new ArrayList<>();
            newEvents.add(event().setOrchestratorStarted(OrchestratorStartedEvent.getDefaultInstance()).build());
            newEvents.addAll(events);
            OrchestratorRequest request = OrchestratorRequest.newBuilder().setInstanceId(instanceId)
                    .addAllPastEvents(history).addAllNewEvents(newEvents).build();
            OrchestratorResponse response = decode(app.runOrchestrator(name,
                    Base64.getEncoder().encodeToString(request.toByteArray())));
            history.addAll(newEvents);
            if (response.hasCustomStatus()) {
                lastStatus = response.getCustomStatus().getValue();
            }
            for (OrchestratorAction action : response.getActionsList()) {
                HistoryEvent.Builder recorded = HistoryEvent.newBuilder().setEventId(action.getId())
                        .setTimestamp(timestamp());
                if (action.hasScheduleTask()) {
                    history.add(recorded.setTaskScheduled(TaskScheduledEvent.newBuilder()
                            .setName(action.getScheduleTask().getName())
                            .setInput(action.getScheduleTask().getInput())).build());
                } else if (action.hasCreateSubOrchestration()) {
                    history.add(recorded.setSubOrchestrationInstanceCreated(SubOrchestrationInstanceCreatedEvent
                            .newBuilder().setName(action.getCreateSubOrchestration().getName())
                            .setInstanceId(action.getCreateSubOrchestration().getInstanceId())
                            .setInput(action.getCreateSubOrchestration().getInput())).build());
                } else if (action.hasCreateTimer()) {
                    // Timers fire at once here: time moves to just past the fire time, as a backend delivers it.
                    Timestamp fireAt = action.getCreateTimer().getFireAt();
                    now = Instant.ofEpochSecond(fireAt.getSeconds(), fireAt.getNanos()).plusMillis(1);
                    history.add(recorded.setTimerCreated(TimerCreatedEvent.newBuilder().setFireAt(fireAt)).build());
                }
            }
            return response.getActionsList();
        }

        private HistoryEvent.Builder event() {
            return HistoryEvent.newBuilder().setEventId(-1).setTimestamp(timestamp());
        }

        private Timestamp timestamp() {
            return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        }
    }

    private static TaskFailureDetails details(String type, String message) {
        return TaskFailureDetails.newBuilder().setErrorType(type).setErrorMessage(message).build();
    }

    private static OrchestratorResponse decode(String base64) throws InvalidProtocolBufferException {
        return OrchestratorResponse.parseFrom(Base64.getDecoder().decode(base64));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
