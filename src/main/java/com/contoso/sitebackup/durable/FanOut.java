package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.durabletask.CompositeTaskFailedException;
import com.microsoft.durabletask.Task;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fan-out/fan-in every job shares. Batches of files are fanned out, never single files: one activity works on
 * up to {@code BACKUP_BATCH_FILES} files, in parallel inside it, so a run costs one activity, one history entry and
 * one replayed completion per batch, not per file.
 * <ul>
 *   <li>{@link #call}: one activity, tried again after each round's timer while it fails in a way time may
 *       mend;</li>
 *   <li>{@link #batches}: every batch of a manifest, with {@code allOf}, in retry rounds ({@link #rounds}): the
 *       files that failed in a round (handed back by the activities, or every file of an input whose activity
 *       failed as a whole) are regrouped into new inputs and tried again together after one timer. Above
 *       {@link #GROUP_BATCHES} batches, groups of them run as {@link BatchGroup} sub-orchestrations, at most
 *       {@link #GROUPS_IN_FLIGHT} at a time, so no history holds more than about {@link #GROUP_BATCHES} batches,
 *       whatever the tree's size and however the engine delivers completions.</li>
 * </ul>
 * Every result is read with {@link Wire} from a {@link JsonNode}, so a result of the wrong shape becomes a named
 * failure instead of an instance that never ends. Deterministic; catches only task failures and its own refusals,
 * never the SDK's control-flow exceptions.
 */
public final class FanOut {
    /** Batches per group: a group's history stays near 4 events per batch. */
    public static final int GROUP_BATCHES = 32;
    /** Groups at once: enough queued batches to keep several workers busy. */
    public static final int GROUPS_IN_FLIGHT = 4;
    /** Files one retry input holds at most. */
    static final int RETRY_FILES = ManifestStore.DEFAULT_BATCH_FILES;

    private FanOut() {
    }

    /**
     * Calls {@code activity} with {@code input} and reads its result as a {@code type}; tried again after each
     * retry timer while it fails in a way time may mend.
     *
     * @throws Failed naming the activity and why, when every attempt failed or the result is not a {@code type}
     */
    public static <T> T call(TaskOrchestrationContext ctx, String activity, Object input, Class<T> type) {
        JsonNode wire = Wire.tree(input);
        for (int attempt = 1; ; attempt++) {
            try {
                JsonNode result = ctx.callActivity(activity, wire, JsonNode.class).await();
                return Wire.read(result, type, "the result of " + activity);
            } catch (TaskFailedException e) {
                if (attempt == RetrySchedule.MAX_ATTEMPTS || !retriable(e)) {
                    throw new Failed(activity + " failed after " + attempt + " attempt(s): " + message(e));
                }
            } catch (Wire.Refused e) {
                throw new Failed(e.getMessage());
            }
            ctx.createTimer(RetrySchedule.delayBefore(attempt + 1)).await();
        }
    }

    /**
     * Runs {@code activity} (a batch activity, taking a {@link BatchWork} and answering a {@link BatchOutcome}) on
     * the {@code batchCount} batches of {@code manifest} and sums what it achieved, calling {@code progress} with the
     * running total as each round or group ends. Files that still fail after every attempt are in the report.
     *
     * <p>The groups' instance ids are {@code <instance>:<t>:g<first batch>}, t the orchestration time in ms when the
     * fan-out starts: a scheduled job's instance id is fixed and used again by its next run, and an engine that
     * refuses to create an instance whose id exists (durabletask-go refuses it even when that instance has
     * finished) would otherwise never start the next run's first group.
     */
    public static FanOutSummary batches(TaskOrchestrationContext ctx, String activity, int codeVersion,
                                        String manifest, int batchCount, Consumer<FanOutSummary> progress) {
        if (batchCount <= 0) {
            return FanOutSummary.empty();
        }
        if (batchCount <= GROUP_BATCHES) {
            return rounds(ctx, activity, codeVersion, manifest, BatchWork.whole(0, batchCount), progress);
        }
        String children = ctx.getInstanceId() + ":" + ctx.getCurrentInstant().toEpochMilli();
        FanOutSummary total = FanOutSummary.empty();
        Map<Task<JsonNode>, GroupRequest> inFlight = new LinkedHashMap<>();
        int next = 0;
        while (next < batchCount || !inFlight.isEmpty()) {
            while (next < batchCount && inFlight.size() < GROUPS_IN_FLIGHT) {
                GroupRequest group = new GroupRequest(codeVersion, activity, manifest, next,
                        Math.min(batchCount, next + GROUP_BATCHES));
                inFlight.put(ctx.callSubOrchestrator(BatchGroup.NAME, Wire.tree(group), children + ":g" + next,
                        JsonNode.class), group);
                next = group.to();
            }
            try {
                ctx.anyOf(new ArrayList<>(inFlight.keySet())).await();
            } catch (TaskFailedException | CompositeTaskFailedException e) {
                // anyOf rethrows a failed group's exception; the group is found and counted below.
            }
            Task<JsonNode> finished = inFlight.keySet().stream().filter(Task::isDone).findFirst()
                    .orElseThrow(() -> new IllegalStateException("anyOf returned with no group done"));
            GroupRequest group = inFlight.remove(finished);
            FanOutSummary done;
            try {
                done = Wire.read(finished.await(), FanOutSummary.class, "the result of " + BatchGroup.NAME);
            } catch (TaskFailedException e) {
                done = failedWhole(ctx, codeVersion, manifest, BatchWork.whole(group.from(), group.to()),
                        BatchGroup.NAME + " failed: " + message(e));
            } catch (Wire.Refused e) {
                done = failedWhole(ctx, codeVersion, manifest, BatchWork.whole(group.from(), group.to()), e.getMessage());
            }
            total = total.plus(done);
            progress.accept(total);
        }
        return total;
    }

    /**
     * Runs {@code activity} on the files {@code work} names, in rounds: every input of a round at once with
     * {@code allOf}; the files that failed in a way time may mend are regrouped into the next round, after one
     * timer, until {@link RetrySchedule#MAX_ATTEMPTS}; on the last round the activity reports each file that fails
     * again as a failure itself. An input that fails as a whole on its last try (or in a way time will not mend)
     * becomes one failure per file it names, written to the report by {@link RecordProblems}.
     */
    static FanOutSummary rounds(TaskOrchestrationContext ctx, String activity, int codeVersion, String manifest,
                                List<BatchWork.Part> work, Consumer<FanOutSummary> progress) {
        FanOutSummary total = FanOutSummary.empty();
        List<BatchWork.Part> pending = work;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                ctx.createTimer(RetrySchedule.delayBefore(attempt)).await();
            }
            boolean last = attempt == RetrySchedule.MAX_ATTEMPTS;
            List<BatchWork> inputs = pack(codeVersion, manifest, pending, attempt, last);
            List<Task<JsonNode>> tasks = new ArrayList<>(inputs.size());
            for (BatchWork input : inputs) {
                tasks.add(ctx.callActivity(activity, Wire.tree(input), JsonNode.class));
            }
            BatchOutcome[] outcomes = awaitEach(ctx, activity, tasks, total, progress);
            List<BatchWork.Part> again = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                BatchWork input = inputs.get(i);
                BatchOutcome outcome = outcomes[i];
                if (outcome.error() != null) {
                    if (outcome.retriable() && !last) {
                        again.addAll(input.parts());
                    } else {
                        total = total.plus(failedWhole(ctx, codeVersion, manifest, input.parts(),
                                outcome.error() + " (attempt " + attempt + ")"));
                    }
                    continue;
                }
                total = total.plus(FanOutSummary.of(outcome));
                if (!outcome.retry().isEmpty()) {
                    if (last) {
                        total = total.plus(failedWhole(ctx, codeVersion, manifest, outcome.retry(),
                                activity + " handed files back on the last attempt"));
                    } else {
                        again.addAll(outcome.retry());
                    }
                }
            }
            pending = again;
            progress.accept(total);
        }
        return total;
    }

    /**
     * Waits for every task of a round, one completion at a time ({@code anyOf}), and reports the files and bytes of
     * each batch as it ends ({@code progress} with {@code before} plus the batches done so far), so a run's status
     * moves per batch rather than per round. Schedules nothing: the round's own actions (its records of failures) come
     * after, in task order, as with one {@code allOf}. Answers each task's outcome, a failure read as one.
     */
    private static BatchOutcome[] awaitEach(TaskOrchestrationContext ctx, String activity, List<Task<JsonNode>> tasks,
                                            FanOutSummary before, Consumer<FanOutSummary> progress) {
        BatchOutcome[] outcomes = new BatchOutcome[tasks.size()];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            open.add(i);
        }
        FanOutSummary soFar = before;
        while (!open.isEmpty()) {
            List<Task<?>> waiting = new ArrayList<>();
            for (int i : open) {
                waiting.add(tasks.get(i));
            }
            try {
                ctx.anyOf(waiting).await();
            } catch (TaskFailedException | CompositeTaskFailedException e) {
                // A failed task is read as a failed outcome below.
            }
            boolean changed = false;
            for (java.util.Iterator<Integer> it = open.iterator(); it.hasNext(); ) {
                int i = it.next();
                if (!tasks.get(i).isDone()) {
                    continue;
                }
                it.remove();
                BatchOutcome outcome;
                try {
                    outcome = Wire.read(tasks.get(i).await(), BatchOutcome.class, "the result of " + activity);
                } catch (TaskFailedException e) {
                    outcome = BatchOutcome.failed(activity + " failed: " + message(e), retriable(e));
                } catch (Wire.Refused e) {
                    outcome = BatchOutcome.failed(e.getMessage(), false);
                }
                outcomes[i] = outcome;
                if (outcome.error() == null) {
                    soFar = soFar.plus(FanOutSummary.of(outcome));
                    changed = true;
                }
            }
            if (changed && !open.isEmpty()) {
                progress.accept(soFar);
            }
        }
        return outcomes;
    }

    /**
     * The inputs of one round: a whole batch alone; the files of partial batches packed together, at most
     * {@link #RETRY_FILES} to an input, in the order given.
     */
    static List<BatchWork> pack(int codeVersion, String manifest, List<BatchWork.Part> parts, int attempt,
                                boolean last) {
        List<BatchWork> inputs = new ArrayList<>();
        List<BatchWork.Part> open = new ArrayList<>();
        int openFiles = 0;
        for (BatchWork.Part part : parts) {
            if (part.isWhole()) {
                inputs.add(new BatchWork(codeVersion, manifest, List.of(part), attempt, last));
                continue;
            }
            List<Integer> positions = part.positions();
            for (int from = 0; from < positions.size(); ) {
                int room = RETRY_FILES - openFiles;
                int to = Math.min(positions.size(), from + room);
                open.add(new BatchWork.Part(part.batch(), positions.subList(from, to)));
                openFiles += to - from;
                from = to;
                if (openFiles == RETRY_FILES) {
                    inputs.add(new BatchWork(codeVersion, manifest, open, attempt, last));
                    open = new ArrayList<>();
                    openFiles = 0;
                }
            }
        }
        if (!open.isEmpty()) {
            inputs.add(new BatchWork(codeVersion, manifest, open, attempt, last));
        }
        return inputs;
    }

    /**
     * Files that failed as a whole: each one written to the report with {@code reason} ({@link RecordProblems}),
     * counted as a failure. If even that fails, each part counts as one failure that names its batch.
     */
    private static FanOutSummary failedWhole(TaskOrchestrationContext ctx, int codeVersion, String manifest,
                                             List<BatchWork.Part> parts, String reason) {
        String where = parts.size() == 1 ? "batch " + parts.get(0).batch()
                : "batches " + parts.get(0).batch() + " to " + parts.get(parts.size() - 1).batch();
        FileProblem failure = new FileProblem("(the files of " + where + " of manifest " + manifest + ")", reason);
        try {
            long count = call(ctx, RecordProblems.NAME, new ProblemRecord(codeVersion, manifest, parts, null, reason),
                    Long.class);
            return FanOutSummary.failed(count, failure, false);
        } catch (Failed e) {
            return FanOutSummary.failed(parts.size(), new FileProblem(failure.getPath(), reason
                    + "; the report could not name each file: " + e.getMessage()), true);
        }
    }

    /** A failure's message, cut to a line: its details may carry a whole stack trace. */
    public static String message(TaskFailedException e) {
        String text = e.getErrorDetails() == null ? e.getMessage() : e.getErrorDetails().getErrorMessage();
        String line = Printable.quote(text == null ? "no message" : text.lines().findFirst().orElse(""));
        return line.length() <= FileProblem.MAX_TEXT ? line : line.substring(0, FileProblem.MAX_TEXT) + "...";
    }

    /**
     * Whether a failure may pass with time: all but a refused input ({@code IllegalArgumentException} and its
     * kind), however the host names the class (the Functions host and the sidecar give the simple name, the SDK
     * the full one).
     */
    static boolean retriable(TaskFailedException e) {
        return e.getErrorDetails() == null || retriable(e.getErrorDetails().getErrorType());
    }

    /** Whether a failure of the exception class named {@code errorType} (simple or full name) may pass with time. */
    static boolean retriable(String errorType) {
        if (errorType == null) {
            return true;
        }
        String simple = errorType.substring(errorType.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        return !simple.equals("IllegalArgumentException") && !simple.equals("Refused");
    }

    /** A call that failed for good, or whose result could not be read; the message names the activity. */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failed(String message) {
            super(message);
        }
    }
}
