package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.verify.VerifyRequest;

import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.NewOrchestrationInstanceOptions;
import com.microsoft.durabletask.OrchestrationMetadata;
import com.microsoft.durabletask.OrchestrationRuntimeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Starts an orchestration under a fixed instance id, one run at a time: the starter (a backup or a verify of
 * one container and prefix, a restore into one directory, see {@link InstanceIds}) and the scheduled jobs
 * ({@code job-<name>}) both start through here, so a second start of the same target finds the first.
 *
 * <p>A start looks up, with the durable client, the instance id and every id it must not run beside; if any
 * is Pending, Running or Suspended, nothing is scheduled and the answer names that instance. Otherwise it
 * schedules the instance with that id. The look-up is shared by every starter instance, since it reads the
 * task hub, not memory; what it cannot close is two starts of one target in the same instant, both finding
 * nothing running. For those, Durable's own rule that an instance id is unique decides: durabletask-go
 * refuses a second instance of an id whatever the first one's state (measured in the tests), and the Durable
 * extension refuses to create an id whose instance is Pending, Running or Suspended (its dedupe statuses,
 * host.json {@code overridableExistingInstanceStates}, {@code NonRunningStates} by default; whether the
 * Azure Storage provider makes that check and the write one atomic step was not established here). The
 * loser's schedule call fails; the look-up is then repeated, and the answer names the winner. Two targets
 * that differ but overlap (a scheduled job and a start over HTTP of the same prefix, which have different
 * ids) are kept apart by the look-up only, so for them the same-instant race remains.
 *
 * <p>A finished instance of the same id is replaced by the new run: the extension overwrites it when the
 * new instance is created; durabletask-go refuses the id, so it is purged first (its history and status go;
 * its completion event and problem report stay).
 */
public final class SingleRun {
    /** The states of an instance that has not finished: a start of its id must wait. */
    private static final Set<OrchestrationRuntimeStatus> UNFINISHED = Set.of(OrchestrationRuntimeStatus.PENDING,
            OrchestrationRuntimeStatus.RUNNING, OrchestrationRuntimeStatus.SUSPENDED,
            OrchestrationRuntimeStatus.CONTINUED_AS_NEW);

    private SingleRun() {
    }

    /** What a start came to: the instance started, or the unfinished instance that kept it from starting. */
    public static final class Outcome {
        private final boolean started;
        private final String instanceId;
        private final OrchestrationRuntimeStatus status;

        private Outcome(boolean started, String instanceId, OrchestrationRuntimeStatus status) {
            this.started = started;
            this.instanceId = instanceId;
            this.status = status;
        }

        /** True when the orchestration was scheduled. */
        public boolean isStarted() {
            return started;
        }

        /** The instance started, or the instance still running. */
        public String instanceId() {
            return instanceId;
        }

        /** The running instance's status (Pending, Running...); null when started. */
        public OrchestrationRuntimeStatus runningStatus() {
            return status;
        }

        @Override
        public String toString() {
            return started ? "started " + instanceId : instanceId + " is " + status;
        }
    }

    /** The fixed instance id of a run started over HTTP with {@code input}: one per target (see {@link InstanceIds}). */
    public static String instanceIdFor(Object input) {
        if (input instanceof BackupRequest backup) {
            return InstanceIds.backup(backup.getContainer(), backup.getBlobPrefix());
        }
        if (input instanceof VerifyRequest verify) {
            return InstanceIds.verify(verify.getContainer(), verify.getBlobPrefix());
        }
        if (input instanceof RestoreRequest restore) {
            return InstanceIds.restore(restore.getTargetDirectory());
        }
        if (input instanceof RetentionRequest retention) {
            return InstanceIds.retention(retention.getContainer(), retention.getBlobPrefix());
        }
        throw new IllegalArgumentException("input of type " + (input == null ? "null" : input.getClass().getName())
                + " has no target");
    }

    /**
     * The runs started over HTTP that must not run beside a run of {@code input}: a backup and a pruning of the same
     * backup block each other (a pruning deletes versions a running backup's snapshot may still name as unchanged);
     * none for a verify or a restore, which only read.
     */
    public static List<String> siblingsOf(Object input) {
        if (input instanceof BackupRequest backup) {
            return List.of(InstanceIds.retention(backup.getContainer(), backup.getBlobPrefix()));
        }
        if (input instanceof RetentionRequest retention) {
            return List.of(InstanceIds.backup(retention.getContainer(), retention.getBlobPrefix()));
        }
        return List.of();
    }

