package com.contoso.sitebackup.config;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

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
    /** Directories a backup or a verification may read, separated by the path separator. */
    public static final String BACKUP_READ_ROOTS = "BACKUP_READ_ROOTS";
    /** Directories a restore may write, separated by the path separator. */
    public static final String BACKUP_WRITE_ROOTS = "BACKUP_WRITE_ROOTS";
    /**
     * Whether a restore, running as root, gives files and folders back their recorded set-uid, set-gid and sticky
     * bits ({@code true}); by default ({@code false}, or unset) only the nine permission bits are ever set.
     */
    public static final String BACKUP_RESTORE_SETID_BITS = "BACKUP_RESTORE_SETID_BITS";
    /** Files per batch, the unit of work of one activity (default {@value #DEFAULT_BATCH_FILES}). */
    public static final String BACKUP_BATCH_FILES = "BACKUP_BATCH_FILES";
    /** Bytes per batch in MiB (default {@value #DEFAULT_BATCH_MIB}); a larger file is a batch alone. */
    public static final String BACKUP_BATCH_MIB = "BACKUP_BATCH_MIB";
    /** Files copied, restored or checked at once by one worker process, over all its batches (default 16). */
    public static final String BACKUP_TRANSFERS = "BACKUP_TRANSFERS";
    /** NCRONTAB (six fields) of the timer that starts the scheduled jobs; the timer binds it as {@code %BACKUP_SCHEDULE%}. */
    public static final String BACKUP_SCHEDULE = "BACKUP_SCHEDULE";
    /**
     * The scheduled jobs: a JSON array of {@code {"name": ..., "backup": <starter body>, "verifyAfter": false,
     * "retention": {"keepLast": 7, ...}}}.
     */
    public static final String BACKUP_JOBS = "BACKUP_JOBS";
    /**
     * The largest share of a backup's stored bytes one retention run may delete (default
     * {@value #DEFAULT_RETENTION_MAX_DELETE_SHARE}): above it the run deletes nothing and ends REFUSED. An operator's
     * ceiling, not a request field, so no caller can lift it.
     */
    public static final String BACKUP_RETENTION_MAX_DELETE_SHARE = "BACKUP_RETENTION_MAX_DELETE_SHARE";
    /** Set by the Functions host to the app's content root: the app's own code, never writable. */
    public static final String SCRIPT_ROOT = "AzureWebJobsScriptRoot";

    /** Every app setting this app's own code reads. */
    public static final List<String> NAMES = List.of(
            BACKUP_STORAGE, BACKUP_STORAGE_SERVICE_URI, BACKUP_STORAGE_CLIENT_ID,
            BACKUP_CONTAINER, BACKUP_MANIFEST_CONTAINER, BACKUP_READ_ROOTS, BACKUP_WRITE_ROOTS,
            BACKUP_RESTORE_SETID_BITS, BACKUP_BATCH_FILES, BACKUP_BATCH_MIB, BACKUP_TRANSFERS,
            BACKUP_RETENTION_MAX_DELETE_SHARE, BACKUP_SCHEDULE, BACKUP_JOBS);

    /**
     * What a job's name may be: letters, digits, {@code -} and {@code _}, starting with a letter or digit, at
     * most 40 characters. It becomes the instance id {@code job-<name>}, a KQL value in the staleness alert
     * and part of report blob names, so it holds nothing any of those would have to escape.
     */
    public static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    private static final Set<String> JOB_FIELDS = Set.of("name", "backup", "verifyAfter", "retention");
    /** The retention body's fields a job may not set: its retention prunes what its own backup writes. */
    private static final List<String> JOB_RETENTION_TARGET = List.of("container", "blobPrefix");
    /** Fails on anything after the array, so a half-pasted second list is not silently dropped. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static final String DEFAULT_CONTAINER = "backups";
    static final String DEFAULT_MANIFEST_CONTAINER = "backup-manifests";
    /**
     * Files per batch by default, measured with {@code bench/run.sh --sweep} (docs/benchmark.md, "Batch size"): 512
     * backed up 2,000 and 20,000 small files faster than 256, with less CPU and half the events replayed (128 had the
     * lowest median at 2,000 files, with the widest spread, three times the activities and eight times the events).
     */
    public static final int DEFAULT_BATCH_FILES = 512;
    /** The most files a batch may hold. */
    public static final int MAX_BATCH_FILES = 4_096;
    /** MiB per batch by default. */
    public static final int DEFAULT_BATCH_MIB = 64;
    /** Transfers at once per process by default. */
    public static final int DEFAULT_TRANSFERS = 16;

    /** The share of a backup's stored bytes one retention run may delete by default. */
    public static final double DEFAULT_RETENTION_MAX_DELETE_SHARE = 0.5;

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

    /** Files per batch; IllegalArgumentException naming the setting when it is not 1 to 4,096. */
    public int batchFiles() {
        return whole(BACKUP_BATCH_FILES, DEFAULT_BATCH_FILES, 1, MAX_BATCH_FILES);
    }

    /** Bytes per batch; IllegalArgumentException naming the setting when its MiB are not 1 to 4,096. */
    public long batchBytes() {
        return whole(BACKUP_BATCH_MIB, DEFAULT_BATCH_MIB, 1, 4_096) * 1024L * 1024L;
    }

    /** Transfers at once per process; IllegalArgumentException naming the setting when it is not 1 to 256. */
    public int transfers() {
        return whole(BACKUP_TRANSFERS, DEFAULT_TRANSFERS, 1, 256);
    }

    /**
     * The share of a backup's stored bytes one retention run may delete ({@value #BACKUP_RETENTION_MAX_DELETE_SHARE});
     * IllegalArgumentException naming the setting when it is not a number above 0 and at most 1.
     */
    public double retentionMaxDeleteShare() {
        String text = value(BACKUP_RETENTION_MAX_DELETE_SHARE).orElse(Double.toString(DEFAULT_RETENTION_MAX_DELETE_SHARE));
        try {
            double share = Double.parseDouble(text);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("app setting " + BACKUP_RETENTION_MAX_DELETE_SHARE + " must be a number"
                + " above 0 and at most 1 (the share of a backup's stored bytes one retention run may delete), not '"
                + text + "'");
    }

    private int whole(String name, int defaultValue, int min, int max) {
        String text = value(name).orElse(Integer.toString(defaultValue));
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("app setting " + name + " must be a whole number from " + min + " to "
                + max + ", not '" + text + "'");
    }

    /**
     * The timer's schedule, checked as NCRONTAB ({@link Ncrontab}); IllegalArgumentException naming the setting
     * when it is missing or not six valid fields.
     */
    public String backupSchedule() {
        String schedule = value(BACKUP_SCHEDULE).orElseThrow(() -> new IllegalArgumentException("app setting "
                + BACKUP_SCHEDULE + " is not set: the scheduled jobs' timer needs an NCRONTAB expression of six"
                + " fields, such as '0 0 2 * * *' (02:00 every day)"));
        try {
            return Ncrontab.check(schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("app setting " + BACKUP_SCHEDULE + ": " + e.getMessage());
        }
    }

    /**
     * The scheduled jobs, none when unset: {@value #BACKUP_JOBS} read as a JSON array of objects, each with a
     * unique {@code name} ({@link #JOB_NAME}), a {@code backup} body (a JSON string or object, as a POST to the
     * starter carries it), an optional boolean {@code verifyAfter} and an optional {@code retention} object
     * without {@code container} and {@code blobPrefix} (the backup's). IllegalArgumentException naming the
     * setting, and the job, for anything else. The bodies themselves are checked where the jobs are used.
     */
    public List<JobSetting> backupJobs() {
        Optional<String> text = value(BACKUP_JOBS);
        if (text.isEmpty()) {
            return List.of();
        }
        JsonNode array;
        try {
            array = JSON.readTree(text.get());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("app setting " + BACKUP_JOBS + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("app setting " + BACKUP_JOBS + " must be a JSON array of jobs, such as"
                    + " [{\"name\": \"nightly\", \"backup\": \"/mounts/site\"}]");
        }
        List<JobSetting> jobs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JobSetting job = job(i, array.get(i));
            // Case-insensitively: two ids that differ only by case are one job to a person reading the alerts.
            if (!names.add(job.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("app setting " + BACKUP_JOBS + ": job " + (i + 1) + " is named '"
                        + job.name() + "' like an earlier job; names must be unique");
            }
            jobs.add(job);
        }
        return List.copyOf(jobs);
    }

    private static JobSetting job(int index, JsonNode job) {
        String which = "app setting " + BACKUP_JOBS + ": job " + (index + 1);
        if (!job.isObject()) {
            throw new IllegalArgumentException(which + " must be an object with \"name\" and \"backup\"");
        }
        for (Iterator<String> fields = job.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!JOB_FIELDS.contains(field)) {
                throw new IllegalArgumentException(which + ": unknown field '" + field + "'; known fields: "
                        + new TreeSet<>(JOB_FIELDS));
            }
        }
        JsonNode name = job.get("name");
        if (name == null || !name.isTextual() || !JOB_NAME.matcher(name.asText()).matches()) {
            throw new IllegalArgumentException(which + ": \"name\" must be 1 to 40 letters, digits, '-' or '_',"
                    + " starting with a letter or digit, not " + name);
        }
        which += " ('" + name.asText() + "')";
        JsonNode backup = job.get("backup");
        if (backup == null || !(backup.isTextual() || backup.isObject())) {
            throw new IllegalArgumentException(which + ": \"backup\" must be the backup's request body, a JSON string"
                    + " (the directory) or object (as POST /orchestrators/BackupSiteContent takes it), not " + backup);
        }
        JsonNode verifyAfter = job.get("verifyAfter");
        if (verifyAfter != null && !verifyAfter.isNull() && !verifyAfter.isBoolean()) {
            throw new IllegalArgumentException(which + ": \"verifyAfter\" must be true or false, not " + verifyAfter);
        }
        JsonNode retention = job.get("retention");
        return new JobSetting(name.asText(), backup.toString(), verifyAfter != null && verifyAfter.asBoolean(),
                retention == null || retention.isNull() ? null : retention(which, retention).toString());
    }

    /** A job's retention, shaped: an object that leaves the container and prefix to the backup. */
    private static JsonNode retention(String which, JsonNode retention) {
        if (!retention.isObject()) {
            throw new IllegalArgumentException(which + ": \"retention\" must be an object with the snapshots to keep,"
                    + " such as {\"keepLast\": 7, \"keepDaily\": 14}, not " + retention);
        }
        for (String field : JOB_RETENTION_TARGET) {
            if (retention.has(field)) {
                throw new IllegalArgumentException(which + ": \"retention\" may not set \"" + field + "\": a job's"
                        + " retention prunes the snapshots of its own backup, in the backup's container and prefix");
            }
        }
        return retention;
    }

    /** The read roots: {@value #BACKUP_READ_ROOTS} split on the path separator; none when unset. */
    public List<Path> readRoots() {
        return paths(BACKUP_READ_ROOTS);
    }

    /** The write roots: {@value #BACKUP_WRITE_ROOTS} split on the path separator; none when unset. */
    public List<Path> writeRoots() {
        return paths(BACKUP_WRITE_ROOTS);
    }

    /**
     * Whether restores may set set-uid, set-gid and sticky bits (as root only): {@value #BACKUP_RESTORE_SETID_BITS}
     * is {@code true}; false when unset or {@code false}.
     *
     * @throws IllegalArgumentException for any other value, so a typo never turns it on or off unnoticed
     */
    public boolean restoreSetIdBits() {
        String text = value(BACKUP_RESTORE_SETID_BITS).orElse("false");
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("app setting " + BACKUP_RESTORE_SETID_BITS + " must be true or false");
    }

    /**
     * The app's own code: the content root the host names ({@value #SCRIPT_ROOT}) and the folder this class
     * was loaded from. A restore never writes there, whatever the write roots say.
     */
    public List<Path> codeDirectories() {
        List<Path> code = new java.util.ArrayList<>();
        value(SCRIPT_ROOT).map(Path::of).ifPresent(code::add);
        try {
            java.security.CodeSource source = Settings.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI());
                code.add(java.nio.file.Files.isDirectory(location) ? location : location.getParent());
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            // A class loader without a file location: only the content root is known.
        }
        return code;
    }

    private List<Path> paths(String name) {
        return value(name)
                .map(v -> Arrays.stream(v.split(java.io.File.pathSeparator))
                        .map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList())
                .orElse(List.of());
    }

    private Optional<String> value(String name) {
        return Optional.ofNullable(source.apply(name)).map(String::trim).filter(s -> !s.isEmpty());
    }
}
