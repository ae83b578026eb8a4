package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.config.JobSetting;
import com.contoso.sitebackup.files.SecureRoots;

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
        List<JobRequest> checked = jobs.check(List.of(new JobSetting("nightly", quoted(allowed + "/site/"), false)));

        JobRequest job = checked.get(0);
        assertEquals("nightly", job.getName());
        assertEquals("job-nightly", job.instanceId());
        assertEquals(site.toString(), job.getBackup().getRootDirectory(), "the canonical root");
        assertEquals("backups", job.getBackup().getContainer());
        assertEquals(site.toString().substring(1), job.getBackup().getBlobPrefix());
        assertNull(job.getVerify());
    }

    @Test
    void check_verifyAfter_verifyOfTheSameDirectoryContainerPrefixAndPatterns() {
        String body = "{\"rootDirectory\": " + quoted(site) + ", \"container\": \"nightly\", \"blobPrefix\": \"web\","
                + " \"include\": [\"**/*.html\"], \"exclude\": [\"tmp/**\"], \"compareContent\": true}";

        JobRequest job = jobs.check(List.of(new JobSetting("web", body, true))).get(0);

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
                    () -> jobs.check(List.of(new JobSetting("ok", quoted(site), false), new JobSetting("bad", c.get(0), false))));
            assertTrue(e.getMessage().startsWith("app setting BACKUP_JOBS: job 'bad': "), e.getMessage());
            assertTrue(e.getMessage().contains(c.get(1)), c + " -> " + e.getMessage());
        }
    }

    @Test
    void check_verifyAfterADryRun_refused() {
        String body = "{\"rootDirectory\": " + quoted(site) + ", \"dryRun\": true}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jobs.check(List.of(new JobSetting("dry", body, true))));
        assertTrue(e.getMessage().contains("job 'dry'") && e.getMessage().contains("dry run"), e.getMessage());
    }

    @Test
    void check_noJob_none() {
        assertEquals(List.of(), jobs.check(List.of()));
    }
}
