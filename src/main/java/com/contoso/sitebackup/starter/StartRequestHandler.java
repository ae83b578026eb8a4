package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.RequestSchema;

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
    /**
     * The request type of each orchestrator this starter starts. A body's fields are its type's user fields
     * ({@link RequestSchema}: the {@code @RequestField}s), bound by {@link RequestSchema#bind}; the rest of a
     * request is stamped here.
     */
    public static final Map<String, Class<?>> REQUESTS = Map.of(BackupSiteContent.NAME, BackupRequest.class,
            RestoreSiteContent.NAME, RestoreRequest.class, VerifyBackup.NAME, VerifyRequest.class,
            ApplyRetention.NAME, RetentionRequest.class);

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
            request = bind(BackupRequest.class, json);
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
            request = bind(VerifyRequest.class, json);
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
        RestoreRequest request = bind(RestoreRequest.class, json).withDefaultContainer(defaultContainer);
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
        RetentionRequest request = bind(RetentionRequest.class, json).withDefaultContainer(defaultContainer);
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

    /**
     * A user's JSON object as a {@code type}, by its schema alone ({@link RequestSchema#bind}): no field is read by
     * hand here, so a new {@code @RequestField} is accepted, checked and bound without a change to this class.
     */
    private static <T> T bind(Class<T> type, JsonNode json) {
        return RequestSchema.bind(type, RequestSchema.of(type), json);
    }

    /** Each orchestrator's user fields as plain JDK data ({@link RequestSchema#describe}): the runner's options. */
    public static Map<String, List<Map<String, Object>>> requestSchemas() {
        Map<String, List<Map<String, Object>>> schemas = new java.util.TreeMap<>();
        REQUESTS.forEach((name, type) -> schemas.put(name, RequestSchema.describe(type)));
        return schemas;
    }
}