    /** What a run with {@code input} works on, for a person: "a backup to container 'c', prefix 'p'". */
    public static String targetOf(Object input) {
        if (input instanceof BackupRequest backup) {
            return "a backup to container '" + backup.getContainer() + "', prefix '" + backup.getBlobPrefix() + "'";
        }
        if (input instanceof VerifyRequest verify) {
            return "a verify of container '" + verify.getContainer() + "', prefix '" + verify.getBlobPrefix() + "'";
        }
        if (input instanceof RestoreRequest restore) {
            return "a restore into '" + restore.getTargetDirectory() + "'";
        }
        if (input instanceof RetentionRequest retention) {
            return "a pruning of container '" + retention.getContainer() + "', prefix '" + retention.getBlobPrefix()
                    + "'";
        }
        throw new IllegalArgumentException("input of type " + (input == null ? "null" : input.getClass().getName())
                + " has no target");
    }

    /**
     * Starts {@code orchestrator} with {@code input} as instance {@code instanceId}, unless that instance or
     * one of {@code blockers} has not finished. Exceptions are the client's (the task hub unreachable).
     */
    public static Outcome start(DurableTaskClient client, String orchestrator, Object input, String instanceId,
                                List<String> blockers) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(orchestrator, "orchestrator");
        Objects.requireNonNull(instanceId, "instanceId");
        List<String> ids = new ArrayList<>();
        ids.add(instanceId);
        ids.addAll(Objects.requireNonNull(blockers, "blockers"));
        for (String id : ids) {
            OrchestrationMetadata existing = client.getInstanceMetadata(id, false);
            if (unfinished(existing)) {
                return new Outcome(false, id, existing.getRuntimeStatus());
            }
        }
        NewOrchestrationInstanceOptions options = new NewOrchestrationInstanceOptions()
                .setInstanceId(instanceId).setInput(input);
        try {
            client.scheduleNewOrchestrationInstance(orchestrator, options);
            return new Outcome(true, instanceId, null);
        } catch (RuntimeException refused) {
            // Refused: another start won the id since the look-up, or a finished instance holds it (durabletask-go).
            OrchestrationMetadata existing = client.getInstanceMetadata(instanceId, false);
            if (unfinished(existing)) {
                return new Outcome(false, instanceId, existing.getRuntimeStatus());
            }
            if (!existing.isInstanceFound()) {
                throw refused;
            }
            client.purgeInstance(instanceId);
            try {
                client.scheduleNewOrchestrationInstance(orchestrator, options);
                return new Outcome(true, instanceId, null);
            } catch (RuntimeException again) {
                OrchestrationMetadata winner = client.getInstanceMetadata(instanceId, false);
                if (unfinished(winner)) {
                    return new Outcome(false, instanceId, winner.getRuntimeStatus());
                }
                again.addSuppressed(refused);
                throw again;
            }
        }
    }

    /**
     * The scheduled jobs among {@code jobNames} whose run has not finished and works on the target of
     * {@code input} (a start over HTTP): their instance ids, which that start must not run beside. A job's
     * target is read from its running instance's input (a {@link JobRequest}), so a job list changed since
     * the job started does not matter.
     */
    public static List<String> runningJobsOn(DurableTaskClient client, List<String> jobNames, Object input) {
        List<String> running = new ArrayList<>();
        for (String name : jobNames) {
            String id = InstanceIds.job(name);
            OrchestrationMetadata job = client.getInstanceMetadata(id, true);
            if (unfinished(job) && job.readInputAs(JobRequest.class).sharesTargetWith(input)) {
                running.add(id);
            }
        }
        return running;
    }

    /** Found and not finished. (The client answers a missing instance with a status too: RUNNING.) */
    private static boolean unfinished(OrchestrationMetadata metadata) {
        return metadata.isInstanceFound() && UNFINISHED.contains(metadata.getRuntimeStatus());
    }
}
