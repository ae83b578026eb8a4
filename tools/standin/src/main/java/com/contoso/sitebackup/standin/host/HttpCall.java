package com.contoso.sitebackup.standin.host;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/** An HTTP request as the host hands it to an HTTP-triggered function; {@code body} may be null. */
public record HttpCall(String method, URI uri, Map<String, String> headers, Map<String, String> query,
                       Map<String, String> routeParameters, String body) {
    public HttpCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        routeParameters = Map.copyOf(routeParameters);
    }
}
