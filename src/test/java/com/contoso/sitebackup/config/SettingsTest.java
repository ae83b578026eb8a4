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
        assertEquals(List.of(Path.of("").toAbsolutePath()), settings.allowedRoots());
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
                Settings.BACKUP_ALLOWED_ROOTS, " ",
                Settings.SCRIPT_ROOT, "/home/site/wwwroot"));
        assertEquals(Optional.empty(), settings.backupConnectionString());
        assertEquals("backups", settings.backupContainer());
        assertEquals("backup-manifests", settings.manifestContainer());
        assertEquals(List.of(Path.of("/home/site/wwwroot")), settings.allowedRoots());
    }

    @Test
    void allowedRoots_severalSeparatedByPathSeparator_splitTrimmedBlanksDropped() {
        String sep = java.io.File.pathSeparator;
        Settings settings = Settings.of(Map.of(Settings.BACKUP_ALLOWED_ROOTS,
                " /home/site/wwwroot " + sep + sep + " " + sep + "/mnt/data" + sep));
        assertEquals(List.of(Path.of("/home/site/wwwroot"), Path.of("/mnt/data")), settings.allowedRoots());
    }

    @Test
    void allowedRoots_onlySeparators_fallBackToScriptRoot() {
        String sep = java.io.File.pathSeparator;
        Settings settings = Settings.of(Map.of(Settings.BACKUP_ALLOWED_ROOTS, sep + " " + sep,
                Settings.SCRIPT_ROOT, "/home/site/wwwroot"));
        assertEquals(List.of(Path.of("/home/site/wwwroot")), settings.allowedRoots());
    }

    @Test
    void allowedRoots_unsetWithScriptRoot_scriptRoot() {
        assertEquals(List.of(Path.of("/home/site/wwwroot")),
                Settings.of(Map.of(Settings.SCRIPT_ROOT, "/home/site/wwwroot")).allowedRoots());
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
                "BACKUP_CONTAINER", "BACKUP_MANIFEST_CONTAINER", "BACKUP_ALLOWED_ROOTS"), Settings.NAMES);
        assertTrue(Settings.NAMES.stream().distinct().count() == Settings.NAMES.size());
    }

    @Test
    void fromEnvironment_readsTheProcessEnvironment() {
        Settings settings = Settings.fromEnvironment();
        String env = System.getenv(Settings.BACKUP_CONTAINER);
        assertEquals(env == null || env.isBlank() ? "backups" : env.trim(), settings.backupContainer());
    }
}
