package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.config.JobSetting;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.retention.RetentionRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled jobs checked by the starter's rules, on a real temp tree. */
class JobRequestsTest {
    @TempDir
    Path tmp;

    private Path allowed;
    private Path site;
    private JobRequests jobs;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        site = Files.createDirectories(allowed.resolve("site"));
        jobs = new JobRequests(new StartRequestHandler(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(allowed), List.of()), "backups", "backup-manifests"));
    }

    private static String quoted(Object text) {
        return "\"" + text + "\"";
    }

    @Test
    void check_directoryAsString_completedAsTheStarterCompletesIt() {
        List<JobRequest> checked = jobs.check(List.of(new JobSetting("nightly", quoted(allowed + "/site/"), false, null)));

        JobRequest job = checked.get(0);
        assertEquals("nightly", job.getName());
        assertEquals("job-nightly", job.instanceId());
        assertEquals(site.toString(), job.getBackup().getRootDirectory(), "the canonical root");
        assertEquals("backups", job.getBackup().getContainer());
        assertEquals(site.toString().substring(1), job.getBackup().getBlobPrefix());
        assertNull(job.getVerify());
        assertNull(job.getRetention());
    }

    @Test
    void check_verifyAfter_verifyOfTheSameDirectoryContainerPrefixAndPatterns() {
        String body = "{\"rootDirectory\": " + quoted(site) + ", \"container\": \"nightly\", \"blobPrefix\": \"web\","
                + " \"include\": [\"**/*.html\"], \"exclude\": [\"tmp/**\"], \"compareContent\": true}";

        JobRequest job = jobs.check(List.of(new JobSetting("web", body, true, null))).get(0);

        assertEquals(List.of(site.toString(), "nightly", "web", "[**/*.html]", "[tmp/**]", "true"),
                List.of(job.getVerify().getRootDirectory(), job.getVerify().getContainer(), job.getVerify().getBlobPrefix(),
                        job.getVerify().getInclude().toString(), job.getVerify().getExclude().toString(),
                        Boolean.toString(job.getVerify().isCompareContent())));
    }

    @Test
    void check_bodyTheStarterRefuses_refusedNamingTheSettingTheJobAndWhy() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        List<List<String>> cases = List.of(
                // The starter's own words, which tell nothing about what lies outside the read roots.
                List.of(quoted(allowed.resolve("missing")), "is not a directory this app may read"),
                List.of(quoted(outside), "is not a directory this app may read"),
                List.of("{\"rootDirectory\": " + quoted(site) + ", \"container\": \"Not_Valid\"}", "container 'Not_Valid'"),
                List.of("{\"rootDirectory\": " + quoted(site) + ", \"root\": \"/\"}", "Unknown field 'root'"),
                List.of("{\"rootDirectory\": " + quoted(site) + ", \"exclude\": [\"[x\"]}", "exclude pattern '[x'"));
        for (List<String> c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> jobs.check(List.of(new JobSetting("ok", quoted(site), false, null), new JobSetting("bad", c.get(0), false, null))));
            assertTrue(e.getMessage().startsWith("app setting BACKUP_JOBS: job 'bad': "), e.getMessage());
            assertTrue(e.getMessage().contains(c.get(1)), c + " -> " + e.getMessage());
        }
    }

    @Test
    void check_verifyAfterADryRun_refused() {
        String body = "{\"rootDirectory\": " + quoted(site) + ", \"dryRun\": true}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jobs.check(List.of(new JobSetting("dry", body, true, null))));
        assertTrue(e.getMessage().contains("job 'dry'") && e.getMessage().contains("dry run"), e.getMessage());
    }

    @Test
    void check_retention_theJobsFieldsWithTheBackupsContainerAndPrefix() {
        String body = "{\"rootDirectory\": " + quoted(site) + ", \"container\": \"nightly\", \"blobPrefix\": \"web\"}";
        String retention = "{\"keepLast\": 7, \"keepDaily\": 14, \"keepWeekly\": 8, \"dryRun\": true}";

        RetentionRequest checked = jobs.check(List.of(new JobSetting("web", body, false, retention))).get(0).getRetention();

        assertEquals(List.of("nightly", "web", "7", "14", "8", "true"),
                List.of(checked.getContainer(), checked.getBlobPrefix(), Integer.toString(checked.getKeepLast()),
                        Integer.toString(checked.getKeepDaily()), Integer.toString(checked.getKeepWeekly()),
                        Boolean.toString(checked.isDryRun())));
        assertNull(checked.getReport(), "the orchestrator names its report");
    }

    @Test
    void check_retentionOfADirectoryBackup_theStartersDefaultContainerAndPrefix() {
        JobRequest job = jobs.check(List.of(new JobSetting("nightly", quoted(site), true, "{\"keepLast\": 3}"))).get(0);

        assertEquals(List.of("backups", site.toString().substring(1)),
                List.of(job.getRetention().getContainer(), job.getRetention().getBlobPrefix()));
        assertEquals(job.getBackup().getBlobPrefix(), job.getRetention().getBlobPrefix());
        assertEquals(3, job.getRetention().getKeepLast());
    }

    @Test
    void check_retentionTheStarterRefuses_refusedNamingTheSettingTheJobAndTheField() {
        List<List<String>> cases = List.of(
                List.of("{}", "keepLast, keepDaily and keepWeekly are all 0"),
                List.of("{\"keepLast\": -1}", "keepLast must be a whole number from 0"),
                List.of("{\"keepLast\": 1.5}", "keepLast must be a whole number from 0"),
                List.of("{\"keepLast\": 3, \"maxDeleteShare\": 1}", "'maxDeleteShare' is no longer a retention field:"
                        + " how much of a backup one retention run may delete is the operator's app setting"
                        + " BACKUP_RETENTION_MAX_DELETE_SHARE"),
                List.of("{\"keepLast\": 1, \"force\": true}", "'force' is no longer a retention field"),
                List.of("{\"keep\": 3}", "Unknown field 'keep'"));
        for (List<String> c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jobs.check(List.of(
                    new JobSetting("ok", quoted(site), false, "{\"keepLast\": 3}"),
                    new JobSetting("bad", quoted(site), false, c.get(0)))));
            assertTrue(e.getMessage().startsWith("app setting BACKUP_JOBS: job 'bad': \"retention\": "), e.getMessage());
            assertTrue(e.getMessage().contains(c.get(1)), c + " -> " + e.getMessage());
        }
    }

    /** Issue 21: a folder's backup and its subfolder's in one container nest; neither job starts. */
    @Test
    void check_twoJobsWhoseBackupsNest_refusedNamingBoth() throws IOException {
        Files.createDirectories(site.resolve("main"));
        String parent = "{\"rootDirectory\": " + quoted(site) + ", \"blobPrefix\": \"sites\"}";
        String child = "{\"rootDirectory\": " + quoted(site.resolve("main")) + ", \"blobPrefix\": \"sites/main\"}";

        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class, () -> jobs.check(List.of(
                new JobSetting("parent", parent, false, "{\"keepLast\": 1}"), new JobSetting("child", child, false, null))));
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class, () -> jobs.check(List.of(
                new JobSetting("child", child, false, null), new JobSetting("parent", parent, false, null))));
        IllegalArgumentException defaults = assertThrows(IllegalArgumentException.class, () -> jobs.check(List.of(
                new JobSetting("folder", quoted(site), false, null),
                new JobSetting("subfolder", quoted(site.resolve("main")), false, null))));

        assertEquals("app setting BACKUP_JOBS: job 'child': the backup's blobPrefix 'sites/main' is inside the prefix"
                + " 'sites' of another backup in container 'backups' (backups in one container must not nest: their"
                + " blobs would share names, and the retention of one would take the other's blobs for its own);"
                + " choose a prefix outside 'sites', or another container (job 'parent')", inside.getMessage());
        assertTrue(above.getMessage().startsWith("app setting BACKUP_JOBS: job 'parent': the backup's blobPrefix"
                + " 'sites' is above the prefix 'sites/main'"), above.getMessage());
        assertTrue(above.getMessage().endsWith("(job 'child')"), above.getMessage());
        assertTrue(defaults.getMessage().contains("job 'subfolder'") && defaults.getMessage().contains("job 'folder'"),
                "the default prefixes of a folder and its subfolder nest: " + defaults.getMessage());
    }

    @Test
    void check_twoJobsOfSiblingPrefixes_bothAccepted() throws IOException {
        Files.createDirectories(allowed.resolve("site2"));
        assertEquals(2, jobs.check(List.of(new JobSetting("a", quoted(site), false, null),
                new JobSetting("b", quoted(allowed.resolve("site2")), false, null))).size(), "site and site2 do not nest");
    }

    @Test
    void check_retentionAfterADryRun_refused() {
        String body = "{\"rootDirectory\": " + quoted(site) + ", \"dryRun\": true}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jobs.check(List.of(new JobSetting("dry", body, false, "{\"keepLast\": 3}"))));
        assertEquals("app setting BACKUP_JOBS: job 'dry': \"retention\" needs a backup that writes, and this one is a"
                + " dry run", e.getMessage());
    }

    @Test
    void check_noJob_none() {
        assertEquals(List.of(), jobs.check(List.of()));
    }
}
