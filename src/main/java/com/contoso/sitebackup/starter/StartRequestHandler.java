package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.durable.CodeVersion;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.BackupAccount;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.retention.ApplyRetention;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.snapshot.BackupRegistry;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.VerifyRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decides what the HTTP starter does with a request, without any Functions types: which orchestrator to
 * start and with what input, or which 4xx to answer and why. Nothing is scheduled for a bad request.
 *
 * <p>A backup body is a JSON string, the directory ({@code "/home/site/wwwroot"}, as in the documented
 * sample), or an object: {@code {"rootDirectory": "...", "container": "...", "blobPrefix": "...",
 * "include": ["**\/*.html"], "exclude": ["*.tmp"], "dryRun": false, "compareContent": false}}.
 * A restore body is an object: {@code {"container": "...", "blobPrefix": "...", "targetDirectory": "...",
 * "overwrite": false}}, optionally with {@code "snapshot"} (an id or {@code "latest"}) or {@code "asOf"} (an ISO-8601
 * instant) to restore a backup snapshot; the target, which may not exist yet, must lie under the write roots.
 * Directories are checked the way the activities check them again when they run ({@link SecureRoots}): one
 * message for every refusal, which tells nothing about what lies outside the roots.
 * A verify body is a backup body without {@code dryRun}, with the restore's optional {@code snapshot} or
 * {@code asOf}: the directory and the backup to compare it with. Whether a named snapshot exists is told by the run
 * (it takes a listing); a malformed choice is a 400 here.
 * A retention body is an object: {@code {"container": "...", "blobPrefix": "...", "keepLast": 7, "keepDaily": 30,
 * "keepWeekly": 12, "dryRun": false}} (whole numbers from 0; at least one positive); {@code maxDeleteShare} and
 * {@code force} are refused naming the app setting that now holds the ceiling.
 *
 * <p>A backup or a retention whose prefix is inside or above another backup's in the same container is answered
 * 409 {@code prefix_conflict} naming the other ({@link BackupRegistry}; the backup's listing checks again before it
 * writes, and retention before it deletes); an empty prefix is a 400. That look-up reads storage: when storage is
 * out of reach the answer is 503.
 */
public final class StartRequestHandler {
    /** Fails on anything after the first JSON value, so {@code {...}}} or two documents are not half-read. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> BACKUP_FIELDS = Set.of(
            "rootDirectory", "container", "blobPrefix", "include", "exclude", "dryRun", "compareContent");

    /** A verification compares; it has nothing to dry-run. */
    private static final Set<String> VERIFY_FIELDS = Set.of(
            "rootDirectory", "container", "blobPrefix", "include", "exclude", "compareContent", "snapshot", "asOf",
            "readData");

    private static final Set<String> RESTORE_FIELDS = Set.of(
            "container", "blobPrefix", "targetDirectory", "overwrite", "snapshot", "asOf");

    private static final Set<String> RETENTION_FIELDS = Set.of("container", "blobPrefix", "keepLast", "keepDaily",
            "keepWeekly", "dryRun");

    private final SecureRoots readRoots;
    private final SecureRoots writeRoots;
    private final String defaultContainer;
    private final String manifestContainer;
    private final Map<String, Function<JsonNode, Object>> parsers;
    private final Map<String, String> emptyBodyMessages;
    private final Supplier<BackupRegistry> registry;
    private final Supplier<String> account;

    /**
     * A handler that checks no prefix against the other backups (it reads no storage): for tests of the parsing
     * only. The app's handler ({@link #from}) has the registry.
     *
     * @param defaultContainer the container of a request that names none
     * @param manifestContainer the app's manifest container, refused as a request's container
     */
    public StartRequestHandler(SecureRoots readRoots, SecureRoots writeRoots, String defaultContainer,
                               String manifestContainer) {
        this(readRoots, writeRoots, defaultContainer, manifestContainer, null);
    }

    /**
     * @param registry the backups of each container, looked up for every backup and retention request (built on
     *     use, so a handler can be made without storage settings); null for none
     */
    public StartRequestHandler(SecureRoots readRoots, SecureRoots writeRoots, String defaultContainer,
                               String manifestContainer, Supplier<BackupRegistry> registry) {
        this(readRoots, writeRoots, defaultContainer, manifestContainer, registry, null);
    }

