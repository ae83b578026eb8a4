package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;

import com.microsoft.durabletask.CompositeTaskFailedException;
import com.microsoft.durabletask.Task;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The fan-out/fan-in every job shares, with retries in rounds ({@link RetrySchedule}).
 * <ul>
 *   <li>{@link #call}: one activity, tried again after each round's timer until it succeeds or the attempts
 *       run out;</li>
 *   <li>{@link #files}: one file activity per input with {@code allOf}; the inputs that failed are tried
 *       again together after one timer; outcomes, warnings, expected problems and failures are sorted apart and
 *       all but the outcomes recorded in the run's report;</li>
 *   <li>{@link #slices}: a large job's manifest slices as sub-orchestrations, at most
 *       {@link #MAX_SLICES_IN_FLIGHT} at a time; above {@link #SLICES_PER_GROUP} slices, in groups run by
 *       {@link SliceGroup}, so the parent's history holds one entry per group, not per slice.</li>
 * </ul>
 * Deterministic; catches only task failures, never the SDK's own control-flow exceptions.
 */
public final class FanOut {
    /** Slices at once: enough to keep every activity slot busy, few enough to keep queues short. */
    public static final int MAX_SLICES_IN_FLIGHT = 8;
    /** Slices per group: a group's history stays near 50 slice entries, the parent's near one per group. */
    public static final int SLICES_PER_GROUP = 50;

    private FanOut() {
    }

    /**
     * Calls {@code activity} once, and again after each retry timer while it fails with a retriable error.
     *
     * @throws TaskFailedException the last failure, when every attempt failed
     */
    public static <T> T call(TaskOrchestrationContext ctx, String activity, Object input, Class<T> resultType) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ctx.callActivity(activity, input, resultType).await();
            } catch (TaskFailedException e) {
                if (attempt == RetrySchedule.MAX_ATTEMPTS || !retriable(e)) {
                    throw e;
                }
            }
            ctx.createTimer(RetrySchedule.delayBefore(attempt + 1)).await();
        }
    }

    /**
     * Runs {@code activity} (answering a {@link FileOutcome}) on every input and sums what it achieved; the
     * problems and failures are added to {@code report} as batch {@code reportKey}.
     *
     * @param pathOf names the file an input is about, for failures
     */
    public static <I> FanOutSummary files(TaskOrchestrationContext ctx, String activity, List<I> inputs,
                                          Function<I, String> pathOf, String report, String reportKey) {
        long done = 0;
        long bytes = 0;
        List<FileProblem> problems = new ArrayList<>();
        List<FileProblem> failures = new ArrayList<>();
        List<FileProblem> warnings = new ArrayList<>();
        List<I> pending = inputs;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                ctx.createTimer(RetrySchedule.delayBefore(attempt)).await();
            }
            List<Task<FileOutcome>> tasks = new ArrayList<>(pending.size());
            for (I input : pending) {
                tasks.add(ctx.callActivity(activity, input, FileOutcome.class));
            }
            try {
                ctx.allOf(tasks).await();
            } catch (CompositeTaskFailedException e) {
                // Every task has finished; which ones failed is read from each task below.
            }
            List<I> again = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                I input = pending.get(i);
                try {
                    FileOutcome outcome = tasks.get(i).await();
                    if (outcome == null) {
                        failures.add(new FileProblem(pathOf.apply(input), "the activity returned no result"));
                    } else if (outcome.isDone()) {
                        done++;
                        bytes += outcome.getBytes();
                        if (outcome.getWarning() != null) {
                            warnings.add(new FileProblem(pathOf.apply(input), outcome.getWarning()));
                        }
                    } else {
                        problems.add(new FileProblem(pathOf.apply(input), outcome.getProblem()));
                    }
                } catch (TaskFailedException e) {
                    if (attempt < RetrySchedule.MAX_ATTEMPTS && retriable(e)) {
                        again.add(input);
                    } else {
                        failures.add(new FileProblem(pathOf.apply(input), "failed after " + attempt + " attempt(s): "
                                + e.getErrorDetails().getErrorMessage()));
                    }
                }
            }
            pending = again;
        }
        List<FileProblem> listed = new ArrayList<>(problems);
        listed.addAll(warnings);
        record(ctx, report, reportKey, failures, listed);
        return FanOutSummary.of(done, bytes, problems, failures).withWarnings(warnings);
    }

    /**
     * Runs the {@code sliceCount} slices of {@code slice}'s manifest as {@code sliceOrchestrator}
     * sub-orchestrations, calling {@code progress} with the running total as each slice (or group) ends.
     *
     * <p>The children's instance ids are {@code <instance>:<t>:<n>} (groups {@code <instance>:<t>:g<n>}), t the
     * orchestration time in ms when the slices start: a job's instance id is fixed and used again by its next
     * run, and an engine that refuses to create an instance whose id exists (durabletask-go refuses it even
     * when that instance has finished) would otherwise never start the next run's first slice.
     */
    public static FanOutSummary slices(TaskOrchestrationContext ctx, String sliceOrchestrator, SliceRequest slice,
                                       int sliceCount, Consumer<FanOutSummary> progress) {
        String children = ctx.getInstanceId() + ":" + ctx.getCurrentInstant().toEpochMilli();
        if (sliceCount <= SLICES_PER_GROUP) {
            return window(ctx, children, sliceOrchestrator, slice, 0, sliceCount, progress);
        }
        FanOutSummary total = FanOutSummary.empty();
        for (int from = 0; from < sliceCount; from += SLICES_PER_GROUP) {
            int to = Math.min(sliceCount, from + SLICES_PER_GROUP);
            SliceGroupRequest group = new SliceGroupRequest(sliceOrchestrator, slice, from, to);
            FanOutSummary done;
            try {
                done = ctx.callSubOrchestrator(SliceGroup.NAME, group, children + ":g" + from,
                        FanOutSummary.class).await();
            } catch (TaskFailedException e) {
                done = wholeFailure(ctx, slice, "slices " + from + " to " + (to - 1), e);
            }
            total = total.plus(done);
            progress.accept(total);
        }
        return total;
    }

    /**
     * Slices {@code from} (inclusive) to {@code to} (exclusive) in a sliding window, each the instance
     * {@code <children>:<index>}.
     */
    static FanOutSummary window(TaskOrchestrationContext ctx, String children, String sliceOrchestrator,
                                SliceRequest slice, int from, int to, Consumer<FanOutSummary> progress) {
        FanOutSummary total = FanOutSummary.empty();
        Map<Task<FanOutSummary>, Integer> inFlight = new LinkedHashMap<>();
        int next = from;
        while (next < to || !inFlight.isEmpty()) {
            while (next < to && inFlight.size() < MAX_SLICES_IN_FLIGHT) {
                inFlight.put(ctx.callSubOrchestrator(sliceOrchestrator, slice.at(next),
                        children + ":" + next, FanOutSummary.class), next);
                next++;
            }
            try {
                ctx.anyOf(new ArrayList<>(inFlight.keySet())).await();
            } catch (TaskFailedException | CompositeTaskFailedException e) {
                // anyOf rethrows a failed slice's exception; the slice is found and reported below.
            }
            Task<FanOutSummary> finished = inFlight.keySet().stream().filter(Task::isDone).findFirst()
                    .orElseThrow(() -> new IllegalStateException("anyOf returned with no slice done"));
            int index = inFlight.remove(finished);
            FanOutSummary done;
            try {
                done = finished.await();
            } catch (TaskFailedException e) {
                done = wholeFailure(ctx, slice, "slice " + index, e);
            }
            total = total.plus(done == null ? FanOutSummary.empty() : done);
            progress.accept(total);
        }
        return total;
    }

    /** A slice or group that failed as a whole (a defect, not a file's failure): one failure that names it. */
    private static FanOutSummary wholeFailure(TaskOrchestrationContext ctx, SliceRequest slice, String which,
                                              TaskFailedException e) {
        FileProblem failure = new FileProblem("(every file of " + which + " of manifest " + slice.getManifest() + ")",
                "failed: " + e.getErrorDetails().getErrorMessage()
                        + " (see the sub-orchestration's custom status for the cause)");
        record(ctx, slice.getReport(), "failed " + which, List.of(failure), List.of());
        return FanOutSummary.of(0, 0, List.of(), List.of(failure));
    }

    /** Adds the failures, then the problems, to the run's report; nothing when there are none. */
    private static void record(TaskOrchestrationContext ctx, String report, String key, List<FileProblem> failures,
                               List<FileProblem> problems) {
        if (report == null || (failures.isEmpty() && problems.isEmpty())) {
            return;
        }
        List<FileProblem> all = new ArrayList<>(failures);
        all.addAll(problems);
        call(ctx, RecordProblems.NAME, new ProblemBatch(report, key, all), Integer.class);
    }

    /**
     * The body of every slice sub-orchestration: reads its slice of the manifest, then runs {@code activity}
     * on one input per file, made by {@code input}. A slice whose manifest cannot be read counts as one failure.
     */
    public static <I> FanOutSummary slice(TaskOrchestrationContext ctx, String activity,
                                          java.util.function.BiFunction<SliceRequest, FileEntry, I> input,
                                          Function<I, String> pathOf) {
        SliceRequest slice = ctx.getInput(SliceRequest.class);
        try {
            if (slice == null) {
                throw new IllegalArgumentException("input: a slice request is required");
            }
            slice.validate();
        } catch (IllegalArgumentException e) {
            ctx.setCustomStatus("rejected: " + e.getMessage());
            return FanOutSummary.of(0, 0, List.of(), List.of(new FileProblem("(slice)", "rejected: " + e.getMessage())));
        }
        List<FileEntry> files;
        try {
            files = call(ctx, ReadManifestSlice.NAME, slice, FileSlice.class).getFiles();
        } catch (TaskFailedException e) {
            return wholeFailure(ctx, slice, "slice " + slice.getIndex(), e);
        }
        List<I> inputs = files.stream().map(f -> input.apply(slice, f)).toList();
        return files(ctx, activity, inputs, pathOf, slice.getReport(), "slice " + slice.getIndex());
    }

    /**
     * Whether a failure may pass with time. An activity throws for what it did not expect (storage
     * unavailable, a file changing while read); a bad input (IllegalArgumentException) will fail again.
     */
    static boolean retriable(TaskFailedException e) {
        return !e.getErrorDetails().isCausedBy(IllegalArgumentException.class);
    }
}
