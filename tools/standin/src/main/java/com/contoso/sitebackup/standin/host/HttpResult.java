package com.contoso.sitebackup.standin.host;

import java.util.Map;

/** What an HTTP-triggered function answered, with the body as the worker sends it (text or Gson JSON). */
public record HttpResult(int status, Map<String, String> headers, String body) {
    public HttpResult {
        headers = Map.copyOf(headers);
    }

    /** The header named {@code name}, compared without case, or null. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
