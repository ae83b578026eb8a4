package com.contoso.sitebackup.schedule;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.starter.JobRequest;
import com.contoso.sitebackup.starter.JobRequests;
import com.contoso.sitebackup.starter.SingleRun;
import com.contoso.sitebackup.starter.StartRequestHandler;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.azurefunctions.DurableClientContext;
import com.microsoft.durabletask.azurefunctions.DurableClientInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;

/**
 * The timer that starts the scheduled jobs: on every tick of {@value Settings#BACKUP_SCHEDULE} (NCRONTAB,
 * bound as {@code %BACKUP_SCHEDULE%}), each job of {@value Settings#BACKUP_JOBS} is started as a
 * {@link RunJob} instance with the fixed id {@code job-<name>}, unless its previous run, or a backup (or, if
 * the job has them, a verify or a pruning) of the same container and prefix started over HTTP, has not
 * finished: that job is left alone and the instance in its way logged. A finished previous run is replaced by the new one ({@link SingleRun}).
 *
 * <p>Both settings are read and checked on every call, before anything starts, and each job's backup body
 * by the starter's rules ({@link JobRequests}): a schedule or a job list that is not valid, a job whose
 * directory is missing included, fails the call with a message naming the setting and the job, and no job
 * starts. A job that cannot be started (the task hub unreachable) is logged and the others are still
 * started; the call then fails naming it.
 */
public final class ScheduledBackups {
    public static final String NAME = "ScheduledBackups";

    private final Settings settings;
    private final JobRequests jobRequests;

    /** Used by the Functions worker. */
    public ScheduledBackups() {
        this(AppServices.shared());
    }

    /** The timer of the app {@code services} describe. */
    public ScheduledBackups(AppServices services) {
        Objects.requireNonNull(services, "services");
        this.settings = services.settings();
        this.jobRequests = new JobRequests(StartRequestHandler.from(services));
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "%" + Settings.BACKUP_SCHEDULE + "%") String timer,
                    @DurableClientInput(name = "durableContext") DurableClientContext durableContext,
                    ExecutionContext context) {
        List<JobRequest> jobs;
        try {
            settings.backupSchedule();
            jobs = jobRequests.check(settings.backupJobs());
        } catch (IllegalArgumentException e) {
            context.getLogger().severe("No scheduled job started: " + e.getMessage());
            throw e;
        }
        if (jobs.isEmpty()) {
            context.getLogger().info("No scheduled job: " + Settings.BACKUP_JOBS + " names none");
            return;
        }
        List<String> notStarted = new ArrayList<>();
        // One client per call, closed: each getClient() opens its own gRPC channel (durabletask-java #192).
        try (DurableTaskClient client = durableContext.getClient()) {
            for (JobRequest job : jobs) {
                try {
                    SingleRun.Outcome outcome = SingleRun.start(client, RunJob.NAME, job, job.instanceId(), job.targetIds());
                    context.getLogger().info(outcome.isStarted()
                            ? "Job " + job.getName() + ": started " + outcome.instanceId()
                            : "Job " + job.getName() + ": not started, " + outcome.instanceId() + " is "
                                    + outcome.runningStatus() + " (" + SingleRun.targetOf(job.getBackup()) + ")");
                } catch (RuntimeException e) {
                    context.getLogger().log(Level.SEVERE, "Job " + job.getName() + ": could not be started", e);
                    notStarted.add(job.getName());
                }
            }
        }
        if (!notStarted.isEmpty()) {
            throw new IllegalStateException("Scheduled jobs not started (see the log): " + notStarted);
        }
    }
}
