package com.contoso.sitebackup.harness;

import java.nio.charset.StandardCharsets;

/**
 * What a harness run did: episodes (orchestrator executions), history events replayed (the past events
 * fed to every episode, summed), the largest history of any instance (events and serialized bytes), the
 * largest payload (any input, result, output or custom status, UTF-8 bytes), the largest batch of new
 * events, activity executions (duplicates and retries included), and the faults it injected. Activities
 * scheduled counts the tasks orchestrators scheduled; abandoned in flight, the executions whose completion a
 * restart lost (they ran in a process that died before reporting it); abandoned queued, the deliveries a restart
 * dropped before they started (a restarted process never runs what its predecessor had queued). So
 * {@code activityExecutions = activitiesScheduled x deliveries + abandonedInFlight}, with at most
 * {@code maxConcurrentActivityFunctions} abandoned in flight per restart.
 */
public record HarnessMetrics(long episodes, long eventsReplayed, long largestHistoryEvents, long largestHistoryBytes,
                             long largestPayloadBytes, long largestBatch, long activityExecutions,
                             long activityFailures, long injectedFailures, long timersFired, long restarts,
                             long droppedDuplicates, long subOrchestrations, long peakConcurrentActivities,
                             long activitiesScheduled, long abandonedInFlight, long abandonedQueued) {

    /** The figures as one line, for logs and the closing note. */
    public String summary() {
        return "episodes=" + episodes + " eventsReplayed=" + eventsReplayed + " largestHistory=" + largestHistoryEvents
                + " events/" + largestHistoryBytes + " B largestPayload=" + largestPayloadBytes + " B largestBatch="
                + largestBatch + " activityExecutions=" + activityExecutions + " activityFailures=" + activityFailures
                + " injectedFailures=" + injectedFailures + " retryTimers=" + timersFired + " restarts=" + restarts
                + " droppedDuplicates=" + droppedDuplicates + " subOrchestrations=" + subOrchestrations
                + " peakConcurrentActivities=" + peakConcurrentActivities + " activitiesScheduled="
                + activitiesScheduled + " abandonedInFlight=" + abandonedInFlight + " abandonedQueued=" + abandonedQueued;
    }

    /** The mutable counters behind a snapshot; used by the harness's main loop and its activity threads. */
    static final class Counter {
        long episodes;
        long eventsReplayed;
        long largestHistoryEvents;
        long largestHistoryBytes;
        long largestPayloadBytes;
        long largestBatch;
        long activityExecutions;
        long activityFailures;
        long injectedFailures;
        long timersFired;
        long restarts;
        long droppedDuplicates;
        long subOrchestrations;
        long peakConcurrentActivities;
        long activitiesScheduled;
        long abandonedInFlight;
        long abandonedQueued;

        synchronized void payload(String json) {
            largestPayloadBytes = Math.max(largestPayloadBytes, json.getBytes(StandardCharsets.UTF_8).length);
        }

        synchronized void largestHistory(long events, long bytes) {
            largestHistoryEvents = Math.max(largestHistoryEvents, events);
            largestHistoryBytes = Math.max(largestHistoryBytes, bytes);
        }

        synchronized HarnessMetrics snapshot() {
            return new HarnessMetrics(episodes, eventsReplayed, largestHistoryEvents, largestHistoryBytes,
                    largestPayloadBytes, largestBatch, activityExecutions, activityFailures, injectedFailures,
                    timersFired, restarts, droppedDuplicates, subOrchestrations, peakConcurrentActivities,
                    activitiesScheduled, abandonedInFlight, abandonedQueued);
        }
    }
}
