package com.contoso.sitebackup.standin.host;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A function invocation that threw, reported as the worker and the Durable extension report it: the worker
 * sends the root cause as {@code "<SimpleType>: <message>"} with the stack trace, and the extension splits that
 * into the failure details' error type and message (first line).
 */
public final class InvocationFailure extends Exception {
    private final String errorType;
    private final String errorMessage;
    private final String stackTraceText;

    InvocationFailure(String function, Throwable thrown) {
        super("function " + function + " failed: " + rootCauseMessage(thrown), thrown);
        Throwable root = rootCause(thrown);
        this.errorType = shortName(root);
        String message = root.getMessage() == null ? "" : root.getMessage();
        int newline = message.indexOf('\n');
        this.errorMessage = newline < 0 ? message : message.substring(0, newline);
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        this.stackTraceText = trace.toString();
    }

    /** The root cause's short class name, e.g. {@code IllegalStateException}. */
    public String errorType() {
        return errorType;
    }

    /** The first line of the root cause's message. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The whole stack trace of what the function threw. */
    public String stackTraceText() {
        return stackTraceText;
    }

    static String rootCauseMessage(Throwable thrown) {
        Throwable root = rootCause(thrown);
        return shortName(root) + ": " + (root.getMessage() == null ? "" : root.getMessage());
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String shortName(Throwable t) {
        String name = t.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }
}
