package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.backup.SealSnapshot;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.Replay;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestrationStatus;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A whole backup's orchestration through the SDK's replay engine in the worst delivery there is: one completion per
 * episode, so every completion costs a replay of the whole history so far (the parent and every group of batches).
 * {@code FanOutTest} asserts issue 22's bounds on it; the benchmark's {@code OrchestrationCost} prints it per size.
 */
public final class WorstDelivery {
    private static final String MANIFEST = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private WorstDelivery() {
    }

    /**
     * What a backup of {@code files} files in batches of {@code batchFiles} cost.
     *
     * @param parentReplayed history events the parent's episodes replayed
     * @param groupsReplayed history events the groups' episodes replayed, all groups
     * @param activities activity executions (listing, batches, seal)
     * @param largestGroupHistory the largest group history, events
     * @param parentHistory the parent's history, events
     * @param largestHistoryBytes the largest history of any instance, bytes
     */
    public record Result(int files, int batches, int groups, long parentReplayed, long groupsReplayed, long activities,
                         int largestGroupHistory, int parentHistory, long largestHistoryBytes) {
        /** History events replayed per file, parent and groups. */
        public double replayedPerFile() {
            return (double) (parentReplayed + groupsReplayed) / files;
        }
    }

    /** A batch's outcome: every file done. */
    public static BatchOutcome done(BatchWork work, long filesPerBatch) {
        long files = work.parts().stream().mapToLong(p -> p.isWhole() ? filesPerBatch : p.positions().size()).sum();
        return new BatchOutcome(files, files * 10, 0, 0, 0, List.of(), List.of(), List.of(), null, false, false);
    }

    /** The largest outcome a batch can answer: five problems and five failures, each at the longest kept text. */
    public static BatchOutcome largest(BatchWork work, long filesPerBatch) {
        String longest = "x".repeat(FileProblem.MAX_TEXT);
        List<FileProblem> five = IntStream.range(0, 5).mapToObj(i -> new FileProblem(longest, longest)).toList();
        long files = work.parts().stream().mapToLong(p -> p.isWhole() ? filesPerBatch : p.positions().size()).sum();
        return new BatchOutcome(files - 10, files * 10, 5, 0, 5, five, five, List.of(), null, false, true);
    }

    /** A whole backup of {@code files} small files in batches of {@code batchFiles}, one completion per episode. */
    public static Result backup(int files, int batchFiles) {
        int batches = (files + batchFiles - 1) / batchFiles;
        Replay parent = new Replay(BackupSiteContent.NAME, "scale-" + files,
                (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx, new RecordingContext("scale")));
        OrchestratorAction list = parent.start(BackupRequest.of("/data").withDefaults("backups")
                .withCodeVersion(CodeVersion.CURRENT)).getActions(0);
        JobPlan plan = new JobPlan("/data", MANIFEST, batches, files, files * 10L, 0, 0, 0, List.of(), null, null);
        List<OrchestratorAction> pending = new ArrayList<>(parent.episode(parent.taskCompleted(list, plan))
                .getActionsList());
        long groupsReplayed = 0;
        long activities = 1;
        int groups = 0;
        int largestGroupHistory = 0;
        long largestBytes = 0;
        CompleteOrchestrationAction end = null;
        while (end == null) {
            OrchestratorAction next = pending.remove(0);
            OrchestratorResponse response;
            if (next.hasScheduleTask() && next.getScheduleTask().getName().equals(CopyFileToBlob.NAME)) {
                // Up to a group's worth of batches, the parent fans them out itself (FanOut#batches).
                activities++;
                response = parent.episode(parent.taskCompleted(next, done(Replay.inputOf(next, BatchWork.class),
                        batchFiles)));
            } else if (next.hasScheduleTask()) {
                if (!next.getScheduleTask().getName().equals(SealSnapshot.NAME)) {
                    throw new IllegalStateException("the parent scheduled " + next.getScheduleTask().getName()
                            + ", not " + CopyFileToBlob.NAME + " or " + SealSnapshot.NAME);
                }
                activities++;
                response = parent.episode(parent.taskCompleted(next, new SnapshotInfo("20260101T000000.000Z", "backups",
                        "data", "/data", "x", "x", "y", files, 0, 0, files * 10L, 0)));
            } else if (next.hasCreateSubOrchestration()) {
                GroupRequest request = Replay.inputOf(next, GroupRequest.class);
                Replay group = group(request.from(), request.to(), batchFiles, false);
                groups++;
                groupsReplayed += group.eventsReplayed();
                activities += request.to() - request.from();
                largestGroupHistory = Math.max(largestGroupHistory, group.historyEvents());
                largestBytes = Math.max(largestBytes, group.historyBytes());
                long count = (long) (request.to() - request.from()) * batchFiles;
                response = parent.episode(parent.subOrchestrationCompleted(next,
                        new FanOutSummary(count, count * 10, 0, 0, 0, List.of(), List.of(), false)));
            } else {
                throw new IllegalStateException("the parent asked for neither a task nor a group: " + next);
            }
            for (OrchestratorAction action : response.getActionsList()) {
                if (action.hasCompleteOrchestration()) {
                    end = action.getCompleteOrchestration();
                } else {
                    pending.add(action);
                }
            }
        }
        if (end.getOrchestrationStatus() != OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED) {
            throw new IllegalStateException("the backup of " + files + " files ended " + end.getOrchestrationStatus());
        }
        return new Result(files, batches, groups, parent.eventsReplayed(), groupsReplayed, activities,
                largestGroupHistory, parent.historyEvents(), Math.max(largestBytes, parent.historyBytes()));
    }

    /** Runs one group of batches {@code from} to {@code to}, one completion per episode, to its end. */
    public static Replay group(int from, int to, int filesPerBatch, boolean largestOutcomes) {
        Replay group = new Replay(BatchGroup.NAME, "group-" + from,
                (OrchestratorFunction<FanOutSummary>) ctx -> new BatchGroup().run(ctx));
        List<OrchestratorAction> inFlight = new ArrayList<>(group.start(new GroupRequest(CodeVersion.CURRENT,
                "CopyFileToBlob", MANIFEST, from, to)).getActionsList());
        if (inFlight.size() != to - from) {
            throw new IllegalStateException("the group scheduled " + inFlight.size() + " batches, not " + (to - from));
        }
        boolean ended = false;
        while (!ended) {
            OrchestratorAction next = inFlight.remove(0);
            BatchWork work = Replay.inputOf(next, BatchWork.class);
            OrchestratorResponse response = group.episode(group.taskCompleted(next,
                    largestOutcomes ? largest(work, filesPerBatch) : done(work, filesPerBatch)));
            for (OrchestratorAction action : response.getActionsList()) {
                if (action.hasCompleteOrchestration()) {
                    ended = true;
                } else {
                    inFlight.add(action);
                }
            }
        }
        return group;
    }
}
