package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.config.AppServices;

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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;

/**
 * HTTP starter: {@code POST /orchestrators/{functionName}} starts one of this app's orchestrators and answers
 * 202 with the Durable check-status response (Location header, status, terminate and purge URLs). Bad input
 * is answered with a 4xx and a JSON body that says what is wrong (see {@link StartRequestHandler}).
 */
public final class HttpStart {
    public static final String NAME = "HttpStart";

    private final StartRequestHandler handler;

    /** Used by the Functions worker. */
    public HttpStart() {
        this(StartRequestHandler.from(AppServices.shared()));
    }

    public HttpStart(StartRequestHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
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
        String instanceId;
        // One client per call, closed: each getClient() opens its own gRPC channel (durabletask-java #192).
        try (DurableTaskClient client = durableContext.getClient()) {
            instanceId = client.scheduleNewOrchestrationInstance(decision.orchestrator(), decision.input());
        } catch (RuntimeException e) {
            context.getLogger().log(Level.SEVERE, "Could not schedule " + decision.orchestrator(), e);
            return json(request, StartDecision.reject(503, "unavailable",
                    "The orchestration could not be scheduled; try again later"));
        }
        context.getLogger().info("Started " + decision.orchestrator() + " instance " + instanceId);
        return durableContext.createCheckStatusResponse(request, instanceId);
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
