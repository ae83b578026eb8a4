package com.contoso.sitebackup.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A storage fault for end-to-end tests, outside the app: an HTTP proxy in front of Azurite that answers the
 * <em>first</em> upload ({@code PUT}) of each chosen blob with 403 AuthorizationFailure, a status the storage
 * SDK does not retry, so the app's activity attempt fails and the orchestration's retry is what brings the
 * file in; and every download ({@code GET}) of each hidden blob with 404 BlobNotFound, as if it had never been
 * written. Everything else is passed through unchanged.
 */
final class FaultyBlobProxy implements AutoCloseable {
    /** Hop-by-hop and length headers the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI target;
    private final Predicate<String> failFirstUpload;
    private final Predicate<String> hidden;
    private final Set<String> hid = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService executor = Executors.newFixedThreadPool(32);
    private final HttpServer server;

    /**
     * A proxy to {@code target} (Azurite's {@code http://127.0.0.1:<port>}) that fails the first upload of every
     * blob path ({@code /<account>/<container>/<name>}) that {@code failFirstUpload} accepts.
     */
    FaultyBlobProxy(URI target, Predicate<String> failFirstUpload) {
        this(target, failFirstUpload, path -> false);
    }

    /**
     * A proxy to {@code target} that fails the first upload of every blob path {@code failFirstUpload} accepts and
     * answers 404 to every download of a blob path {@code hidden} accepts.
     */
    FaultyBlobProxy(URI target, Predicate<String> failFirstUpload, Predicate<String> hidden) {
        this.target = target;
        this.failFirstUpload = failFirstUpload;
        this.hidden = hidden;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The blob paths whose first upload was failed. */
    Set<String> failed() {
        return Set.copyOf(failed);
    }

    /** The blob paths whose downloads were answered 404. */
    Set<String> hid() {
        return Set.copyOf(hid);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Decoded: the storage SDK sends the slashes of a blob name as %2F.
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("PUT") && failFirstUpload.test(path) && failed.add(path)) {
                refuse(exchange, 403, "AuthorizationFailure");
                return;
            }
            if (exchange.getRequestMethod().equals("GET") && hidden.test(path)) {
                hid.add(path);
                refuse(exchange, 404, "BlobNotFound");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()
                            + (query == null ? "" : "?" + query)))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> forward.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("transfer-encoding") && !lower.equals("connection") && !lower.equals(":status")
                        && !(lower.equals("content-length") && !exchange.getRequestMethod().equals("HEAD"))) {
                    values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
            });
            byte[] answer = response.body();
            boolean noBody = exchange.getRequestMethod().equals("HEAD") || answer.length == 0;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void refuse(HttpExchange exchange, int status, String code) throws IOException {
        byte[] error = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code>"
                + "<Message>injected by the test's storage proxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.getResponseHeaders().set("x-ms-error-code", code);
        exchange.sendResponseHeaders(status, error.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(error);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
