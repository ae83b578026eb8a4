package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.standin.stack.SidecarProcess;
import com.contoso.sitebackup.testing.Sidecars;
import com.contoso.sitebackup.testing.DurableClients;
import com.contoso.sitebackup.testing.StandInWorker;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.NewOrchestrationInstanceOptions;
import com.microsoft.durabletask.OrchestrationMetadata;
import com.microsoft.durabletask.OrchestrationRuntimeStatus;
import com.microsoft.durabletask.OrchestrationStatusQuery;
import com.microsoft.durabletask.OrchestrationStatusQueryResult;
import com.microsoft.durabletask.PurgeInstanceCriteria;
import com.microsoft.durabletask.PurgeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per instance id, against a real Durable Task engine (the durabletask-go sidecar) and its gRPC client. */
class SingleRunTest {
    private static final String WAIT = "Wait";

    @TempDir
    static Path tmp;

    private static SidecarProcess engine;
    private static StandInWorker worker;
    private static DurableTaskClient client;

    @BeforeAll
    static void startEngine() {
        engine = Sidecars.start(tmp.resolve("engine"));
        worker = StandInWorker.start(engine, List.of(WAIT));
        client = DurableClients.client(engine);
    }

    @AfterAll
    static void stopEngine() {
        if (client != null) {
            client.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void start_idFree_schedulesUnderThatIdWithTheInput() {
        SingleRun.Outcome outcome = SingleRun.start(client, WAIT, "input-a", "run-a", List.of());

        assertTrue(outcome.isStarted());
        assertEquals("run-a", outcome.instanceId());
        assertNull(outcome.runningStatus());
        OrchestrationMetadata running = StandInWorker.awaitRunning(client, "run-a");
        assertEquals("input-a", running.readInputAs(String.class));
        StandInWorker.finish(client, "run-a");
    }

    @Test
    void start_sameIdRunning_notScheduledNamingIt() {
        SingleRun.start(client, WAIT, "first", "run-b", List.of());
        OrchestrationMetadata first = StandInWorker.awaitRunning(client, "run-b");

        SingleRun.Outcome second = SingleRun.start(client, WAIT, "second", "run-b", List.of());

        assertFalse(second.isStarted());
        assertEquals("run-b", second.instanceId());
        assertEquals(OrchestrationRuntimeStatus.RUNNING, second.runningStatus());
        OrchestrationMetadata now = client.getInstanceMetadata("run-b", true);
        assertEquals(first.getCreatedAt(), now.getCreatedAt());
        assertEquals("first", now.readInputAs(String.class), "the running instance is untouched");
        StandInWorker.finish(client, "run-b");
    }

    @Test
    void start_blockerRunning_notScheduledNamingTheBlocker() {
        SingleRun.start(client, WAIT, "x", "blocker-c", List.of());
        StandInWorker.awaitRunning(client, "blocker-c");

        SingleRun.Outcome outcome = SingleRun.start(client, WAIT, "y", "run-c", List.of("free-c", "blocker-c"));

        assertFalse(outcome.isStarted());
        assertEquals("blocker-c", outcome.instanceId());
        assertFalse(client.getInstanceMetadata("run-c", false).isInstanceFound());
        StandInWorker.finish(client, "blocker-c");
    }

    @Test
    void start_finishedInstanceOfTheId_replacedByANewRun() {
        SingleRun.start(client, WAIT, "old", "run-d", List.of());
        StandInWorker.awaitRunning(client, "run-d");
        OrchestrationMetadata old = StandInWorker.finish(client, "run-d");

        SingleRun.Outcome outcome = SingleRun.start(client, WAIT, "new", "run-d", List.of());

        assertTrue(outcome.isStarted());
        OrchestrationMetadata replaced = StandInWorker.awaitRunning(client, "run-d");
        assertEquals("new", replaced.readInputAs(String.class));
        assertTrue(replaced.getCreatedAt().isAfter(old.getCreatedAt()));
        StandInWorker.finish(client, "run-d");
    }

    /**
     * Two starters that both find the id free (each waits at the gate after its look-up until the other has
     * looked too) and then both schedule: the engine's one-instance-per-id rule lets one through, and the
     * other answers with the winner instead of failing.
     */
    @Test
    void start_twoStartsPastTheLookUpAtOnce_oneStartsAndTheOtherNamesIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (DurableTaskClient one = DurableClients.client(engine); DurableTaskClient two = DurableClients.client(engine)) {
            for (int round = 0; round < 5; round++) {
                String id = "race-" + round;
                CyclicBarrier gate = new CyclicBarrier(2);
                List<Future<SingleRun.Outcome>> starts = new ArrayList<>();
                for (DurableTaskClient real : List.of(one, two)) {
                    GatedClient gated = new GatedClient(real, id, gate);
                    starts.add(threads.submit(() -> SingleRun.start(gated, WAIT, Thread.currentThread().getName(), id, List.of())));
                }
                List<SingleRun.Outcome> outcomes = new ArrayList<>();
                for (Future<SingleRun.Outcome> start : starts) {
                    outcomes.add(start.get(60, TimeUnit.SECONDS));
                }

                assertEquals(1, outcomes.stream().filter(SingleRun.Outcome::isStarted).count(), outcomes.toString());
                SingleRun.Outcome loser = outcomes.stream().filter(o -> !o.isStarted()).findFirst().orElseThrow();
                assertEquals(id, loser.instanceId());
                assertTrue(List.of(OrchestrationRuntimeStatus.PENDING, OrchestrationRuntimeStatus.RUNNING)
                        .contains(loser.runningStatus()), loser.toString());
                StandInWorker.awaitRunning(client, id);
                StandInWorker.finish(client, id);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void runningJobsOn_jobRunningOnTheSameTarget_namesOnlyThatJob() {
        BackupRequest site = BackupRequest.of("/mounts/site").withDefaults("backups");
        BackupRequest other = BackupRequest.of("/mounts/other").withDefaults("backups");
        client.scheduleNewOrchestrationInstance(WAIT, new NewOrchestrationInstanceOptions()
                .setInstanceId(InstanceIds.job("e1")).setInput(new JobRequest("e1", site, null, null)));
        client.scheduleNewOrchestrationInstance(WAIT, new NewOrchestrationInstanceOptions()
                .setInstanceId(InstanceIds.job("e2")).setInput(new JobRequest("e2", other, null, null)));
        StandInWorker.awaitRunning(client, "job-e1");
        StandInWorker.awaitRunning(client, "job-e2");

        // Another directory into the same container and prefix: the same blobs, so the same target.
        assertEquals(List.of("job-e1"), SingleRun.runningJobsOn(client, List.of("e0", "e1", "e2"),
                new BackupRequest("/elsewhere/copy", "backups", "mounts/site", null, null, false, false, null)));
        assertEquals(List.of(), SingleRun.runningJobsOn(client, List.of("e1", "e2"),
                new BackupRequest("/mounts/site", "backups", "mounts/site2", null, null, false, false, null)));

        StandInWorker.finish(client, "job-e1");
        StandInWorker.finish(client, "job-e2");
        assertEquals(List.of(), SingleRun.runningJobsOn(client, List.of("e1", "e2"), site), "finished jobs are not in the way");
    }

    /** A backup and a pruning of the same backup block each other; a verify or a restore blocks nothing. */
    @Test
    void siblingsOf_backupAndRetentionOfOneBackup_eachTheOthersId() {
        BackupRequest backup = new BackupRequest("/data/site", "backups", "site", null, null, false, false, null);
        RetentionRequest retention = new RetentionRequest("backups", "site", 1, 0, 0, false, null);

        assertEquals(List.of(InstanceIds.retention("backups", "site")), SingleRun.siblingsOf(backup));
        assertEquals(List.of(InstanceIds.backup("backups", "site")), SingleRun.siblingsOf(retention));
        assertEquals(List.of(), SingleRun.siblingsOf(new RestoreRequest("backups", "site", "/t", false, null)));
    }

    @Test
    void instanceIdFor_eachKindOfRequest_itsTargetsId() {
        assertEquals(InstanceIds.backup("backups", "mounts/site"), SingleRun.instanceIdFor(BackupRequest.of("/mounts/site").withDefaults("backups")));
        assertEquals(InstanceIds.verify("c", "p"), SingleRun.instanceIdFor(new VerifyRequest("/r", "c", "p", null, null, false, null)));
        assertEquals(InstanceIds.restore("/mounts/restore/x"),
                SingleRun.instanceIdFor(new RestoreRequest("c", "p", "/mounts/restore/x", false, null)));
        assertEquals(InstanceIds.retention("c", "p"),
                SingleRun.instanceIdFor(new RetentionRequest("c", "p", 1, 0, 0, false, null)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SingleRun.instanceIdFor("x"));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void targetOf_eachKindOfRequest_namesWhatItWorksOn() {
        assertEquals("a backup to container 'c', prefix 'p'",
                SingleRun.targetOf(new BackupRequest("/r", "c", "p", null, null, false, false, null)));
        assertEquals("a verify of container 'c', prefix 'p'",
                SingleRun.targetOf(new VerifyRequest("/r", "c", "p", null, null, false, null)));
        assertEquals("a restore into '/t'", SingleRun.targetOf(new RestoreRequest("c", "p", "/t", false, null)));
        assertEquals("a pruning of container 'c', prefix 'p'",
                SingleRun.targetOf(new RetentionRequest("c", "p", 1, 0, 0, false, null)));
    }

    /**
     * A client that, after its first look-up of {@code id}, waits until the other starter has looked up too,
     * so both find the id free before either schedules: the same-instant race, made certain.
     */
    private static final class GatedClient extends DurableTaskClient {
        private final DurableTaskClient real;
        private final String id;
        private final CyclicBarrier gate;
        private boolean gated;

        GatedClient(DurableTaskClient real, String id, CyclicBarrier gate) {
            this.real = real;
            this.id = id;
            this.gate = gate;
        }

        @Override
        public OrchestrationMetadata getInstanceMetadata(String instanceId, boolean getInputsAndOutputs) {
            OrchestrationMetadata metadata = real.getInstanceMetadata(instanceId, getInputsAndOutputs);
            if (instanceId.equals(id) && !gated) {
                gated = true;
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other starter never looked", e);
                }
            }
            return metadata;
        }

        @Override
        public String scheduleNewOrchestrationInstance(String name, NewOrchestrationInstanceOptions options) {
            return real.scheduleNewOrchestrationInstance(name, options);
        }

        @Override
        public PurgeResult purgeInstance(String instanceId) {
            return real.purgeInstance(instanceId);
        }

        @Override
        public void raiseEvent(String instanceId, String eventName, Object eventPayload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OrchestrationMetadata waitForInstanceStart(String instanceId, Duration timeout, boolean inputs) throws TimeoutException {
            throw new UnsupportedOperationException();
        }

        @Override
        public OrchestrationMetadata waitForInstanceCompletion(String instanceId, Duration timeout, boolean inputs) throws TimeoutException {
            throw new UnsupportedOperationException();
        }

        @Override
        public void terminate(String instanceId, Object output) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OrchestrationStatusQueryResult queryInstances(OrchestrationStatusQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void createTaskHub(boolean recreateIfExists) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteTaskHub() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PurgeResult purgeInstances(PurgeInstanceCriteria criteria) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String restartInstance(String instanceId, boolean restartWithNewInstanceId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void suspendInstance(String instanceId, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void resumeInstance(String instanceId, String reason) {
            throw new UnsupportedOperationException();
        }
    }
}
