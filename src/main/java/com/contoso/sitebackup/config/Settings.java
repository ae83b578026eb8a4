package com.contoso.sitebackup.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The app settings this function app reads, in one place.
 *
 * <p>Every name the code reads is listed in {@link #NAMES}; infra/ sets each one and the README documents
 * each one (a test checks both). Values come from the process environment, where the Functions host puts
 * app settings and local.settings.json values.
 */
public final class Settings {

    /** Connection string of the backup account (Azurite: {@code UseDevelopmentStorage=true}). */
    public static final String BACKUP_STORAGE = "BackupStorage";
    /** Blob service URI of the backup account, used with {@code DefaultAzureCredential} on Azure. */
    public static final String BACKUP_STORAGE_SERVICE_URI = "BackupStorage__serviceUri";
    /** Client id of the user-assigned managed identity that may write to the backup account. */
    public static final String BACKUP_STORAGE_CLIENT_ID = "BackupStorage__clientId";
    /** Default container for backups when a request names none. */
    public static final String BACKUP_CONTAINER = "BACKUP_CONTAINER";
    /** Container for the file-list manifests that large backups are split with. */
    public static final String BACKUP_MANIFEST_CONTAINER = "BACKUP_MANIFEST_CONTAINER";
    /** Directories a backup may read from (and a restore may write to), separated by the path separator. */
    public static final String BACKUP_ALLOWED_ROOTS = "BACKUP_ALLOWED_ROOTS";
    /** Set by the Functions host to the app's content root; the default allowed root. */
    public static final String SCRIPT_ROOT = "AzureWebJobsScriptRoot";

    /** Every app setting this app's own code reads. */
    public static final List<String> NAMES = List.of(
            BACKUP_STORAGE, BACKUP_STORAGE_SERVICE_URI, BACKUP_STORAGE_CLIENT_ID,
            BACKUP_CONTAINER, BACKUP_MANIFEST_CONTAINER, BACKUP_ALLOWED_ROOTS);

    static final String DEFAULT_CONTAINER = "backups";
    static final String DEFAULT_MANIFEST_CONTAINER = "backup-manifests";

    private final Function<String, String> source;

    /** Settings read through {@code source}, a lookup by name that answers null for a missing setting. */
    public Settings(Function<String, String> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Settings from the process environment. */
    public static Settings fromEnvironment() {
        return new Settings(System::getenv);
    }

    /** Settings from a map, for tests and tools. */
    public static Settings of(Map<String, String> values) {
        return new Settings(Map.copyOf(values)::get);
    }

    /** The backup account's connection string, if one is set. */
    public Optional<String> backupConnectionString() {
        return value(BACKUP_STORAGE);
    }

    /** The backup account's blob endpoint for identity-based access, if one is set. */
    public Optional<String> backupServiceUri() {
        return value(BACKUP_STORAGE_SERVICE_URI);
    }

    /** The managed identity client id for identity-based access, if one is set. */
    public Optional<String> backupClientId() {
        return value(BACKUP_STORAGE_CLIENT_ID);
    }

    /** The default backup container. */
    public String backupContainer() {
        return value(BACKUP_CONTAINER).orElse(DEFAULT_CONTAINER);
    }

    /** The container that holds file-list manifests. */
    public String manifestContainer() {
        return value(BACKUP_MANIFEST_CONTAINER).orElse(DEFAULT_MANIFEST_CONTAINER);
    }

    /**
     * The allowed roots: {@value #BACKUP_ALLOWED_ROOTS} split on the path separator, else the app's content
     * root ({@value #SCRIPT_ROOT}), else the working directory.
     */
    public List<Path> allowedRoots() {
        return value(BACKUP_ALLOWED_ROOTS)
                .map(v -> Arrays.stream(v.split(java.io.File.pathSeparator))
                        .map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList())
                .filter(list -> !list.isEmpty())
                .orElseGet(() -> List.of(value(SCRIPT_ROOT).map(Path::of)
                        .orElseGet(() -> Path.of("").toAbsolutePath())));
    }

    private Optional<String> value(String name) {
        return Optional.ofNullable(source.apply(name)).map(String::trim).filter(s -> !s.isEmpty());
    }
}
