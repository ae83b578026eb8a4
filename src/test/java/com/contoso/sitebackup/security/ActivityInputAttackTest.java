package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.Functions;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, "every value an activity receives is checked where it is used, whatever bound it": every activity of the
 * app ({@link Functions#ACTIVITIES}) fed hostile inputs the way the Java worker hands them over (the SDK's JSON text,
 * possibly JSON-encoded once more by Gson): wrong JSON types, unknown fields (a report name smuggled in), numbers out
 * of range, ids that lead elsewhere, another code version, huge arrays. Each must be refused, by a named refusal in
 * its answer or an IllegalArgumentException (which the fan-out never retries), and touch nothing: no blob written, no
 * file created. Counts printed.
 */
@AzuriteTest
class ActivityInputAttackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JacksonDataConverter SDK = new JacksonDataConverter();
    private static final Gson WORKER = new Gson();
    private static final String MANIFEST = "\"0f8fad5b-d9cb-469f-a165-70867728950e\"";

    @TempDir
    Path tmp;

    /** Inputs no activity may take. */
    private static List<String> hostile(Path root) throws IOException {
        String site = JSON.writeValueAsString(root.toString());
        int version = CodeVersion.CURRENT;
        return List.of(
                "[1,2]", "\"just text\"", "42", "null", "{}", "not json {",
                "{\"codeVersion\":\"" + version + "\"}",
                "{\"codeVersion\":" + (version - 1) + ",\"manifest\":" + MANIFEST
                        + ",\"parts\":[{\"batch\":0}],\"attempt\":1,\"last\":false}",
                "{\"codeVersion\":" + version + ",\"manifest\":\"../../reports/x\",\"parts\":[{\"batch\":0}],"
                        + "\"attempt\":1,\"last\":false}",
                "{\"codeVersion\":" + version + ",\"manifest\":" + MANIFEST + ",\"parts\":[{\"batch\":-5}],"
                        + "\"attempt\":1,\"last\":false}",
                "{\"codeVersion\":" + version + ",\"manifest\":" + MANIFEST + ",\"parts\":[{\"batch\":0,"
                        + "\"positions\":[0,1,2,3,99999]}],\"attempt\":1,\"last\":false}",
                "{\"codeVersion\":" + version + ",\"manifest\":" + MANIFEST + ",\"parts\":[{\"batch\":0}],"
                        + "\"attempt\":1,\"last\":false,\"report\":\"reports/another-run-1.jsonl\"}",
                "{\"codeVersion\":" + version + ",\"manifest\":" + MANIFEST + ",\"parts\":[" + "{\"batch\":0},"
                        .repeat(5_000) + "{\"batch\":0}],\"attempt\":1,\"last\":false}",
                "{\"codeVersion\":" + version + ",\"rootDirectory\":\"/etc\",\"container\":\"stolen\",\"blobPrefix\":"
                        + "\"x\",\"report\":\"reports/another-run-1.jsonl\",\"run\":\"20261206T000000.000Z\"}",
                "{\"codeVersion\":" + version + ",\"rootDirectory\":" + site + ",\"container\":\"backup-manifests\","
                        + "\"blobPrefix\":\"x\"}",
                "{\"codeVersion\":" + version + ",\"rootDirectory\":" + site + ",\"container\":\"c-1\",\"blobPrefix\":"
                        + "\"../x\",\"targetDirectory\":\"/etc/cron.d\"}",
                "{\"codeVersion\":" + version + ",\"container\":\"c-1\",\"blobPrefix\":\"x\",\"targetDirectory\":"
                        + "\"/etc/cron.d\",\"overwrite\":true}",
                "{\"codeVersion\":" + version + ",\"container\":\"c-1\",\"blobPrefix\":\"x\",\"keepLast\":-1}",
                "{\"codeVersion\":" + version + ",\"rootDirectory\":" + site + ",\"container\":\"c-1\",\"blobPrefix\":"
                        + "\"x\",\"report\":\"reports/r-1.jsonl\",\"run\":\"20261206T000000.000Z\",\"instanceId\":\""
                        + "i".repeat(5_000) + "\"}",
                "{\"codeVersion\":" + version + ",\"manifest\":" + MANIFEST + ",\"instanceId\":\"" + "i".repeat(5_000)
                        + "\",\"completed\":\"2026-12-06T00:00:00Z\"}");
    }

    @Test
    void everyActivity_hostileInputsAsTheWorkerHandsThem_refusedAndNothingTouched() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        BlobServiceClient blobs = Azurite.shared().client();
        AppServices services = BackupApp.services(blobs, root, 500);
        List<String> inputs = hostile(root);
        int tries = 0;
        int refused = 0;
        List<String> accepted = new ArrayList<>();
        for (Class<?> type : Functions.ACTIVITIES) {
            Object activity = type.getConstructor(AppServices.class).newInstance(services);
            Method run = type.getMethod("run", String.class);
            for (String input : inputs) {
                // As the SDK writes an input and as Gson may hand a string over once more.
                for (String handed : List.of(input, WORKER.toJson(input))) {
                    tries++;
                    String answer;
                    try {
                        answer = (String) run.invoke(activity, handed);
                    } catch (InvocationTargetException e) {
                        // The worker reports the root cause: only a refusal at the root is known not to be retried.
                        if (e.getCause() instanceof IllegalArgumentException && rootCause(e) == e.getCause()) {
                            refused++;
                            continue;
                        }
                        throw new AssertionError(type.getSimpleName() + " threw " + e.getCause() + " on " + input,
                                e.getCause());
                    }
                    if (refusal(answer)) {
                        refused++;
                    } else {
                        accepted.add(type.getSimpleName() + ": " + input.substring(0, Math.min(120, input.length()))
                                + " -> " + answer.substring(0, Math.min(200, answer.length())));
                    }
                }
            }
        }
        System.out.printf("[attack] %d activities x %d hostile inputs (as sent and JSON-encoded once more): %d tries,"
                + " %d refused, %d accepted%n", Functions.ACTIVITIES.size(), inputs.size(), tries, refused,
                accepted.size());
        assertEquals(List.of(), accepted);
        assertEquals(tries, refused);
        assertTrue(blobs.listBlobContainers().stream().noneMatch(c -> c.getName().equals("stolen")),
                "no container made for a refused input");
        try (Stream<Path> made = Files.list(root)) {
            assertEquals(List.of(), made.toList(), "nothing written under the root");
        }
    }

    private static Throwable rootCause(InvocationTargetException e) {
        Throwable root = e.getCause();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * A refusal in an activity's answer: a rejected plan, a failed outcome that says no later round would help, a
     * refused report or result.
     */
    private static boolean refusal(String answer) throws IOException {
        JsonNode node = JSON.readTree(answer);
        if (node.isTextual()) {
            node = JSON.readTree(node.asText());
        }
        if (node.has("report") && node.get("report").isObject()) {
            node = node.get("report"); // a verify plan: its report says why
        }
        if (node.path("retriable").asBoolean(false)) {
            return false; // a refusal retried four more times is not a refusal
        }
        return (node.hasNonNull("error") && !node.get("error").asText().isEmpty())
                || (node.has("phase") && node.get("phase").asText().equals("FAILED"));
    }
}