    /**
     * @param registry the backups of each container, looked up for every backup and retention request (built on
     *     use, so a handler can be made without storage settings); null for none
     * @param account the backup account every request is stamped with ({@link BackupAccount}: a worker of another
     *     account refuses the run), looked up on use; null, or a supplier that finds no storage settings, for none
     */
    public StartRequestHandler(SecureRoots readRoots, SecureRoots writeRoots, String defaultContainer,
                               String manifestContainer, Supplier<BackupRegistry> registry, Supplier<String> account) {
        this.registry = registry;
        this.account = account;
        this.readRoots = Objects.requireNonNull(readRoots, "readRoots");
        this.writeRoots = Objects.requireNonNull(writeRoots, "writeRoots");
        this.defaultContainer = Objects.requireNonNull(defaultContainer, "defaultContainer");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
        this.parsers = Map.of(BackupSiteContent.NAME, this::backupRequest,
                RestoreSiteContent.NAME, this::restoreRequest,
                VerifyBackup.NAME, this::verifyRequest,
                ApplyRetention.NAME, this::retentionRequest);
        this.emptyBodyMessages = Map.of(
                BackupSiteContent.NAME, "The request body is required: a JSON string with the directory to back up,"
                        + " or a JSON object with \"rootDirectory\"",
                RestoreSiteContent.NAME, "The request body is required: a JSON object with \"blobPrefix\" and"
                        + " \"targetDirectory\"",
                VerifyBackup.NAME, "The request body is required: a JSON string with the directory to verify,"
                        + " or a JSON object with \"rootDirectory\"",
                ApplyRetention.NAME, "The request body is required: a JSON object with \"blobPrefix\" and at least"
                        + " one of \"keepLast\", \"keepDaily\" and \"keepWeekly\"");
    }

    /** The handler of this app: its roots and containers. */
    public static StartRequestHandler from(AppServices services) {
        return new StartRequestHandler(services.readRoots(), services.writeRoots(),
                services.settings().backupContainer(), services.settings().manifestContainer(),
                () -> BackupRegistry.from(services), () -> BackupAccount.of(services.blobService()));
    }

    /** The orchestrators this starter may start. */
    public Set<String> orchestrators() {
        return parsers.keySet();
    }

