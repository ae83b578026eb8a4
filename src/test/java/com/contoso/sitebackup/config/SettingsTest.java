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
        assertEquals(Settings.DEFAULT_SLICE_SIZE, settings.sliceSize());
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
    void sliceSize_outOfRangeOrNotANumber_refusedNamingTheSetting() {
        for (String bad : List.of("0", "-1", "5001", "many")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Settings.of(Map.of(Settings.BACKUP_SLICE_SIZE, bad)).sliceSize());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(Settings.BACKUP_SLICE_SIZE), e.getMessage());
        }
        assertEquals(100, Settings.of(Map.of(Settings.BACKUP_SLICE_SIZE, "100")).sliceSize());
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
                "BACKUP_CONTAINER", "BACKUP_MANIFEST_CONTAINER", "BACKUP_READ_ROOTS", "BACKUP_WRITE_ROOTS", "BACKUP_SLICE_SIZE"), Settings.NAMES);
        assertTrue(Settings.NAMES.stream().distinct().count() == Settings.NAMES.size());
    }

    @Test
    void fromEnvironment_readsTheProcessEnvironment() {
        Settings settings = Settings.fromEnvironment();
        String env = System.getenv(Settings.BACKUP_CONTAINER);
        assertEquals(env == null || env.isBlank() ? "backups" : env.trim(), settings.backupContainer());
    }
}
