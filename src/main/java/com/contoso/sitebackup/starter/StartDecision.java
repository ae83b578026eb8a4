package com.contoso.sitebackup.starter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What the starter does with a request: start {@code orchestrator} with {@code input}, or answer
 * {@code status} with a JSON error body.
 */
public final class StartDecision {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String orchestrator;
    private final Object input;
    private final int status;
    private final String error;
    private final String message;

    private StartDecision(String orchestrator, Object input, int status, String error, String message) {
        this.orchestrator = orchestrator;
        this.input = input;
        this.status = status;
        this.error = error;
        this.message = message;
    }

    static StartDecision start(String orchestrator, Object input) {
        return new StartDecision(Objects.requireNonNull(orchestrator, "orchestrator"),
                Objects.requireNonNull(input, "input"), 202, null, null);
    }

    static StartDecision reject(int status, String error, String message) {
        return new StartDecision(null, null, status, error, message);
    }

    public boolean isAccepted() {
        return orchestrator != null;
    }

    public String orchestrator() {
        return orchestrator;
    }

    public Object input() {
        return input;
    }

    /** 202 when accepted, else the 4xx (or 503) to answer. */
    public int status() {
        return status;
    }

    /** A short machine-readable code, such as {@code invalid_request}. */
    public String error() {
        return error;
    }

    /** What is wrong, for a person. */
    public String message() {
        return message;
    }

    /** The error body: {@code {"error": code, "message": text}}. */
    public String errorBody() {
        ObjectNode body = JSON.createObjectNode().put("error", error).put("message", message);
        return body.toString();
    }
}
