package com.contoso.sitebackup.harness;

import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.CompleteOrchestrationAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.HistoryEvent;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.OrchestratorAction;
import com.microsoft.durabletask.implementation.protobuf.OrchestratorService.TaskFailureDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a harness run ended: the root instance's runtime status ({@code Completed}, {@code Failed}), output
 * (JSON), failure, custom status (JSON), the run's metrics, and every instance's final history.
 */
public final class HarnessResult {
    /** One instance's final state. */
    public record InstanceRecord(String id, String name, List<HistoryEvent> history,
                                 CompleteOrchestrationAction completion, String status) {
    }

    private final String instanceId;
    private final String runtimeStatus;
    private final String output;
    private final TaskFailureDetails failure;
    private final String customStatus;
    private final HarnessMetrics metrics;
    private final Map<String, InstanceRecord> instances;
    private final String name;
    private final Function<String, List<OrchestratorAction>> replay;

    HarnessResult(String instanceId, String runtimeStatus, String output, TaskFailureDetails failure,
                  String customStatus, HarnessMetrics metrics, Map<String, InstanceRecord> instances, String name,
                  Function<String, List<OrchestratorAction>> replay) {
        this.instanceId = instanceId;
        this.runtimeStatus = runtimeStatus;
        this.output = output;
        this.failure = failure;
        this.customStatus = customStatus;
        this.metrics = metrics;
        this.instances = instances;
        this.name = name;
        this.replay = replay;
    }

    public String runtimeStatus() {
        return runtimeStatus;
    }

    /** The output as JSON (a number for a backup), or null. */
    public String output() {
        return output;
    }

    /** The failure message of a Failed instance, or null. */
    public String failureMessage() {
        return failure == null ? null : failure.getErrorMessage();
    }

    /** The last custom status, as JSON. */
    public String customStatus() {
        return customStatus;
    }

    public HarnessMetrics metrics() {
        return metrics;
    }

    /** Every instance of the run (the root and its sub-orchestrations), with its final history. */
    public Map<String, InstanceRecord> instances() {
        return instances;
    }

    /** Instances that did not finish (always empty: a run returns when the root finishes). */
    public List<String> unfinishedInstances() {
        return instances.values().stream().filter(i -> i.completion() == null).map(InstanceRecord::id).toList();
    }

    /**
     * Replays every instance's whole final history with no new events and lists what differs from the
     * recorded run: any action other than the same completion is a determinism violation.
     */
    public List<String> determinismViolations() {
        List<String> violations = new ArrayList<>();
        for (InstanceRecord instance : instances.values()) {
            List<OrchestratorAction> actions = replay.apply(instance.id());
            if (actions.size() != 1 || !actions.get(0).hasCompleteOrchestration()
                    || !actions.get(0).getCompleteOrchestration().equals(instance.completion())) {
                violations.add(instance.id() + ": " + actions);
            }
        }
        return violations;
    }

    /** The final status in the shape of the Durable status query response. */
    public String statusJson() {
        return "{\"name\":\"" + name + "\",\"instanceId\":\"" + instanceId + "\",\"runtimeStatus\":\"" + runtimeStatus
                + "\",\"output\":" + (output != null ? output : failure != null ? quote(failure.getErrorMessage()) : "null")
                + ",\"customStatus\":" + (customStatus == null ? "null" : customStatus)
                + ",\"harnessMetrics\":" + metricsJson() + "}";
    }

    private String metricsJson() {
        HarnessMetrics m = metrics;
        return "{\"episodes\":" + m.episodes() + ",\"eventsReplayed\":" + m.eventsReplayed()
                + ",\"largestHistoryEvents\":" + m.largestHistoryEvents() + ",\"largestHistoryBytes\":"
                + m.largestHistoryBytes() + ",\"largestPayloadBytes\":" + m.largestPayloadBytes()
                + ",\"activityExecutions\":" + m.activityExecutions() + ",\"activityFailures\":" + m.activityFailures()
                + ",\"restarts\":" + m.restarts() + ",\"subOrchestrations\":" + m.subOrchestrations() + "}";
    }

    private static String quote(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }
}
