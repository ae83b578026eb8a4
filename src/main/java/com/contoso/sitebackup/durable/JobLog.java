package com.contoso.sitebackup.durable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.durabletask.TaskOrchestrationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Level;

/**
 * Replay-safe logging for orchestrators, and the completion event each top-level run writes once, at its
 * end, which the alert rules of infra/app/alerts.bicep query (README.md, "Alerts", defines every field):
 * <pre>SiteBackupCompletion {"v":1,"kind":"backup","job":"nightly","instance":"job-nightly","outcome":"Succeeded",
 *   "files":12,"bytes":3400,"unchanged":0,"problems":0,"durationMs":1200,"reason":null}</pre>
 *
 * <p>Every line goes through the {@link ExecutionContext} logger of the orchestrator's own invocation: the
 * Java worker forwards that logger's records to the host (category {@code Function.<name>.User}), and a
 * static {@code java.util.logging} logger only reaches the worker's console. The worker forwards a record's
 * message text as it is, so the line is built whole here, never with {@code {0}} parameters.
 */
public final class JobLog {
    /** The prefix of the completion event, as the alert rules match it ({@code message startswith "SiteBackupCompletion {"}). */
    public static final String COMPLETION_EVENT = "SiteBackupCompletion";
    /** The version of the event's shape ({@code v}). */
    public static final int VERSION = 1;
    /** How many characters of a failure's message the event's {@code reason} keeps. */
    public static final int MAX_REASON = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run came to, in the words the alert rules use. */
    public enum Outcome {
        /** Completed, nothing left out. */
        SUCCEEDED("Succeeded", Level.INFO),
        /** Completed with files left out for an expected reason (for a verify: differences). */
        COMPLETED_WITH_PROBLEMS("CompletedWithProblems", Level.WARNING),
        /** Could not start, or files still failed after every retry. */
        FAILED("Failed", Level.SEVERE);

        private final String word;
        private final Level level;

        Outcome(String word, Level level) {
            this.word = word;
            this.level = level;
        }

        /** The outcome's name in the event. */
        public String word() {
            return word;
        }

        /** The level the event is logged at (the rules read the message, not the level). */
        public Level level() {
            return level;
        }

        /**
         * The outcome of a run that ended with {@code status}: FAILED for phase FAILED, COMPLETED_WITH_PROBLEMS
         * for COMPLETED_WITH_PROBLEMS or a dry run that found problems, SUCCEEDED for COMPLETED or a clean dry
         * run. A phase that is not an end (LISTING, COPYING...) is a defect of the caller.
         */
        public static Outcome of(JobProgress status) {
            return switch (Objects.requireNonNull(status, "status").getPhase()) {
                case FAILED -> FAILED;
                case COMPLETED_WITH_PROBLEMS -> COMPLETED_WITH_PROBLEMS;
                case DRY_RUN_COMPLETED -> status.getProblemCount() > 0 ? COMPLETED_WITH_PROBLEMS : SUCCEEDED;
                case COMPLETED -> SUCCEEDED;
                default -> throw new IllegalArgumentException("status phase " + status.getPhase() + " is not an end");
            };
        }
    }

    private JobLog() {
    }

    /** Logs {@code message} about this instance through {@code context}, unless the orchestrator is replaying. */
    public static void info(TaskOrchestrationContext ctx, ExecutionContext context, String message) {
        if (!ctx.getIsReplaying()) {
            context.getLogger().info(ctx.getName() + " " + ctx.getInstanceId() + ": " + message);
        }
    }

    /**
     * Logs the completion event of a run of {@code kind} that started at {@code started} and ends with
     * {@code status}, unless the orchestrator is replaying. Call it once, on every path that ends the run.
     */
    public static void completed(TaskOrchestrationContext ctx, ExecutionContext context, JobKind kind, Instant started,
                                 JobProgress status) {
        if (!ctx.getIsReplaying()) {
            long millis = Duration.between(started, ctx.getCurrentInstant()).toMillis();
            context.getLogger().log(Outcome.of(status).level(),
                    completionLine(kind, ctx.getInstanceId(), status, millis));
        }
    }

    /** The completion event's line: the prefix, a space, and the JSON object on one line. */
    public static String completionLine(JobKind kind, String instanceId, JobProgress status, long durationMs) {
        Outcome outcome = Outcome.of(status);
        ObjectNode event = JSON.createObjectNode()
                .put("v", VERSION)
                .put("kind", kind.name().toLowerCase(Locale.ROOT))
                .put("job", InstanceIds.jobOf(instanceId).orElse(null))
                .put("instance", instanceId)
                .put("outcome", outcome.word())
                .put("files", status.getFilesDone())
                .put("bytes", status.getBytesDone())
                .put("unchanged", status.getFilesUnchanged())
                .put("problems", status.getProblemCount())
                .put("durationMs", durationMs)
                .put("reason", outcome == Outcome.FAILED ? reason(status.getMessage()) : null);
        return COMPLETION_EVENT + " " + event;
    }

    private static String reason(String message) {
        if (message == null) {
            return "failed";
        }
        if (message.length() <= MAX_REASON) {
            return message;
        }
        // Never half a surrogate pair: the line must stay valid UTF-8 on its way to Application Insights.
        int end = Character.isHighSurrogate(message.charAt(MAX_REASON - 1)) ? MAX_REASON - 1 : MAX_REASON;
        return message.substring(0, end);
    }
}
