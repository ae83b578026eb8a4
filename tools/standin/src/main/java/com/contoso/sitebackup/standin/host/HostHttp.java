package com.contoso.sitebackup.standin.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.DurableTaskGrpcClientBuilder;
import com.microsoft.durabletask.FailureDetails;
import com.microsoft.durabletask.OrchestrationMetadata;
import com.microsoft.durabletask.OrchestrationRuntimeStatus;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The host's HTTP front, stand-in for local runs and tests: on loopback, the JDK's HTTP server answers
 * <ul>
 *   <li>every HTTP-triggered function of the packaged app at its {@code function.json} route (after host.json's
 *       {@code extensions.http.routePrefix}, {@code api} by default) for its methods, through
 *       {@link PackagedApp#runHttp}; a {@code durableClient} binding gets the JSON the Durable extension sends
 *       ({@code rpcBaseUrl} pointing at the sidecar), so the starter's own client schedules the instance;</li>
 *   <li>the Durable extension's status webhook {@code GET /runtime/webhooks/durabletask/instances/{id}}, read
 *       through a durable client: 202 while pending or running, 200 once it ended, 404 for an unknown id.</li>
 * </ul>
 * Function keys are not checked, as Core Tools does not check them locally.
 */
final class HostHttp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HostHttp.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The JDK HTTP server's switch for TCP_NODELAY on the connections it accepts (read once, at its first start). */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";
    private static final String STATUS_PATH = "/runtime/webhooks/durabletask/instances/";

    static {
        // Kestrel, the host's HTTP server, sends with TCP_NODELAY. The JDK's does not unless told (before its first
        // server starts): then on a kept-alive connection the body of a response waits for the client's delayed ACK
        // of the headers, 40 ms on Linux; measured, 500 status polls on one connection took 22.7 s, 1.2 s with it.
        System.setProperty(NO_DELAY, "true");
    }

    private final PackagedApp app;
    private final String clientContext;
    private final List<Route> routes = new ArrayList<>();
    private final ManagedChannel channel;
    private final DurableTaskClient client;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    private record Route(String function, List<String> segments, List<String> methods) {
    }

    private HostHttp(PackagedApp app, String sidecarAddress, ManagedChannel channel, String taskHub, int port)
            throws IOException {
        this.app = app;
        int sidecarPort = Integer.parseInt(sidecarAddress.substring(sidecarAddress.lastIndexOf(':') + 1));
        this.clientContext = JSON.writeValueAsString(Map.of(
                "rpcBaseUrl", "http://127.0.0.1:" + sidecarPort + "/durabletask/grpc/",
                "taskHubName", taskHub,
                "requiredQueryStringParameters", "taskHub=" + taskHub + "&connection=Storage"));
        String prefix = app.hostJson().path("extensions").path("http").path("routePrefix").asText("api");
        for (String name : app.functionsTriggeredBy("httpTrigger")) {
            JsonNode trigger = app.functions().get(name).trigger();
            String route = trigger.path("route").asText(name);
            List<String> methods = new ArrayList<>();
            trigger.path("methods").forEach(m -> methods.add(m.asText().toUpperCase(Locale.ROOT)));
            routes.add(new Route(name, segments(prefix + "/" + route), methods));
        }
        this.channel = channel;
        this.client = new DurableTaskGrpcClientBuilder().grpcChannel(channel).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Serves the app's HTTP functions and the status webhook on loopback {@code port} (0: a free one). */
    static HostHttp start(PackagedApp app, String sidecarAddress, ManagedChannel channel, String taskHub, int port) {
        try {
            return new HostHttp(app, sidecarAddress, channel, taskHub, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith(STATUS_PATH) && exchange.getRequestMethod().equals("GET")) {
                status(exchange, decode(path.substring(STATUS_PATH.length())));
                return;
            }
            List<String> requested = segments(path);
            for (Route route : routes) {
                Map<String, String> parameters = match(route.segments(), requested);
                if (parameters != null && (route.methods().isEmpty()
                        || route.methods().contains(exchange.getRequestMethod()))) {
                    function(exchange, route, parameters);
                    return;
                }
            }
            send(exchange, 404, "application/json", "{\"message\":\"no function answers "
                    + exchange.getRequestMethod() + " " + path + "\"}");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HTTP " + exchange.getRequestURI() + " failed", e);
            send(exchange, 500, "text/plain", e.toString());
        }
    }

    private void function(HttpExchange exchange, Route route, Map<String, String> parameters) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        String host = exchange.getRequestHeaders().getFirst("Host");
        URI uri = URI.create("http://" + (host == null ? "127.0.0.1:" + port() : host)
                + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpCall call = new HttpCall(exchange.getRequestMethod(), uri, headers, query(uri.getRawQuery()), parameters,
                body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
        Map<String, String> inputs = new LinkedHashMap<>();
        app.functions().get(route.function()).bindingName("durableClient")
                .ifPresent(binding -> inputs.put(binding, clientContext));
        HttpResult result;
        try {
            result = app.runHttp(route.function(), call, inputs);
        } catch (InvocationFailure failure) {
            LOG.log(Level.WARNING, "function " + route.function() + " failed", failure);
            send(exchange, 500, "text/plain", failure.getMessage());
            return;
        }
        result.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        send(exchange, result.status(), null, result.body());
    }

    private void status(HttpExchange exchange, String instanceId) throws IOException {
        OrchestrationMetadata metadata = client.getInstanceMetadata(instanceId, true);
        if (metadata == null || !metadata.isInstanceFound()) {
            send(exchange, 404, "application/json", "{\"message\":\"no instance " + instanceId + "\"}");
            return;
        }
        OrchestrationRuntimeStatus runtimeStatus = metadata.getRuntimeStatus();
        ObjectNode json = JSON.createObjectNode();
        json.put("name", metadata.getName());
        json.put("instanceId", metadata.getInstanceId());
        json.put("runtimeStatus", pascal(runtimeStatus.name()));
        json.set("input", parse(metadata.getSerializedInput()));
        JsonNode customStatus = metadata.isCustomStatusFetched() ? metadata.readCustomStatusAs(JsonNode.class) : null;
        json.set("customStatus", customStatus == null ? JSON.nullNode() : customStatus);
        FailureDetails failure = metadata.getFailureDetails();
        if (runtimeStatus == OrchestrationRuntimeStatus.FAILED && failure != null) {
            // The extension reports a failed instance's error message as its output.
            json.put("output", failure.getErrorMessage());
        } else {
            json.set("output", parse(metadata.getSerializedOutput()));
        }
        json.put("createdTime", seconds(metadata.getCreatedAt()));
        json.put("lastUpdatedTime", seconds(metadata.getLastUpdatedAt()));
        boolean ended = runtimeStatus == OrchestrationRuntimeStatus.COMPLETED
                || runtimeStatus == OrchestrationRuntimeStatus.FAILED
                || runtimeStatus == OrchestrationRuntimeStatus.TERMINATED;
        if (!ended) {
            exchange.getResponseHeaders().add("Location", "http://" + exchange.getRequestHeaders().getFirst("Host")
                    + exchange.getRequestURI());
            exchange.getResponseHeaders().add("Retry-After", "10");
        }
        send(exchange, ended ? 200 : 202, "application/json", JSON.writeValueAsString(json));
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isEmpty()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    private static String seconds(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code RUNNING} as the extension spells it, {@code Running}; {@code CONTINUED_AS_NEW}: {@code ContinuedAsNew}. */
    private static String pascal(String constant) {
        StringBuilder out = new StringBuilder();
        for (String word : constant.toLowerCase(Locale.ROOT).split("_")) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** The route's {@code {name}} parameters, or null when the path does not match it. */
    private static Map<String, String> match(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                parameters.put(t.substring(1, t.length() - 1), decode(path.get(i)));
            } else if (!t.equalsIgnoreCase(path.get(i))) {
                return null;
            }
        }
        return parameters;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (!pair.isEmpty()) {
                    query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
