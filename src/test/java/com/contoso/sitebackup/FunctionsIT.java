package com.contoso.sitebackup;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.testing.EndToEndTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks what azure-functions-maven-plugin's package goal generated (failsafe, after `package`): a folder for
 * each function {@link Functions} lists, the bindings the Functions host and the Durable extension will read,
 * and host.json.
 */
@EndToEndTest
class FunctionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path appDir;

    @BeforeAll
    static void locateApp() {
        String dir = System.getProperty("functionAppDir");
        assertNotNull(dir, "system property functionAppDir is not set (run through `mvn verify`)");
        appDir = Path.of(dir);
        assertTrue(Files.isDirectory(appDir), "no packaged app at " + appDir + ": did the package goal run?");
    }

    private static JsonNode functionJson(String function) throws IOException {
        Path file = appDir.resolve(function).resolve("function.json");
        assertTrue(Files.isRegularFile(file), "missing " + file);
        JsonNode json = JSON.readTree(file.toFile());
        assertEquals(FunctionsTest.byName().get(function).getName() + ".run", json.get("entryPoint").asText());
        Path jar = appDir.resolve(function).resolve(json.get("scriptFile").asText()).normalize();
        assertTrue(Files.isRegularFile(jar), "scriptFile " + jar + " does not exist");
        return json;
    }

    private static List<JsonNode> bindings(JsonNode functionJson) {
        List<JsonNode> bindings = new ArrayList<>();
        functionJson.get("bindings").forEach(bindings::add);
        return bindings;
    }

    private static JsonNode binding(JsonNode functionJson, String type) {
        return bindings(functionJson).stream().filter(b -> type.equals(b.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " binding in " + functionJson));
    }

    @Test
    void appDir_oneFolderPerFunction_exactlyTheAppsFunctions() throws IOException {
        Set<String> folders = new TreeSet<>();
        try (Stream<Path> children = Files.list(appDir)) {
            children.filter(p -> Files.isRegularFile(p.resolve("function.json")))
                    .forEach(p -> folders.add(p.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(FunctionsTest.byName().keySet()), folders,
                "one packaged folder for each function in Functions, and none other");
    }

    @Test
    void httpStart_bindings_postTriggerOnOrchestratorsRouteWithDurableClientAndHttpReturn() throws IOException {
        JsonNode json = functionJson("HttpStart");
        assertEquals(3, bindings(json).size(), json.toString());

        JsonNode trigger = binding(json, "httpTrigger");
        assertEquals("in", trigger.get("direction").asText());
        assertEquals("orchestrators/{functionName}", trigger.get("route").asText());
        assertEquals(List.of("POST"), JSON.convertValue(trigger.get("methods"), List.class));
        assertEquals("FUNCTION", trigger.get("authLevel").asText().toUpperCase(java.util.Locale.ROOT));

        JsonNode client = binding(json, "durableClient");
        assertEquals("in", client.get("direction").asText());
        assertEquals("durableContext", client.get("name").asText());

        JsonNode http = binding(json, "http");
        assertEquals("out", http.get("direction").asText());
        assertEquals("$return", http.get("name").asText());
    }

    @Test
    void scheduledBackups_bindings_timerOnTheScheduleSettingWithDurableClient() throws IOException {
        JsonNode json = functionJson("ScheduledBackups");
        assertEquals(2, bindings(json).size(), json.toString());
        JsonNode timer = binding(json, "timerTrigger");
        assertEquals("in", timer.get("direction").asText());
        assertEquals("%" + Settings.BACKUP_SCHEDULE + "%", timer.get("schedule").asText());
        assertEquals("in", binding(json, "durableClient").get("direction").asText());
    }

    @Test
    void runJob_bindings_orchestrationTriggerNamedCtx() throws IOException {
        JsonNode json = functionJson("RunJob");
        assertEquals(1, bindings(json).size(), json.toString());
        assertEquals("ctx", binding(json, "orchestrationTrigger").get("name").asText());
    }

    @Test
    void backupSiteContent_bindings_orchestrationTriggerNamedCtx() throws IOException {
        JsonNode json = functionJson("BackupSiteContent");
        assertEquals(1, bindings(json).size(), json.toString());
        JsonNode trigger = binding(json, "orchestrationTrigger");
        assertEquals("in", trigger.get("direction").asText());
        assertEquals("ctx", trigger.get("name").asText());
    }

    @Test
    void batchGroup_bindings_orchestrationTriggerNamedCtx() throws IOException {
        JsonNode json = functionJson("BatchGroup");
        assertEquals(1, bindings(json).size(), json.toString());
        assertEquals("ctx", binding(json, "orchestrationTrigger").get("name").asText());
    }

    @Test
    void recordProblems_bindings_activityTriggerNamedInput() throws IOException {
        JsonNode json = functionJson("RecordProblems");
        assertEquals(1, bindings(json).size(), json.toString());
        assertEquals("in", binding(json, "activityTrigger").get("direction").asText());
        assertEquals("input", binding(json, "activityTrigger").get("name").asText());
    }

    @Test
    void getFileList_bindings_activityTrigger() throws IOException {
        JsonNode json = functionJson("GetFileList");
        assertEquals(1, bindings(json).size(), json.toString());
        assertEquals("in", binding(json, "activityTrigger").get("direction").asText());
    }

    @Test
    void copyFileToBlob_bindings_activityTrigger() throws IOException {
        JsonNode json = functionJson("CopyFileToBlob");
        assertEquals(1, bindings(json).size(), json.toString());
        assertEquals("in", binding(json, "activityTrigger").get("direction").asText());
    }

    @Test
    void hostJson_packaged_emptyRoutePrefixAndExtensionBundle() throws IOException {
        JsonNode host = JSON.readTree(appDir.resolve("host.json").toFile());
        assertEquals("2.0", host.get("version").asText());
        JsonNode routePrefix = host.path("extensions").path("http").get("routePrefix");
        assertNotNull(routePrefix, "extensions.http.routePrefix missing: " + host);
        assertEquals("", routePrefix.asText());
        assertEquals("Microsoft.Azure.Functions.ExtensionBundle", host.path("extensionBundle").path("id").asText());
        assertEquals("[4.*, 5.0.0)", host.path("extensionBundle").path("version").asText());
    }

    @Test
    void lib_packaged_durableTaskAndBlobJarsPresent() throws IOException {
        Set<String> jars = new TreeSet<>();
        try (Stream<Path> lib = Files.list(appDir.resolve("lib"))) {
            lib.forEach(p -> jars.add(p.getFileName().toString()));
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("durabletask-azure-functions-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("durabletask-client-1.5.0")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("azure-storage-blob-")), jars.toString());
    }
}
