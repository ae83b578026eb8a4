package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.JobSetting;
import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.azurefunctions.DurableClientContext;
import com.microsoft.durabletask.azurefunctions.DurableClientInput;
import com.microsoft.durabletask.azurefunctions.HttpManagementPayload;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * HTTP starter: {@code POST /orchestrators/{functionName}} starts one of this app's orchestrators and answers
 * 202 with the Durable check-status response (Location header, status, terminate and purge URLs). Bad input
 * is answered with a 4xx and a JSON body that says what is wrong (see {@link StartRequestHandler}).
 *
 * <p>One run per target: the instance id is fixed by the target ({@link SingleRun#instanceIdFor}: the
 * container and prefix of a backup, a verify or a pruning, the directory of a restore), so a start while that instance,
 * or a scheduled job working on the same container and prefix, has not finished is answered 409 with a JSON
 * body naming the running instance and its status URL, and nothing is scheduled. {@link SingleRun} says
 * which race is left and what closes it.
 */
public final class HttpStart {
    public static final String NAME = "HttpStart";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StartRequestHandler handler;
    private final Supplier<List<JobSetting>> jobs;

    /** Used by the Functions worker. */
    public HttpStart() {
        this(StartRequestHandler.from(AppServices.shared()), () -> AppServices.shared().settings().backupJobs());
    }

    /** A starter that knows no scheduled job. */
    public HttpStart(StartRequestHandler handler) {
        this(handler, List::of);
    }

    /** A starter whose backups and verifies wait for the scheduled {@code jobs} working on the same target. */
    public HttpStart(StartRequestHandler handler, Supplier<List<JobSetting>> jobs) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    @FunctionName(NAME)
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "orchestrators/{functionName}") HttpRequestMessage<Optional<String>> request,
            @BindingName("functionName") String functionName,
            @DurableClientInput(name = "durableContext") DurableClientContext durableContext,
            ExecutionContext context) {
        StartDecision decision = handler.decide(functionName, header(request, "Content-Type"),
                request.getBody() == null ? null : request.getBody().orElse(null));
        if (!decision.isAccepted()) {
            return json(request, decision);
        }
        List<String> jobNames = jobNames(context);
        SingleRun.Outcome outcome;
        // One client per call, closed: each getClient() opens its own gRPC channel (durabletask-java #192).
        try (DurableTaskClient client = durableContext.getClient()) {
            List<String> blockers = new java.util.ArrayList<>(SingleRun.siblingsOf(decision.input()));
            blockers.addAll(SingleRun.runningJobsOn(client, jobNames, decision.input()));
            outcome = SingleRun.start(client, decision.orchestrator(), decision.input(),
                    SingleRun.instanceIdFor(decision.input()), blockers);
        } catch (RuntimeException e) {
            context.getLogger().log(Level.SEVERE, Printable.quote("Could not schedule " + decision.orchestrator()), e);
            return json(request, StartDecision.reject(503, "unavailable",
                    "The orchestration could not be scheduled; try again later"));
        }
        if (!outcome.isStarted()) {
            // The target is the caller's text (a restore's directory, a container): escaped, so a newline or an ESC
            // in it cannot forge or colour a log line.
            context.getLogger().info(Printable.quote("Not started: " + SingleRun.targetOf(decision.input())
                    + " is running as " + outcome.instanceId() + " (" + outcome.runningStatus() + ")"));
            return conflict(request, durableContext, decision, outcome);
        }
        context.getLogger().info(Printable.quote("Started " + decision.orchestrator() + " instance "
                + outcome.instanceId()));
        return accepted(request, durableContext, outcome.instanceId());
    }

    /**
     * 202 with the Durable check-status payload (id, status, event, terminate, purge, restart, suspend and resume
     * URLs) and the status URL as Location. The body is written here as JSON text: the SDK's
     * {@code createCheckStatusResponse} hands the worker the payload object, which the worker writes with Gson, and
     * Gson escapes every '=' and '&' of the URLs ({@code \u003d}, {@code \u0026}), so a URL copied from it by hand
     * fails.
     */
    static HttpResponseMessage accepted(HttpRequestMessage<?> request, DurableClientContext durableContext,
                                        String instanceId) {
        HttpManagementPayload payload = durableContext.createHttpManagementPayload(request, instanceId);
        String status = payload.getStatusQueryGetUri();
        int query = status.indexOf('?');
        String instance = query < 0 ? status : status.substring(0, query);
        String parameters = query < 0 ? "" : status.substring(query + 1);
        ObjectNode body = JSON.createObjectNode()
                .put("id", payload.getId())
                .put("purgeHistoryDeleteUri", payload.getPurgeHistoryDeleteUri())
                .put("restartPostUri", payload.getRestartPostUri())
                .put("sendEventPostUri", payload.getSendEventPostUri())
                .put("statusQueryGetUri", status)
                .put("terminatePostUri", payload.getTerminatePostUri())
                .put("resumePostUri", instance + "/resume?reason={text}&" + parameters)
                .put("suspendPostUri", instance + "/suspend?reason={text}&" + parameters);
        return request.createResponseBuilder(HttpStatus.ACCEPTED)
                .header("Location", status)
                .header("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }

    /**
     * The names of the scheduled jobs; none when the job list is invalid, which the timer refuses (it then
     * starts no job, so none can be in the way), with a warning here.
     */
    private List<String> jobNames(ExecutionContext context) {
        try {
            return jobs.get().stream().map(JobSetting::name).toList();
        } catch (IllegalArgumentException e) {
            context.getLogger().warning(Printable.quote("Scheduled jobs not checked: " + e.getMessage()));
            return List.of();
        }
    }

    /**
     * 409 with {@code {"error": "already_running", "message": ..., "instanceId": ..., "runtimeStatus": ...,
     * "statusQueryGetUri": ...}}: the run in the way, and where to follow it.
     */
    private static HttpResponseMessage conflict(HttpRequestMessage<?> request, DurableClientContext durableContext,
                                                StartDecision decision, SingleRun.Outcome running) {
        ObjectNode body = JSON.createObjectNode()
                .put("error", "already_running")
                .put("message", "Already running: " + SingleRun.targetOf(decision.input()) + ", as instance "
                        + running.instanceId() + " (" + running.runningStatus() + "); start again once it has finished")
                .put("instanceId", running.instanceId())
                .put("runtimeStatus", running.runningStatus().name())
                .put("statusQueryGetUri", durableContext.createHttpManagementPayload(request, running.instanceId())
                        .getStatusQueryGetUri());
        return request.createResponseBuilder(HttpStatus.CONFLICT)
                .header("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }

    private static HttpResponseMessage json(HttpRequestMessage<?> request, StartDecision decision) {
        return request.createResponseBuilder(HttpStatus.valueOf(decision.status()))
                .header("Content-Type", "application/json")
                .body(decision.errorBody())
                .build();
    }

    private static String header(HttpRequestMessage<?> request, String name) {
        Map<String, String> headers = request.getHeaders();
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
