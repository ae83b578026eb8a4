package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileProblem;
import com.contoso.sitebackup.backup.FileSlice;
import com.contoso.sitebackup.backup.SliceRequest;
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
import java.util.function.IntFunction;

/**
 * The fan-out/fan-in shared by the orchestrators. {@link #files} runs one file activity per input with
 * {@code allOf} and sorts copies, expected problems and failures apart; {@link #slices} runs a large job's
 * slices as sub-orchestrations, at most {@link #MAX_SLICES_IN_FLIGHT} at a time, reporting each as it ends.
 * Deterministic; catches only task failures, never the SDK's own control-flow exceptions.
 */
final class FanOut {
    /** Slices at once: enough to keep every activity slot busy, few enough to keep queues short. */
    static final int MAX_SLICES_IN_FLIGHT = 8;

    private FanOut() {
    }

    /**
     * A slice of a large backup, restore or content check: reads the slice's files from the manifest, then
     * runs {@code activity} on one input per file, made by {@code input}.
     */
    static CopySummary slice(TaskOrchestrationContext ctx, SliceRequest slice, String activity,
                             Function<FileEntry, ?> input) {
        FileSlice files = ctx.callActivity(ReadManifestSlice.NAME, slice, BackupSiteContent.ACTIVITY_RETRY,
                FileSlice.class).await();
        return files(ctx, activity, files.getFiles().stream().map(input).toList(),
                files.getFiles().stream().map(FileEntry::getPath).toList());
    }

    /** One {@code activity} per input (each answering a {@link CopyResult}); {@code paths} name the files. */
    static CopySummary files(TaskOrchestrationContext ctx, String activity, List<?> inputs, List<String> paths) {
        List<Task<CopyResult>> tasks = new ArrayList<>(inputs.size());
        for (Object input : inputs) {
            tasks.add(ctx.callActivity(activity, input, BackupSiteContent.ACTIVITY_RETRY, CopyResult.class));
        }
        try {
            ctx.allOf(tasks).await();
        } catch (CompositeTaskFailedException e) {
            // Every task has finished; which ones failed is read from each task below.
        }
        long bytes = 0;
        long done = 0;
        List<FileProblem> problems = new ArrayList<>();
        List<FileProblem> failures = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            try {
                CopyResult result = tasks.get(i).await();
                if (result.getProblem() == null) {
                    bytes += result.getBytes();
                    done++;
                } else {
                    problems.add(new FileProblem(paths.get(i), result.getProblem()));
                }
            } catch (TaskFailedException e) {
                failures.add(new FileProblem(paths.get(i), "copy failed: " + e.getErrorDetails().getErrorMessage()));
            }
        }
        return new CopySummary(done, bytes, problems, failures);
    }

    /**
     * Runs {@code sliceCount} sub-orchestrations of {@code subOrchestrator} (instance ids
     * {@code <parent>:<index>}, inputs from {@code input}), calling {@code progress} with the running total as
     * each one ends; a slice that fails as a whole counts as one failure naming it.
     */
    static CopySummary slices(TaskOrchestrationContext ctx, String subOrchestrator, int sliceCount, String manifest,
                              IntFunction<Object> input, Consumer<CopySummary> progress) {
        CopySummary total = CopySummary.empty();
        Map<Task<CopySummary>, Integer> inFlight = new LinkedHashMap<>();
        int next = 0;
        while (next < sliceCount || !inFlight.isEmpty()) {
            while (next < sliceCount && inFlight.size() < MAX_SLICES_IN_FLIGHT) {
                inFlight.put(ctx.callSubOrchestrator(subOrchestrator, input.apply(next), ctx.getInstanceId() + ":" + next,
                        CopySummary.class), next);
                next++;
            }
            try {
                ctx.anyOf(new ArrayList<>(inFlight.keySet())).await();
            } catch (TaskFailedException | CompositeTaskFailedException e) {
                // anyOf rethrows a failed slice's exception; the slice is found and reported below.
            }
            Task<CopySummary> finished = inFlight.keySet().stream().filter(Task::isDone).findFirst()
                    .orElseThrow(() -> new IllegalStateException("anyOf returned with no slice done"));
            int index = inFlight.remove(finished);
            CopySummary slice;
            try {
                slice = finished.await();
            } catch (TaskFailedException e) {
                slice = new CopySummary(0, 0, List.of(), List.of(new FileProblem(
                        "(every file of slice " + index + " of manifest " + manifest + ")",
                        "slice failed: " + e.getErrorDetails().getErrorMessage())));
            }
            total = total.plus(slice);
            progress.accept(total);
        }
        return total;
    }
}
