package com.contoso.sitebackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaults_nothingSet_documentedDefaults() {
        Settings settings = Settings.of(Map.of());
        assertEquals("backups", settings.backupContainer());
        assertEquals("backup-manifests", settings.manifestContainer());
        assertEquals(Optional.empty(), settings.backupConnectionString());
        assertEquals(Optional.empty(), settings.backupServiceUri());
        assertEquals(Optional.empty(), settings.backupClientId());
        assertEquals(List.of(), settings.readRoots(), "nothing may be read until roots are set");
        assertEquals(List.of(), settings.writeRoots(), "nothing may be written until roots are set");
        assertEquals(512, settings.batchFiles());
        assertEquals(64L * 1024 * 1024, settings.batchBytes());
        assertEquals(16, settings.transfers());
    }

    @Test
    void values_set_returnedTrimmed() {
        Settings settings = Settings.of(Map.of(
                Settings.BACKUP_STORAGE, " UseDevelopmentStorage=true ",
                Settings.BACKUP_STORAGE_SERVICE_URI, "https://acct.blob.core.windows.net/",
                Settings.BACKUP_STORAGE_CLIENT_ID, "00000000-0000-0000-0000-000000000001",
                Settings.BACKUP_CONTAINER, "nightly",
                Settings.BACKUP_MANIFEST_CONTAINER, " manifests "));
        assertEquals(Optional.of("UseDevelopmentStorage=true"), settings.backupConnectionString());
        assertEquals(Optional.of("https://acct.blob.core.windows.net/"), settings.backupServiceUri());
        assertEquals(Optional.of("00000000-0000-0000-0000-000000000001"), settings.backupClientId());
        assertEquals("nightly", settings.backupContainer());
        assertEquals("manifests", settings.manifestContainer());
    }

    @Test
    void values_blankOrWhitespace_ignoredAsIfMissing() {
        Settings settings = Settings.of(Map.of(
                Settings.BACKUP_STORAGE, "   ",
                Settings.BACKUP_CONTAINER, "",
                Settings.BACKUP_MANIFEST_CONTAINER, "\t",
                Settings.BACKUP_READ_ROOTS, " ",
                Settings.SCRIPT_ROOT, "/home/site/wwwroot"));
        assertEquals(Optional.empty(), settings.backupConnectionString());
        assertEquals("backups", settings.backupContainer());
        assertEquals("backup-manifests", settings.manifestContainer());
        assertEquals(List.of(), settings.readRoots());
    }

    @Test
    void readRoots_severalSeparatedByPathSeparator_splitTrimmedBlanksDropped() {
        String sep = java.io.File.pathSeparator;
        Settings settings = Settings.of(Map.of(Settings.BACKUP_READ_ROOTS,
                " /home/site/data " + sep + sep + " " + sep + "/mnt/data" + sep));
        assertEquals(List.of(Path.of("/home/site/data"), Path.of("/mnt/data")), settings.readRoots());
    }

    @Test
    void writeRoots_set_separateFromReadRoots() {
        Settings settings = Settings.of(Map.of(Settings.BACKUP_READ_ROOTS, "/mounts/site",
                Settings.BACKUP_WRITE_ROOTS, "/mounts/restore"));
        assertEquals(List.of(Path.of("/mounts/site")), settings.readRoots());
        assertEquals(List.of(Path.of("/mounts/restore")), settings.writeRoots());
    }

    @Test
    void codeDirectories_scriptRootSet_includesItAndTheAppsOwnLocation() {
        List<Path> code = Settings.of(Map.of(Settings.SCRIPT_ROOT, "/home/site/wwwroot")).codeDirectories();
        assertEquals(Path.of("/home/site/wwwroot"), code.get(0));
        assertEquals(2, code.size(), "the folder Settings was loaded from: " + code);
    }

    @Test
    void batchSettings_outOfRangeOrNotANumber_refusedNamingTheSetting() {
        for (String bad : List.of("0", "-1", "4097", "many", "1.5")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Settings.of(Map.of(Settings.BACKUP_BATCH_FILES, bad)).batchFiles());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(Settings.BACKUP_BATCH_FILES), e.getMessage());
        }
        assertEquals(100, Settings.of(Map.of(Settings.BACKUP_BATCH_FILES, "100")).batchFiles());
        assertEquals(8L * 1024 * 1024, Settings.of(Map.of(Settings.BACKUP_BATCH_MIB, "8")).batchBytes());
        assertEquals(4, Settings.of(Map.of(Settings.BACKUP_TRANSFERS, "4")).transfers());
        for (String bad : List.of("0", "257")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Settings.of(Map.of(Settings.BACKUP_TRANSFERS, bad)).transfers());
        }
    }

    @Test
    void restoreSetIdBits_unsetFalseOrTrue_readOtherValuesRefusedNamingTheSetting() {
        assertEquals(false, Settings.of(Map.of()).restoreSetIdBits());
        assertEquals(false, Settings.of(Map.of(Settings.BACKUP_RESTORE_SETID_BITS, "false")).restoreSetIdBits());
        assertEquals(true, Settings.of(Map.of(Settings.BACKUP_RESTORE_SETID_BITS, " TRUE ")).restoreSetIdBits());
        for (String bad : List.of("yes", "1", "on")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Settings.of(Map.of(Settings.BACKUP_RESTORE_SETID_BITS, bad)).restoreSetIdBits());
            assertTrue(e.getMessage().contains(Settings.BACKUP_RESTORE_SETID_BITS), e.getMessage());
        }
    }

    @Test
    void constructor_lookupFunction_readsThroughIt() {
        Map<String, String> values = new HashMap<>();
        Settings settings = new Settings(values::get);
        assertEquals("backups", settings.backupContainer());
        values.put(Settings.BACKUP_CONTAINER, "later");
        assertEquals("later", settings.backupContainer());
    }

    @Test
    void constructor_nullSource_throws() {
        assertThrows(NullPointerException.class, () -> new Settings(null));
    }

    @Test
    void names_everySettingTheCodeReads_listedOnce() {
        assertEquals(List.of("BackupStorage", "BackupStorage__serviceUri", "BackupStorage__clientId",
                "BACKUP_CONTAINER", "BACKUP_MANIFEST_CONTAINER", "BACKUP_READ_ROOTS", "BACKUP_WRITE_ROOTS",
                "BACKUP_RESTORE_SETID_BITS", "BACKUP_BATCH_FILES", "BACKUP_BATCH_MIB", "BACKUP_TRANSFERS",
                "BACKUP_RETENTION_MAX_DELETE_SHARE",
                "BACKUP_SCHEDULE", "BACKUP_JOBS"), Settings.NAMES);
        assertTrue(Settings.NAMES.stream().distinct().count() == Settings.NAMES.size());
    }

    @Test
    void fromEnvironment_readsTheProcessEnvironment() {
        Settings settings = Settings.fromEnvironment();
        String env = System.getenv(Settings.BACKUP_CONTAINER);
        assertEquals(env == null || env.isBlank() ? "backups" : env.trim(), settings.backupContainer());
    }

    @Test
    void backupSchedule_sixFields_returnedTrimmed() {
        assertEquals("0 30 2 * * Mon-Fri", Settings.of(Map.of(Settings.BACKUP_SCHEDULE, " 0 30 2 * * Mon-Fri ")).backupSchedule());
    }

    @Test
    void backupSchedule_missingOrInvalid_refusedNamingTheSetting() {
        for (Map<String, String> values : List.of(Map.<String, String>of(), Map.of(Settings.BACKUP_SCHEDULE, "0 2 * * *"),
                Map.of(Settings.BACKUP_SCHEDULE, "0 0 25 * * *"), Map.of(Settings.BACKUP_SCHEDULE, "00:05:00"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.of(values).backupSchedule());
            assertTrue(e.getMessage().startsWith("app setting BACKUP_SCHEDULE"), e.getMessage());
        }
    }

    @Test
    void backupJobs_unsetOrEmptyArray_noJob() {
        assertEquals(List.of(), Settings.of(Map.of()).backupJobs());
        assertEquals(List.of(), Settings.of(Map.of(Settings.BACKUP_JOBS, " [] ")).backupJobs());
    }

    @Test
    void backupJobs_stringAndObjectBodies_readWithTheirOptions() {
        String jobs = "[{\"name\": \"nightly\", \"backup\": \"/mounts/site\", \"retention\": null},"
                + " {\"name\": \"web_2\", \"backup\": {\"rootDirectory\": \"/mounts/site/www\", \"blobPrefix\": \"www\"},"
                + " \"verifyAfter\": true, \"retention\": {\"keepLast\": 7, \"keepDaily\": 14, \"maxDeleteShare\": 0.25}}]";

        List<JobSetting> read = Settings.of(Map.of(Settings.BACKUP_JOBS, jobs)).backupJobs();

        assertEquals(List.of(new JobSetting("nightly", "\"/mounts/site\"", false, null),
                new JobSetting("web_2", "{\"rootDirectory\":\"/mounts/site/www\",\"blobPrefix\":\"www\"}", true,
                        "{\"keepLast\":7,\"keepDaily\":14,\"maxDeleteShare\":0.25}")), read);
    }

    @Test
    void backupJobs_invalid_refusedNamingTheSettingAndTheJob() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\"}", "not valid JSON");
        cases.put("{\"name\": \"a\", \"backup\": \"/x\"}", "must be a JSON array");
        cases.put("[] []", "not valid JSON");
        cases.put("[\"/x\"]", "job 1 must be an object");
        cases.put("[{\"backup\": \"/x\"}]", "job 1: \"name\"");
        cases.put("[{\"name\": \"a b\", \"backup\": \"/x\"}]", "job 1: \"name\"");
        cases.put("[{\"name\": \"" + "x".repeat(41) + "\", \"backup\": \"/x\"}]", "job 1: \"name\"");
        cases.put("[{\"name\": \"a:b\", \"backup\": \"/x\"}]", "job 1: \"name\"");
        cases.put("[{\"name\": \"a\"}]", "job 1 ('a'): \"backup\"");
        cases.put("[{\"name\": \"a\", \"backup\": [\"/x\"]}]", "job 1 ('a'): \"backup\"");
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\", \"verifyAfter\": \"yes\"}]", "job 1 ('a'): \"verifyAfter\"");
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\", \"retain\": 30}]", "job 1: unknown field 'retain'");
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\", \"retention\": 30}]", "job 1 ('a'): \"retention\" must be an object");
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\", \"retention\": [{\"keepLast\": 3}]}]",
                "job 1 ('a'): \"retention\" must be an object");
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\", \"retention\": {\"keepLast\": 3, \"container\": \"other\"}}]",
                "job 1 ('a'): \"retention\" may not set \"container\"");
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\", \"retention\": {\"blobPrefix\": \"x\", \"keepLast\": 3}}]",
                "job 1 ('a'): \"retention\" may not set \"blobPrefix\"");
        cases.put("[{\"name\": \"a\", \"backup\": \"/x\"}, {\"name\": \"A\", \"backup\": \"/y\"}]", "job 2 is named 'A'");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Settings.of(Map.of(Settings.BACKUP_JOBS, c.getKey())).backupJobs(), c.getKey());
            assertTrue(e.getMessage().startsWith("app setting BACKUP_JOBS"), e.getMessage());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + " -> " + e.getMessage());
        }
    }
}