    /** The largest body accepted, in UTF-8 bytes: far above any real request, far below what costs time. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** Decides what to do with a POST to {@code /orchestrators/{functionName}}. */
    public StartDecision decide(String functionName, String contentType, String body) {
        Function<JsonNode, Object> parser = functionName == null ? null : parsers.get(functionName);
        if (parser == null) {
            return StartDecision.reject(404, "unknown_orchestrator", "No orchestrator named '" + functionName
                    + "' can be started here; use one of " + new java.util.TreeSet<>(parsers.keySet()));
        }
        if (body == null || body.isBlank()) {
            return StartDecision.reject(400, "invalid_request", emptyBodyMessages.get(functionName));
        }
        if (body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            return StartDecision.reject(413, "payload_too_large", "The request body is larger than "
                    + MAX_BODY_BYTES + " bytes");
        }
        if (!isJson(contentType)) {
            return StartDecision.reject(415, "unsupported_media_type",
                    "Content-Type must be application/json, not " + (contentType == null ? "missing" : "'" + contentType + "'"));
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return StartDecision.reject(400, "invalid_json", "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        }
        Object input;
        try {
            input = parser.apply(json);
        } catch (IllegalArgumentException e) {
            return StartDecision.reject(400, "invalid_request", e.getMessage());
        }
        StartDecision conflict = conflict(input);
        return conflict != null ? conflict : StartDecision.start(functionName, input);
    }

    /**
     * The 409 for a backup or a retention whose prefix is inside or above another backup's in the same container,
     * the 503 when that cannot be looked up, or null.
     */
    private StartDecision conflict(Object input) {
        String container;
        String prefix;
        if (input instanceof BackupRequest backup) {
            container = backup.getContainer();
            prefix = backup.getBlobPrefix();
        } else if (input instanceof RetentionRequest retention) {
            container = retention.getContainer();
            prefix = retention.getBlobPrefix();
        } else {
            return null; // a restore or a verify only reads
        }
        if (registry == null) {
            return null;
        }
        try {
            registry.get().check("blobPrefix", container, prefix);
            return null;
        } catch (BackupRegistry.Conflict e) {
            return StartDecision.reject(409, "prefix_conflict", e.getMessage());
        } catch (RuntimeException e) {
            return StartDecision.reject(503, "unavailable", "The other backups of container '" + container
                    + "' could not be looked up; try again later");
        }
    }

    /**
     * Whether {@code contentType} is exactly the media type application/json, with or without parameters
     * ({@code application/json; charset=utf-8}); {@code application/json-patch+json} and the like are not.
     */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        return mediaType.equalsIgnoreCase("application/json");
    }

    private Object backupRequest(JsonNode json) {
        BackupRequest request;
        if (json.isTextual()) {
            request = BackupRequest.of(json.asText());
        } else {
            requireObjectOrString(json);
            rejectUnknownFields(json, BACKUP_FIELDS);
            request = new BackupRequest(text(json, "rootDirectory"), text(json, "container"),
                    text(json, "blobPrefix"), strings(json, "include"), strings(json, "exclude"),
                    bool(json, "dryRun"), bool(json, "compareContent"), null);
        }
        BackupRequest complete = request.withRootDirectory(openedPath(request.getRootDirectory()))
                .withDefaults(defaultContainer).withCodeVersion(CodeVersion.CURRENT).withAccount(account());
        complete.validate(manifestContainer);
        return complete;
    }

    private Object verifyRequest(JsonNode json) {
        VerifyRequest request;
        if (json.isTextual()) {
            request = new VerifyRequest(json.asText(), null, null, null, null, false, null);
        } else {
            requireObjectOrString(json);
            rejectUnknownFields(json, VERIFY_FIELDS);
            request = new VerifyRequest(text(json, "rootDirectory"), text(json, "container"),
                    text(json, "blobPrefix"), strings(json, "include"), strings(json, "exclude"),
                    bool(json, "compareContent"), text(json, "snapshot"), text(json, "asOf"), null)
                    .withReadData(bool(json, "readData"));
        }
        if (request.getRootDirectory() == null && request.isReadData()) {
            // A check of the stored data alone reads no directory: the backup is named by its prefix.
            if (request.getBlobPrefix() == null) {
                throw new IllegalArgumentException("blobPrefix is required when rootDirectory is left out (readData"
                        + " checks the stored data of the backup under that prefix)");
            }
            VerifyRequest complete = request.withDefaults(defaultContainer).withCodeVersion(CodeVersion.CURRENT);
            complete.validate(manifestContainer);
            return complete;
        }
        VerifyRequest complete = request.withRootDirectory(openedPath(request.getRootDirectory()))
                .withDefaults(defaultContainer).withCodeVersion(CodeVersion.CURRENT).withAccount(account());
        complete.validate(manifestContainer);
        return complete;
    }

    /**
     * The path by which {@code directory} was opened through the read roots (its root's real path and the names
     * below it), so the default blob prefix does not depend on how the root was configured or spelled.
     */
    private String openedPath(String directory) {
        try (SecureDirectory opened = readRoots.open("rootDirectory", directory)) {
            return opened.path().toString();
        }
    }

    private static void requireObjectOrString(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON string or object, not "
                    + json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Object restoreRequest(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object with \"targetDirectory\"");
        }
        rejectUnknownFields(json, RESTORE_FIELDS);
        String container = text(json, "container");
        RestoreRequest request = new RestoreRequest(container == null ? defaultContainer : container,
                text(json, "blobPrefix"), text(json, "targetDirectory"), bool(json, "overwrite"),
                text(json, "snapshot"), text(json, "asOf"), null);
        if (request.getBlobPrefix() == null) {
            throw new IllegalArgumentException("blobPrefix is required: the prefix the backup was written under");
        }
        writeRoots.checkWritable("targetDirectory", request.getTargetDirectory());
        return request.withCodeVersion(CodeVersion.CURRENT).withAccount(account()).validate(manifestContainer);
    }

    private Object retentionRequest(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object with \"blobPrefix\" and the"
                    + " snapshots to keep");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String retired = RetentionRequest.retiredField(names.next());
            if (retired != null) {
                throw new IllegalArgumentException(retired);
            }
        }
        rejectUnknownFields(json, RETENTION_FIELDS);
        String container = text(json, "container");
        RetentionRequest request = new RetentionRequest(container == null ? defaultContainer : container,
                text(json, "blobPrefix"), count(json, "keepLast"), count(json, "keepDaily"), count(json, "keepWeekly"),
                bool(json, "dryRun"), null);
        if (request.getBlobPrefix() == null) {
            throw new IllegalArgumentException("blobPrefix is required: the prefix the backup was written under");
        }
        return request.withCodeVersion(CodeVersion.CURRENT).withAccount(account()).validate(manifestContainer);
    }

    /** The account requests are stamped with; null when this handler has none or the settings name no storage. */
    private String account() {
        if (account == null) {
            return null;
        }
        try {
            return account.get();
        } catch (IllegalStateException noStorage) {
            return null;
        }
    }

    private static void rejectUnknownFields(JsonNode json, Set<String> known) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("Unknown field '" + name + "'; known fields: "
                        + new java.util.TreeSet<>(known));
            }
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return node.asText();
    }

    private static boolean bool(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return node.asBoolean();
    }

    /** A whole number of snapshots to keep, 0 when absent. */
    private static int count(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw new IllegalArgumentException(field + " must be a whole number from 0, not " + node);
        }
        return node.intValue();
    }

    private static List<String> strings(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(field + " must be an array of strings");
            }
            values.add(element.asText());
        }
        return values;
    }
}
