package com.contoso.sitebackup.standin.stack;

/**
 * A tool the local stack needs is not installed (Go for the sidecar's build, Azurite from npm); the message says
 * what to install. The runner prints it; a test decides whether that skips it (locally) or fails it (CI).
 */
public final class MissingTool extends IllegalStateException {
    public MissingTool(String message) {
        super(message);
    }
}
