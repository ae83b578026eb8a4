package com.contoso.sitebackup.schedule;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.starter.JobRequest;
import com.contoso.sitebackup.standin.stack.SidecarProcess;
import com.contoso.sitebackup.testing.Sidecars;
import com.contoso.sitebackup.testing.DurableClients;
import com.contoso.sitebackup.testing.RecordingContext;
import com.contoso.sitebackup.testing.StandInWorker;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.NewOrchestrationInstanceOptions;
import com.microsoft.durabletask.OrchestrationMetadata;
import com.microsoft.durabletask.OrchestrationRuntimeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timer function through its trigger method, against a real Durable Task engine (the durabletask-go sidecar) through
 * the {@code DurableClientContext} the host would bind: the orchestrators it starts are stand-ins that stay
 * Running until told to finish, so a job can be seen running, finished and started again by the real client.
 */
@com.contoso.sitebackup.testing.AzuriteTest
class ScheduledBackupsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEDULE = "0 0 2 * * *";

    @TempDir
    static Path tmp;

    private static SidecarProcess engine;
    private static StandInWorker worker;
    private static DurableTaskClient client;
    private static Path allowed;

    @BeforeAll
    static void startEngine() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        engine = Sidecars.start(tmp.resolve("engine"));
        worker = StandInWorker.start(engine, List.of(RunJob.NAME, BackupSiteContent.NAME, VerifyBackup.NAME));
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

    /** The timer with {@code BACKUP_SCHEDULE} and {@code BACKUP_JOBS} as given (null: not set), reading the allowed root. */
    private static ScheduledBackups timer(String schedule, String jobs) {
        // Storage too: the timer looks every job's backup up among the container's other backups (no nesting).
        Map<String, String> settings = new HashMap<>(Map.of(Settings.BACKUP_READ_ROOTS, allowed.toString(),
                Settings.BACKUP_WRITE_ROOTS, allowed.toString(),
                Settings.BACKUP_STORAGE, com.contoso.sitebackup.testing.Azurite.shared().connectionString()));
        if (schedule != null) {
            settings.put(Settings.BACKUP_SCHEDULE, schedule);
        }
        if (jobs != null) {
            settings.put(Settings.BACKUP_JOBS, jobs);
        }
        return new ScheduledBackups(AppServices.of(Settings.of(settings)));
    }

    private static Path site(String name) throws IOException {
        Path site = Files.createDirectories(allowed.resolve(name));
        Files.writeString(site.resolve("index.html"), "<html/>");
        return site;
    }

    private static String job(String name, Object backup, boolean verifyAfter) {
        return JSON.createObjectNode().put("name", name).put("verifyAfter", verifyAfter)
                .set("backup", JSON.valueToTree(backup)).toString();
    }

    private static RecordingContext tick(ScheduledBackups timer) {
        RecordingContext context = new RecordingContext(ScheduledBackups.NAME);
        timer.run("{\"IsPastDue\": false}", DurableClients.context(engine), context);
        return context;
    }

    private static List<String> messages(RecordingContext context) {
        return context.records().stream().map(java.util.logging.LogRecord::getMessage).toList();
    }

    @Test
    void run_jobNotRunning_startsItAsRunJobWithTheStartersCompletedRequest() throws IOException {
        Path site = site("one");
        ScheduledBackups timer = timer(SCHEDULE, "[" + job("one", site.toString(), false) + "]");

        RecordingContext context = tick(timer);

        OrchestrationMetadata started = StandInWorker.awaitRunning(client, "job-one");
        assertEquals(RunJob.NAME, started.getName());
        assertEquals(OrchestrationRuntimeStatus.RUNNING, started.getRuntimeStatus());
        JobRequest input = started.readInputAs(JobRequest.class);
        assertEquals("one", input.getName());
        assertEquals(site.toString(), input.getBackup().getRootDirectory());
        assertEquals("backups", input.getBackup().getContainer());
        assertEquals(site.toString().substring(1), input.getBackup().getBlobPrefix(), "the starter's default prefix");
        assertNull(input.getVerify());
        assertEquals(List.of("Job one: started job-one"), messages(context));
        StandInWorker.finish(client, "job-one");
    }

    @Test
    void run_jobStillRunning_leftAloneAndLogged() throws IOException {
        ScheduledBackups timer = timer(SCHEDULE, "[" + job("two", site("two").toString(), false) + "]");
        tick(timer);
        OrchestrationMetadata first = StandInWorker.awaitRunning(client, "job-two");

        RecordingContext second = tick(timer);

        OrchestrationMetadata now = client.getInstanceMetadata("job-two", true);
        assertEquals(OrchestrationRuntimeStatus.RUNNING, now.getRuntimeStatus());
        assertEquals(first.getCreatedAt(), now.getCreatedAt(), "the same run, not a second one");
        assertEquals(1, messages(second).size());
        assertTrue(messages(second).get(0).startsWith("Job two: not started, job-two is RUNNING"), messages(second).toString());
        StandInWorker.finish(client, "job-two");
    }

    @Test
    void run_previousRunFinished_startsANewRun() throws IOException {
        ScheduledBackups timer = timer(SCHEDULE, "[" + job("three", site("three").toString(), false) + "]");
        tick(timer);
        OrchestrationMetadata first = StandInWorker.awaitRunning(client, "job-three");
        assertEquals(OrchestrationRuntimeStatus.COMPLETED, StandInWorker.finish(client, "job-three").getRuntimeStatus());

        RecordingContext again = tick(timer);

        OrchestrationMetadata second = StandInWorker.awaitRunning(client, "job-three");
        assertEquals(OrchestrationRuntimeStatus.RUNNING, second.getRuntimeStatus());
        assertTrue(second.getCreatedAt().isAfter(first.getCreatedAt()), first.getCreatedAt() + " then " + second.getCreatedAt());
        assertEquals(List.of("Job three: started job-three"), messages(again));
        StandInWorker.finish(client, "job-three");
    }

    @Test
    void run_backupOfTheSameTargetStartedOverHttp_jobLeftAloneNamingThatInstance() throws IOException {
        Path site = site("four");
        String http = InstanceIds.backup("backups", site.toString().substring(1));
        client.scheduleNewOrchestrationInstance(BackupSiteContent.NAME, new NewOrchestrationInstanceOptions()
                .setInstanceId(http).setInput(BackupRequest.of(site.toString()).withDefaults("backups")));
        StandInWorker.awaitRunning(client, http);

        RecordingContext context = tick(timer(SCHEDULE, "[" + job("four", site.toString(), false) + "]"));

        assertFalse(client.getInstanceMetadata("job-four", false).isInstanceFound(), "the job did not start");
        assertTrue(messages(context).get(0).startsWith("Job four: not started, " + http + " is RUNNING"), messages(context).toString());
        StandInWorker.finish(client, http);
    }

    @Test
    void run_verifyAfter_jobCarriesTheVerifyOfTheSameDirectoryAndPrefix() throws IOException {
        Path site = site("five");
        String body = JSON.createObjectNode().put("rootDirectory", site.toString()).put("container", "nightly")
                .put("blobPrefix", "web").put("compareContent", true).set("exclude", JSON.valueToTree(List.of("*.tmp"))).toString();
        tick(timer(SCHEDULE, "[" + job("five", JSON.readTree(body), true) + "]"));

        JobRequest input = StandInWorker.awaitRunning(client, "job-five").readInputAs(JobRequest.class);

        VerifyRequest verify = input.getVerify();
        assertEquals(List.of(site.toString(), "nightly", "web", "[*.tmp]", "true"), List.of(verify.getRootDirectory(),
                verify.getContainer(), verify.getBlobPrefix(), verify.getExclude().toString(),
                Boolean.toString(verify.isCompareContent())));
        StandInWorker.finish(client, "job-five");
    }

    @Test
    void run_badSchedule_refusedNamingTheSettingAndNothingStarts() throws IOException {
        ScheduledBackups timer = timer("0 2 * * *", "[" + job("six", site("six").toString(), false) + "]");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tick(timer));

        assertTrue(e.getMessage().startsWith("app setting " + Settings.BACKUP_SCHEDULE), e.getMessage());
        assertFalse(client.getInstanceMetadata("job-six", false).isInstanceFound());
    }

    @Test
    void run_jobWhoseDirectoryIsMissing_refusedNamingTheSettingAndTheJobAndNothingStarts() throws IOException {
        String jobs = "[" + job("seven", site("seven").toString(), false) + ","
                + job("eight", allowed.resolve("missing").toString(), false) + "]";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tick(timer(SCHEDULE, jobs)));

        assertTrue(e.getMessage().startsWith("app setting " + Settings.BACKUP_JOBS + ": job 'eight'"), e.getMessage());
        assertTrue(e.getMessage().contains("is not a directory this app may read"), e.getMessage());
        assertFalse(client.getInstanceMetadata("job-seven", false).isInstanceFound(), "a bad list starts no job, not even a good one");
    }

    @Test
    void run_jobListNotAnArray_refusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tick(timer(SCHEDULE, "{\"name\": \"nine\", \"backup\": \"/x\"}")));
        assertTrue(e.getMessage().startsWith("app setting " + Settings.BACKUP_JOBS), e.getMessage());
        assertFalse(client.getInstanceMetadata("job-nine", false).isInstanceFound());
    }

    @Test
    void run_noJobs_startsNothingAndSaysSo() {
        RecordingContext context = tick(timer(SCHEDULE, null));
        assertEquals(List.of("No scheduled job: " + Settings.BACKUP_JOBS + " names none"), messages(context));
    }
}
