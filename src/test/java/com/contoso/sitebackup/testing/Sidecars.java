package com.contoso.sitebackup.testing;

import com.contoso.sitebackup.standin.stack.MissingTool;
import com.contoso.sitebackup.standin.stack.SidecarProcess;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The Durable Task engine for tests: the stand-in's sidecar launcher ({@link SidecarProcess}); when Go is missing (the
 * pinned sidecar cannot be built) the test is skipped locally, and under CI ({@code CI=true}) it fails.
 */
public final class Sidecars {
    private Sidecars() {
    }

    /** Starts a sidecar whose task hub is {@code directory/hub.sqlite}; {@code flags} are passed on. */
    public static SidecarProcess start(Path directory, String... flags) {
        installed();
        return SidecarProcess.start(directory, flags);
    }

    /** Builds the sidecar unless it is current; skips (locally) or fails (CI) the test when Go is missing. */
    public static void installed() {
        try {
            SidecarProcess.install();
        } catch (MissingTool missing) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(missing.getMessage() + " (CI=true: sidecar tests may not be skipped)",
                        missing);
            }
            Assumptions.abort(missing.getMessage());
            throw missing;
        }
    }
}
