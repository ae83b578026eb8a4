package com.contoso.sitebackup.starter;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartRequestHandlerTest {
    static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path allowed;
    private Path site;
    private Path outside;
    private StartRequestHandler handler;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        site = Files.createDirectories(allowed.resolve("site/wwwroot"));
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        handler = new StartRequestHandler(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(allowed)),
                SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(allowed), List.of()), "backups", "backup-manifests");
    }

    /** The one message of every refused root, for {@code directory}. */
    private static String refusedRoot(Object directory) {
        return "rootDirectory '" + directory + "' is not a directory this app may read (it must be a folder under one"
                + " of the configured read roots, reached without symbolic links)";
    }

    private static String quoted(Object text) {
        return JSON.getNodeFactory().textNode(text.toString()).toString();
    }

    private String object(String extraFields) {
        return "{\"rootDirectory\":" + quoted(site) + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }

    /** Asserts a rejection with {@code status} and {@code error} whose JSON message contains {@code words}. */
    private static JsonNode assertRejected(StartDecision decision, int status, String error, String... words)
            throws IOException {
        assertFalse(decision.isAccepted(), "accepted: " + decision.input());
        assertNull(decision.orchestrator());
        assertNull(decision.input());
        assertEquals(status, decision.status());
        JsonNode body = JSON.readTree(decision.errorBody());
        assertEquals(Set.of("error", "message"), fieldNames(body));
        assertEquals(error, body.get("error").asText());
        for (String word : words) {
            assertTrue(body.get("message").asText().contains(word), "'" + word + "' not in " + body);
        }
        return body;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static BackupRequest assertAccepted(StartDecision decision) {
        assertTrue(decision.isAccepted(), () -> decision.status() + " " + decision.errorBody());
        assertEquals(202, decision.status());
        assertEquals("BackupSiteContent", decision.orchestrator());
        return assertInstanceOf(BackupRequest.class, decision.input());
    }

    @Test
    void orchestrators_backupRestoreVerifyAndRetention_listsThem() {
        assertEquals(Set.of("BackupSiteContent", "RestoreSiteContent", "VerifyBackup", "ApplyRetention"),
                handler.orchestrators());
    }

    @Test
    void decide_verifyWithABackupBody_acceptedAsAVerifyRequest() {
        StartDecision decision = handler.decide("VerifyBackup", JSON_TYPE, object("\"compareContent\":true"));

        assertEquals("VerifyBackup", decision.orchestrator(), decision.errorBody());
        assertTrue(((VerifyRequest) decision.input()).isCompareContent());
    }

    @Test
    void decide_verifyWithOnlyTheDirectory_backupDefaultsFilledIn() {
        StartDecision decision = handler.decide("VerifyBackup", JSON_TYPE, quoted(site));

        assertEquals(202, decision.status(), decision.errorBody());
        VerifyRequest request = (VerifyRequest) decision.input();
        assertEquals("backups", request.getContainer());
        assertEquals(BlobNames.defaultPrefix(site.toString()), request.getBlobPrefix());
        assertFalse(request.isCompareContent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"dryRun\":true|Unknown field 'dryRun'", "\"overwrite\":true|Unknown field 'overwrite'",
            "\"compareContent\":\"yes\"|compareContent must be true or false",
            "\"container\":\"Bad_Name\"|not a valid container name", "\"blobPrefix\":\"a/../b\"|'..'",
            "\"snapshot\":\"latest\",\"asOf\":\"2026-11-26T10:00:00Z\"|snapshot and asOf",
            "\"asOf\":\"yesterday\"|asOf 'yesterday' is not an ISO-8601 instant",
            "\"snapshot\":\"last\"|snapshot 'last' is neither 'latest' nor a snapshot id",
            "\"snapshot\":7|snapshot must be a string"})
    void decide_badVerifyBody_400NamingTheProblem(String caseText) throws IOException {
        String[] parts = caseText.split("\\|");
        assertRejected(handler.decide("VerifyBackup", JSON_TYPE, object(parts[0])), 400, "invalid_request", parts[1]);
    }

    @Test
    void decide_verifyOfASnapshot_choiceTakenAsGiven() {
        VerifyRequest latest = (VerifyRequest) handler.decide("VerifyBackup", JSON_TYPE,
                object("\"snapshot\":\"latest\"")).input();
        VerifyRequest asOf = (VerifyRequest) handler.decide("VerifyBackup", JSON_TYPE,
                object("\"asOf\":\"2026-11-26T10:00:00Z\"")).input();

        assertEquals(java.util.Arrays.asList("latest", null),
                java.util.Arrays.asList(latest.getSnapshot(), latest.getAsOf()));
        assertEquals(java.util.Arrays.asList(null, "2026-11-26T10:00:00Z"),
                java.util.Arrays.asList(asOf.getSnapshot(), asOf.getAsOf()));
    }

    @Test
    void decide_verifyRootOutsideAllowedRoots_400() throws IOException {
        assertRejected(handler.decide("VerifyBackup", JSON_TYPE, "{\"rootDirectory\":\"/etc\"}"), 400,
                "invalid_request", "is not a directory this app may read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Nope", "GetFileList", "CopyFileToBlob", "backupsitecontent", ""})
    void decide_unknownOrchestrator_404NamingItAndTheKnownOnes(String name) throws IOException {
        assertRejected(handler.decide(name, JSON_TYPE, quoted(site)), 404, "unknown_orchestrator",
                "'" + name + "'", "BackupSiteContent");
    }

    @Test
    void decide_nullOrchestratorName_404() throws IOException {
        assertRejected(handler.decide(null, JSON_TYPE, quoted(site)), 404, "unknown_orchestrator");
    }

    @Test
    void decide_missingBody_400SayingTheBodyIsRequired() throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, null), 400, "invalid_request",
                "body is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void decide_blankBody_400SayingTheBodyIsRequired(String body) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body), 400, "invalid_request",
                "body is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"rootDirectory\":", "/home/site/wwwroot", "{rootDirectory: '/x'}", "[1,", "\"unterminated"})
    void decide_malformedJson_400InvalidJson(String body) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body), 400, "invalid_json", "not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s}", "%s {\"rootDirectory\":\"/etc\"}", "%s trailing", "%s,"})
    void decide_validJsonFollowedByMore_400InvalidJsonNotTheFirstValue(String template) throws IOException {
        String body = String.format(template, object(""));
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body), 400, "invalid_json", "not valid JSON");
    }

    @Test
    void decide_missingContentType_415() throws IOException {
        assertRejected(handler.decide("BackupSiteContent", null, quoted(site)), 415, "unsupported_media_type",
                "application/json", "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "", "application/xml",
            "application/json-patch+json", "application/jsonx", "application/json+x; charset=utf-8"})
    void decide_wrongContentType_415NamingIt(String contentType) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", contentType, quoted(site)), 415, "unsupported_media_type",
                "'" + contentType + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON", " application/json "})
    void decide_jsonContentTypeVariants_accepted(String contentType) {
        assertAccepted(handler.decide("BackupSiteContent", contentType, quoted(site)));
    }

    @Test
    void decide_bodyOverTheLimit_413BeforeAnyParsing() throws IOException {
        String patterns = "\"" + "x".repeat(1_000) + "\",";
        String body = "{\"rootDirectory\":\"" + site + "\",\"include\":[" + patterns.repeat(70) + "\"y\"]}";
        assertTrue(body.length() > StartRequestHandler.MAX_BODY_BYTES);

        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body), 413, "payload_too_large", "65536 bytes");
    }

    @Test
    void decide_bodyAtTheLimitInMultiByteCharacters_countedInBytes() throws IOException {
        String body = "\"" + site + "/" + "é".repeat(StartRequestHandler.MAX_BODY_BYTES / 2) + "\"";
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body), 413, "payload_too_large", "bytes");
    }

    @Test
    void decide_jsonStringBody_202WithTheOpenedRootAndDefaults() {
        BackupRequest request = assertAccepted(handler.decide("BackupSiteContent", JSON_TYPE,
                quoted(allowed + "//site/wwwroot/")));

        assertEquals(site.toString(), request.getRootDirectory());
        assertEquals("backups", request.getContainer());
        assertEquals(site.toString().substring(1), request.getBlobPrefix());
        assertEquals(List.of(), request.getInclude());
        assertEquals(List.of(), request.getExclude());
        assertFalse(request.isDryRun());
        assertFalse(request.isCompareContent());
    }

    /** A link inside the roots is never followed, even to inside: the request is refused like any other. */
    @Test
    void decide_jsonStringBodyThroughSymlinkInsideRoot_400LikeOutside() throws IOException {
        Path link = Files.createSymbolicLink(allowed.resolve("current"), site);
        JsonNode body = assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, quoted(link)), 400,
                "invalid_request");
        assertEquals(refusedRoot(link), body.get("message").asText());
    }

    /** A read root configured through a link: requests by either path back up the same real folder. */
    @Test
    void decide_rootConfiguredThroughALink_rootStoredByItsRealPath() throws IOException {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), allowed);
        StartRequestHandler viaAlias = new StartRequestHandler(SecureRoots.forReading("BACKUP_READ_ROOTS",
                List.of(alias)), SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(), List.of()), "backups",
                "backup-manifests");
        BackupRequest request = assertAccepted(viaAlias.decide("BackupSiteContent", JSON_TYPE,
                quoted(alias.resolve("site/wwwroot"))));
        assertEquals(site.toString(), request.getRootDirectory());
        assertEquals(site.toString().substring(1), request.getBlobPrefix());
    }

    @Test
    void decide_jsonObjectWithEveryField_202KeepingThem() {
        BackupRequest request = assertAccepted(handler.decide("BackupSiteContent", JSON_TYPE, object(
                "\"container\":\"site-backups\",\"blobPrefix\":\"nightly/site\",\"include\":[\"**/*.html\",\"*.css\"],"
                        + "\"exclude\":[\"*.tmp\"],\"dryRun\":true,\"compareContent\":true")));

        assertEquals(site.toString(), request.getRootDirectory());
        assertEquals("site-backups", request.getContainer());
        assertEquals("nightly/site", request.getBlobPrefix());
        assertEquals(List.of("**/*.html", "*.css"), request.getInclude());
        assertEquals(List.of("*.tmp"), request.getExclude());
        assertTrue(request.isDryRun());
        assertTrue(request.isCompareContent());
    }

    @Test
    void decide_jsonObjectWithOnlyRoot_defaultsFilledIn() {
        BackupRequest request = assertAccepted(handler.decide("BackupSiteContent", JSON_TYPE, object("")));
        assertEquals("backups", request.getContainer());
        assertEquals(site.toString().substring(1), request.getBlobPrefix());
    }

    @Test
    void decide_jsonObjectWithNullOptionalFields_defaultsFilledIn() {
        BackupRequest request = assertAccepted(handler.decide("BackupSiteContent", JSON_TYPE, object(
                "\"container\":null,\"blobPrefix\":null,\"include\":null,\"exclude\":null,\"dryRun\":null")));
        assertEquals("backups", request.getContainer());
        assertEquals(site.toString().substring(1), request.getBlobPrefix());
        assertFalse(request.isDryRun());
    }

    /** Issue 21: a backup at the container's root holds every other backup of the container. */
    @Test
    void decide_emptyBlobPrefix_400SayingWhy() throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, object("\"blobPrefix\":\"\"")), 400,
                "invalid_request", "blobPrefix must not be empty: a backup at the container's root would hold every"
                        + " other backup of the container");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"container\":5|container must be a string",
            "\"blobPrefix\":[\"a\"]|blobPrefix must be a string",
            "\"include\":\"*.html\"|include must be an array of strings",
            "\"exclude\":[1]|exclude must be an array of strings",
            "\"exclude\":[null]|exclude must be an array of strings",
            "\"dryRun\":\"yes\"|dryRun must be true or false",
            "\"compareContent\":1|compareContent must be true or false"})
    void decide_wrongFieldType_400NamingTheField(String caseText) throws IOException {
        String[] parts = caseText.split("\\|");
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, object(parts[0])), 400, "invalid_request", parts[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"include\":[\"[abc\"]|include pattern '[abc' is not a valid glob",
            "\"exclude\":[\"{a,b\"]|exclude pattern '{a,b' is not a valid glob",
            "\"include\":[\"/etc/*\"]|include pattern '/etc/*' must be relative to the root",
            "\"exclude\":[\"  \"]|exclude patterns must not be blank"})
    void decide_invalidPattern_400NamingThePattern(String caseText) throws IOException {
        String[] parts = caseText.split("\\|");
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, object(parts[0])), 400, "invalid_request", parts[1]);
    }

    @Test
    void decide_rootDirectoryNotAString_400() throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, "{\"rootDirectory\":42}"), 400, "invalid_request",
                "rootDirectory must be a string");
    }

    @Test
    void decide_unknownField_400NamingItAndTheKnownFields() throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, object("\"targetContainer\":\"x\"")), 400,
                "invalid_request", "Unknown field 'targetContainer'", "rootDirectory", "blobPrefix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "null", "[\"/x\"]"})
    void decide_bodyNeitherStringNorObject_400(String body) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body), 400, "invalid_request",
                "must be a JSON string or object");
    }

    @Test
    void decide_objectWithoutRoot_400RootRequired() throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, "{\"container\":\"backups\"}"), 400,
                "invalid_request", "rootDirectory is required");
    }

    @Test
    void decide_emptyStringRoot_400RootRequired() throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, "\"\""), 400, "invalid_request",
                "rootDirectory is required");
    }

    /**
     * Issue 10, item 6: a missing root, a file, a folder outside the roots, a link: one message for all, naming
     * neither the roots nor the setting, so a caller cannot tell {@code /etc/shadow} from {@code /etc/shadowX}.
     */
    @Test
    void decide_rootMissingAFileOutsideOrALink_400WithOneMessageThatTellsNothing() throws IOException {
        Path file = Files.writeString(site.resolve("index.html"), "<html/>");
        Path link = Files.createSymbolicLink(allowed.resolve("escape"), outside);
        for (Object root : List.of(allowed + "/missing", file, outside, link, "/etc/shadow", "/etc/shadowX", "/etc")) {
            JsonNode body = assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, quoted(root)), 400,
                    "invalid_request");
            assertEquals(refusedRoot(root), body.get("message").asText());
            assertFalse(body.get("message").asText().contains("BACKUP_READ_ROOTS"), body.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"site/wwwroot", "./site", "../etc", "~/site"})
    void decide_relativeRoot_400MustBeAbsolute(String root) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, quoted(root)), 400, "invalid_request",
                "must be an absolute path");
    }

    @Test
    void decide_rootWithNulCharacter_400WithTheNulEscaped() throws IOException {
        JsonNode body = assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, quoted(site + "\u0000x")), 400,
                "invalid_request");
        assertEquals(refusedRoot(site + "\\u0000x"), body.get("message").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup-manifests", "azure-webjobs-hosts", "azure-webjobs-secrets"})
    void decide_reservedContainer_400(String container) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, object("\"container\":" + quoted(container))),
                400, "invalid_request", "container '" + container + "' is reserved");
        assertRejected(handler.decide("RestoreSiteContent", JSON_TYPE, "{\"container\":" + quoted(container)
                + ",\"blobPrefix\":\"site\",\"targetDirectory\":" + quoted(allowed) + "}"), 400, "invalid_request",
                "container '" + container + "' is reserved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "line\nbreak", "carriage\rreturn", "lone\uD800surrogate"})
    void decide_blobPrefixWithControlCharacterOrLoneSurrogate_400(String prefix) throws IOException {
        JsonNode body = assertRejected(handler.decide("BackupSiteContent", JSON_TYPE,
                object("\"blobPrefix\":" + quoted(prefix))), 400, "invalid_request", "must not hold control characters");
        assertFalse(body.get("message").asText().chars().anyMatch(c -> c < 0x20 || Character.isSurrogate((char) c)),
                body.toString());
    }

    @Test
    void decide_65IncludePatterns_400() throws IOException {
        ObjectNode body = JSON.createObjectNode().put("rootDirectory", site.toString());
        java.util.Collections.nCopies(65, "*.html").forEach(body.putArray("include")::add);
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body.toString()), 400, "invalid_request",
                "include has 65 patterns; at most 64 are allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Backups", "ab", "back_ups", "a--b", "-abc", ""})
    void decide_invalidContainer_400NamingTheContainer(String container) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, object("\"container\":" + quoted(container))), 400,
                "invalid_request", "container '" + container + "' is not a valid container name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "a//b", "a/../b", "end/"})
    void decide_invalidBlobPrefix_400NamingThePrefix(String prefix) throws IOException {
        assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, object("\"blobPrefix\":" + quoted(prefix))), 400,
                "invalid_request", "blobPrefix '" + prefix + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"include|[abc", "exclude|{a,{b}}", "include|", "exclude|/abs/*"})
    void decide_invalidGlob_400NamingThePattern(String caseText) throws IOException {
        String[] parts = caseText.split("\\|", -1);
        ObjectNode body = JSON.createObjectNode().put("rootDirectory", site.toString());
        body.putArray(parts[0]).add(parts[1]);
        JsonNode error = assertRejected(handler.decide("BackupSiteContent", JSON_TYPE, body.toString()), 400,
                "invalid_request", parts[0]);
        if (!parts[1].isEmpty()) {
            assertTrue(error.get("message").asText().contains("'" + parts[1] + "'"), error.toString());
        }
    }

    @Test
    void decide_restoreIntoNewFolderUnderAllowedRoot_acceptedCreatingNothingWithDefaultContainer() {
        StartDecision decision = handler.decide("RestoreSiteContent", JSON_TYPE,
                "{\"blobPrefix\":\"site\",\"targetDirectory\":\"" + allowed.resolve("restored/new") + "\"}");

        assertEquals(202, decision.status(), decision.errorBody());
        assertEquals("RestoreSiteContent", decision.orchestrator());
        RestoreRequest request = (RestoreRequest) decision.input();
        assertEquals(allowed.resolve("restored/new").toString(), request.getTargetDirectory());
        assertEquals("backups", request.getContainer());
        assertEquals(false, request.isOverwrite());
        assertFalse(Files.exists(allowed.resolve("restored")), "the starter creates nothing");
    }

    @Test
    void decide_restoreWithEveryField_takenAsGiven() {
        StartDecision decision = handler.decide("RestoreSiteContent", JSON_TYPE, "{\"container\":\"other-backups\","
                + "\"blobPrefix\":\"home/site/wwwroot\",\"targetDirectory\":\"" + allowed + "\",\"overwrite\":true}");

        assertEquals(202, decision.status(), decision.errorBody());
        RestoreRequest request = (RestoreRequest) decision.input();
        assertEquals("other-backups", request.getContainer());
        assertEquals("home/site/wwwroot", request.getBlobPrefix());
        assertTrue(request.isOverwrite());
        assertEquals(java.util.Arrays.asList(null, null), java.util.Arrays.asList(request.getSnapshot(),
                request.getAsOf()), "neither snapshot nor asOf: the latest snapshot");
        assertEquals(com.contoso.sitebackup.durable.CodeVersion.CURRENT, request.getCodeVersion(),
                "the starter stamps the code version");
    }

    @Test
    void decide_restoreOfASnapshot_choiceTakenAsGiven() {
        RestoreRequest latest = (RestoreRequest) handler.decide("RestoreSiteContent", JSON_TYPE,
                "{\"blobPrefix\":\"site\",\"targetDirectory\":\"" + allowed + "\",\"snapshot\":\"latest\"}").input();
        RestoreRequest asOf = (RestoreRequest) handler.decide("RestoreSiteContent", JSON_TYPE,
                "{\"blobPrefix\":\"site\",\"targetDirectory\":\"" + allowed + "\",\"asOf\":\"2026-11-26T10:00:00Z\"}")
                .input();

        assertEquals(java.util.Arrays.asList("latest", null),
                java.util.Arrays.asList(latest.getSnapshot(), latest.getAsOf()));
        assertEquals(java.util.Arrays.asList(null, "2026-11-26T10:00:00Z"),
                java.util.Arrays.asList(asOf.getSnapshot(), asOf.getAsOf()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"blobPrefix\":\"site\"}|targetDirectory is required",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"/etc/restore-here\"}|is not a directory this app may write",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"/etc\"}|is not a directory this app may write",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED/link/new\"}|is not a directory this app may write",
            "{\"targetDirectory\":\"ALLOWED\"}|blobPrefix is required",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED\",\"overwrite\":\"yes\"}|overwrite must be true or false",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED\",\"rootDirectory\":\"/x\"}|Unknown field 'rootDirectory'",
            "\"/just/a/string\"|must be a JSON object",
            "{\"blobPrefix\":\"site/../x\",\"targetDirectory\":\"ALLOWED\"}|'..'",
            "{\"blobPrefix\":\"site/\",\"targetDirectory\":\"ALLOWED\"}|single forward slashes",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"relative/dir\"}|must be an absolute path",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED/a-file\"}|is not a directory this app may write",
            "{\"container\":\"x\",\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED\"}|not a valid container name",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED\",\"snapshot\":\"latest\",\"asOf\":\"2026-11-26T10:00:00Z\"}"
                    + "|snapshot and asOf name a snapshot each; give one of them, not both",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED\",\"asOf\":\"2026-11-26 10:00\"}"
                    + "|asOf '2026-11-26 10:00' is not an ISO-8601 instant (such as 2026-11-26T10:00:00Z)",
            "{\"blobPrefix\":\"site\",\"targetDirectory\":\"ALLOWED\",\"asOf\":true}|asOf must be a string"})
    void decide_badRestoreBody_400NamingTheProblem(String caseText) throws IOException {
        Files.writeString(allowed.resolve("a-file"), "not a folder");
        Files.createSymbolicLink(allowed.resolve("link"), outside);
        String[] parts = caseText.replace("ALLOWED", allowed.toString()).split("\\|");
        assertRejected(handler.decide("RestoreSiteContent", JSON_TYPE, parts[0]), 400, "invalid_request", parts[1]);
    }

    @Test
    void decide_retentionWithOnlyPrefixAndOneKeep_acceptedWithDefaults() {
        StartDecision decision = handler.decide("ApplyRetention", JSON_TYPE, "{\"blobPrefix\":\"site\",\"keepDaily\":7}");

        assertEquals(202, decision.status(), decision.errorBody());
        assertEquals("ApplyRetention", decision.orchestrator());
        RetentionRequest request = assertInstanceOf(RetentionRequest.class, decision.input());
        assertEquals("backups", request.getContainer());
        assertEquals("site", request.getBlobPrefix());
        assertEquals(7, request.getKeepDaily());
        assertEquals(0, request.getKeepLast());
        assertFalse(request.isDryRun());
    }

    @Test
    void decide_retentionWithEveryField_takenAsGiven() {
        StartDecision decision = handler.decide("ApplyRetention", JSON_TYPE, "{\"container\":\"old-backups\","
                + "\"blobPrefix\":\"old/site\",\"keepLast\":3,\"keepDaily\":7,\"keepWeekly\":4,\"dryRun\":true}");

        assertEquals(202, decision.status(), decision.errorBody());
        RetentionRequest request = (RetentionRequest) decision.input();
        assertEquals("old-backups", request.getContainer());
        assertEquals("old/site", request.getBlobPrefix());
        assertEquals(List.of(3, 7, 4), List.of(request.getKeepLast(), request.getKeepDaily(), request.getKeepWeekly()));
        assertTrue(request.isDryRun());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"keepLast\":1}|blobPrefix is required",
            "{\"blobPrefix\":\"site\"}|keepLast, keepDaily and keepWeekly are all 0",
            "{\"blobPrefix\":\"site\",\"keepLast\":-1}|keepLast must be a whole number from 0",
            "{\"blobPrefix\":\"site\",\"keepLast\":1.5}|keepLast must be a whole number from 0",
            "{\"blobPrefix\":\"site\",\"keepDaily\":\"7\"}|keepDaily must be a whole number from 0",
            "{\"blobPrefix\":\"site\",\"keepWeekly\":99999999999}|keepWeekly must be a whole number from 0",
            "{\"blobPrefix\":\"site\",\"keepLast\":1,\"maxDeleteShare\":1}|'maxDeleteShare' is no longer a retention field: how much of a backup one retention run may delete is the operator's app setting BACKUP_RETENTION_MAX_DELETE_SHARE",
            "{\"blobPrefix\":\"site\",\"keepLast\":1,\"maxDeleteShare\":\"half\"}|'maxDeleteShare' is no longer a retention field",
            "{\"blobPrefix\":\"site\",\"keepLast\":1,\"force\":true}|'force' is no longer a retention field",
            "{\"blobPrefix\":\"\",\"keepLast\":1,\"force\":true}|'force' is no longer a retention field",
            "{\"blobPrefix\":\"\",\"keepLast\":1}|blobPrefix must not be empty",
            "{\"blobPrefix\":\"site\",\"keepLast\":1,\"keep\":1}|Unknown field 'keep'",
            "{\"blobPrefix\":\"site/\",\"keepLast\":1}|single forward slashes",
            "{\"container\":\"backup-manifests\",\"blobPrefix\":\"site\",\"keepLast\":1}|is reserved",
            "\"site\"|must be a JSON object"})
    void decide_badRetentionBody_400NamingTheProblem(String caseText) throws IOException {
        String[] parts = caseText.split("\\|");
        assertRejected(handler.decide("ApplyRetention", JSON_TYPE, parts[0]), 400, "invalid_request", parts[1]);
    }

    @Test
    void decide_retentionWithoutBody_400SayingWhatTheBodyHolds() throws IOException {
        assertRejected(handler.decide("ApplyRetention", JSON_TYPE, ""), 400, "invalid_request", "blobPrefix",
                "keepLast");
    }
}
