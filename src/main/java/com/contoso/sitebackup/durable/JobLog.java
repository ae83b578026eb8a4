package com.contoso.sitebackup.durable;

import com.microsoft.durabletask.TaskOrchestrationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Replay-safe logging for orchestrators, and the one structured completion event every job writes at its
 * end (the alert rules in infra/ query it): {@code SiteBackupJobCompleted job=... instance=... outcome=...
 * files=... bytes=... problems=... failures=... durationMs=...}.
 */
public final class JobLog {
    /** The word the completion event starts with, which the alert rules search for. */
    public static final String COMPLETED_EVENT = "SiteBackupJobCompleted";

    private static final Logger LOG = Logger.getLogger(JobLog.class.getName());

    private JobLog() {
    }

    /** Logs {@code message} about this instance, unless the orchestrator is replaying. */
    public static void info(TaskOrchestrationContext ctx, String message) {
        if (!ctx.getIsReplaying()) {
            LOG.info(() -> ctx.getName() + " " + ctx.getInstanceId() + ": " + message);
        }
    }

    /** The completion event of a job that started at {@code started} and ends with {@code status}. */
    public static void completed(TaskOrchestrationContext ctx, JobKind kind, Instant started, JobProgress status) {
        if (!ctx.getIsReplaying()) {
            long millis = Duration.between(started, ctx.getCurrentInstant()).toMillis();
            LOG.info(() -> COMPLETED_EVENT + " job=" + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " instance=" + ctx.getInstanceId() + " outcome=" + status.getPhase()
                    + " files=" + status.getFilesDone() + " bytes=" + status.getBytesDone()
                    + " problems=" + status.getProblemCount() + " failures=" + status.getFailureCount()
                    + " durationMs=" + millis);
        }
    }
}
