package com.contoso.sitebackup.harness;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.OrchestratorFunction;
import com.microsoft.durabletask.RetryPolicy;
import com.microsoft.durabletask.Task;
import com.microsoft.durabletask.TaskOptions;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The harness on small orchestrations of its own, without storage. */
class DurableHarnessTest {

    /** An activity input type: the Gson binding needs a class, as the worker does. */
    public static final class Number {
        private final int value;

        public Number(int value) {
            this.value = value;
        }

        public int getValue() {
            return value;
        }
    }

    /** Doubles a number after a short pause, counting calls. */
    public static final class Double {
        static final AtomicInteger CALLS = new AtomicInteger();

        @FunctionName("Double")
        public int run(@DurableActivityTrigger(name = "input") Number input) throws InterruptedException {
            CALLS.incrementAndGet();
            Thread.sleep(5);
            return input.getValue() * 2;
        }
    }

    /** Always fails. */
    public static final class Broken {
        @FunctionName("Broken")
        public int run(@DurableActivityTrigger(name = "input") Number input) {
            throw new IllegalStateException("broken for " + input.getValue());
        }
    }

    private static final OrchestratorFunction<Integer> FAN_OUT = ctx -> {
        int n = ctx.getInput(Integer.class);
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            tasks.add(ctx.callActivity("Double", new Number(i), Integer.class));
        }
        return ctx.allOf(tasks).await().stream().mapToInt(Integer::intValue).sum();
    };

    private DurableHarness harness(DurableHarness.Faults faults) {
        return new DurableHarness(Path.of("host.json"), faults)
                .orchestrator("FanOut", FAN_OUT)
                .activity(new Double())
                .activity(new Broken());
    }

    @Test
    void run_fanOutOf200_completesWithinHostJsonLimits() {
        DurableHarness harness = harness(DurableHarness.Faults.none());

        HarnessResult result = harness.run("FanOut", 200);

        assertEquals("Completed", result.runtimeStatus());
        assertEquals(200 * 201, Integer.parseInt(result.output()));
        HarnessMetrics metrics = result.metrics();
        assertEquals(200, metrics.activityExecutions());
        assertTrue(metrics.largestBatch() <= harness.batchSize(), metrics.summary());
        assertTrue(metrics.peakConcurrentActivities() <= harness.maxConcurrentActivities(), metrics.summary());
        assertTrue(metrics.peakConcurrentActivities() > 1, "activities ran in parallel: " + metrics.summary());
        assertEquals(List.of(), result.determinismViolations());
    }

    @Test
    void constructor_hostJson_readsConcurrencyAndBatchSize() {
        DurableHarness harness = DurableHarness.fromProjectHostJson();

        assertEquals(16, harness.maxConcurrentActivities());
        assertEquals(32, harness.batchSize());
    }

    /**
     * Every episode is followed by a restart. The output is the same, and the work stays linear: every execution
     * is either the one whose completion was recorded or one a restart abandoned while it ran (at most one pool's
     * worth per restart), so nothing a dead process had queued ever ran. (The harness used to submit the running
     * activities again to the same pool on every restart without dropping what was queued there: its executions
     * grew with the square of the fan-out.)
     */
    @Test
    void run_restartAfterEveryEpisode_sameOutputAndNothingQueuedByADeadProcessRuns() {
        int fanOut = 200;
        DurableHarness harness = harness(DurableHarness.Faults.none().withRestartAfterEveryEpisode());

        HarnessResult result = harness.run("FanOut", fanOut);

        assertEquals("Completed", result.runtimeStatus());
        assertEquals(fanOut * (fanOut + 1), Integer.parseInt(result.output()));
        HarnessMetrics metrics = result.metrics();
        System.out.println("restart after every episode, fan-out of " + fanOut + ": " + metrics.summary());
        assertEquals(metrics.episodes(), metrics.restarts());
        assertEquals(fanOut, metrics.activitiesScheduled());
        assertEquals(metrics.activitiesScheduled() + metrics.abandonedInFlight(), metrics.activityExecutions(),
                "each execution recorded or abandoned by a restart while it ran: " + metrics.summary());
        assertTrue(metrics.abandonedInFlight() <= metrics.restarts() * harness.maxConcurrentActivities(), metrics.summary());
        assertEquals(List.of(), result.determinismViolations());
    }

    @Test
    void run_duplicateDelivery_runsEachActivityTwiceAndRecordsOneCompletion() {
        HarnessResult result = harness(DurableHarness.Faults.none().withDuplicateDelivery()).run("FanOut", 40);

        assertEquals("Completed", result.runtimeStatus());
        assertEquals(40 * 41, Integer.parseInt(result.output()));
        assertEquals(80, result.metrics().activityExecutions());
        assertEquals(40, result.metrics().droppedDuplicates());
    }

    @Test
    void run_timerOfAnHour_firesInVirtualTime() {
        OrchestratorFunction<Long> sleeper = ctx -> {
            Instant before = ctx.getCurrentInstant();
            ctx.createTimer(Duration.ofHours(1)).await();
            return Duration.between(before, ctx.getCurrentInstant()).toMinutes();
        };

        // The harness gives up after a minute: an hour's timer waited for on the wall clock would fail the run.
        HarnessResult result = harness(DurableHarness.Faults.none()).orchestrator("Sleeper", sleeper)
                .run("Sleeper", 0, Duration.ofMinutes(1));

        assertEquals("Completed", result.runtimeStatus());
        assertEquals(60, Long.parseLong(result.output()));
        assertEquals(1, result.metrics().timersFired());
    }

    @Test
    void run_activityFailsFirstAttemptsUnderRetryPolicy_completesAfterRetries() {
        TaskOptions retry = new TaskOptions(new RetryPolicy(3, Duration.ofSeconds(30)));
        OrchestratorFunction<Integer> retrying = ctx -> ctx.callActivity("Double", new Number(21), retry, Integer.class).await();

        HarnessResult result = harness(DurableHarness.Faults.none().withFailingAttempts((name, input, attempt) -> attempt <= 2))
                .orchestrator("Retrying", retrying).run("Retrying", 0);

        assertEquals("Completed", result.runtimeStatus());
        assertEquals(42, Integer.parseInt(result.output()));
        assertEquals(2, result.metrics().injectedFailures());
        assertEquals(2, result.metrics().timersFired());
    }

    @Test
    void run_activityThrowsUnhandled_failsTheInstanceWithItsMessage() {
        OrchestratorFunction<Integer> failing = ctx -> ctx.callActivity("Broken", new Number(7), Integer.class).await();

        HarnessResult result = harness(DurableHarness.Faults.none()).orchestrator("Failing", failing).run("Failing", 0);

        assertEquals("Failed", result.runtimeStatus());
        assertTrue(result.failureMessage().contains("broken for 7"), result.failureMessage());
    }

    @Test
    void run_subOrchestrations_runAsInstancesOfTheirOwn() {
        OrchestratorFunction<Integer> parent = ctx -> {
            List<Task<Integer>> children = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                children.add(ctx.callSubOrchestrator("FanOut", 10, ctx.getInstanceId() + ":" + i, Integer.class));
            }
            return ctx.allOf(children).await().stream().mapToInt(Integer::intValue).sum();
        };

        HarnessResult result = harness(DurableHarness.Faults.none()).orchestrator("Parent", parent).run("Parent", 0);

        assertEquals("Completed", result.runtimeStatus());
        assertEquals(3 * 110, Integer.parseInt(result.output()));
        assertEquals(4, result.instances().size());
        assertEquals(3, result.metrics().subOrchestrations());
        assertEquals(List.of(), result.unfinishedInstances());
        assertEquals(List.of(), result.determinismViolations());
    }
}
