package com.contoso.sitebackup.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.verify.VerifyRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request schema: the user fields a request type declares, and the binding of a body by them alone. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestSchemaTest {
    record Sample(@RequestField(help = "a dir", path = true, required = true) String someDir,
                  @RequestField(help = "a text") String text,
                  @RequestField(help = "a list") List<String> values,
                  @RequestField(help = "a switch", options = {"--on", "-o"}) boolean on,
                  @RequestField(help = "a count", label = "K") int count,
                  String stamped) {
        Sample {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    record Unsupported(@RequestField(help = "a long") long size) {
    }

    @Test
    void of_readsUserFieldsInOrder_withKindsFromTheirTypes_andDerivedOptionsAndLabels() {
        assertEquals(List.of(
                Map.of("name", "someDir", "kind", "PATH", "label", "DIR", "help", "a dir",
                        "options", List.of("--some-dir"), "required", true),
                Map.of("name", "text", "kind", "TEXT", "label", "TEXT", "help", "a text",
                        "options", List.of("--text"), "required", false),
                Map.of("name", "values", "kind", "LIST", "label", "VALUE", "help", "a list",
                        "options", List.of("--values"), "required", false),
                Map.of("name", "on", "kind", "SWITCH", "label", "", "help", "a switch",
                        "options", List.of("--on", "-o"), "required", false),
                Map.of("name", "count", "kind", "COUNT", "label", "K", "help", "a count",
                        "options", List.of("--count"), "required", false)),
                RequestSchema.describe(Sample.class));
        assertThrows(IllegalArgumentException.class, () -> RequestSchema.of(Unsupported.class));
    }

    @Test
    void theAppsRequests_declareTheFieldsTheStarterHasAlwaysTaken() {
        assertEquals(List.of("rootDirectory", "container", "blobPrefix", "include", "exclude", "dryRun",
                "compareContent"), RequestSchema.names(BackupRequest.class));
        assertEquals(List.of("rootDirectory", "container", "blobPrefix", "include", "exclude", "compareContent",
                "snapshot", "asOf", "readData"), RequestSchema.names(VerifyRequest.class));
        assertEquals(List.of("container", "blobPrefix", "targetDirectory", "overwrite", "snapshot", "asOf"),
                RequestSchema.names(RestoreRequest.class));
        assertEquals(List.of("container", "blobPrefix", "keepLast", "keepDaily", "keepWeekly", "dryRun"),
                RequestSchema.names(RetentionRequest.class));
    }

    @Test
    void bind_leavesOutNullsAndAbsentFields_asDefaults() throws Exception {
        Sample sample = bind("{\"someDir\": \"/d\", \"text\": null, \"values\": [\"a\"], \"on\": true, \"count\": 3}");
        assertEquals(new Sample("/d", null, List.of("a"), true, 3, null), sample);
        assertEquals(new Sample("/d", null, List.of(), false, 0, null), bind("{\"someDir\": \"/d\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}|someDir is required",
            "{\"someDir\": null}|someDir is required",
            "{\"someDir\": \"/d\", \"stamped\": \"x\"}|Unknown field 'stamped'; known fields: [count, on, someDir, text, values]",
            "{\"someDir\": 1}|someDir must be a string",
            "{\"someDir\": \"/d\", \"on\": \"true\"}|on must be true or false",
            "{\"someDir\": \"/d\", \"count\": -1}|count must be a whole number from 0, not -1",
            "{\"someDir\": \"/d\", \"count\": 1.5}|count must be a whole number from 0, not 1.5",
            "{\"someDir\": \"/d\", \"count\": 3000000000}|count must be a whole number from 0, not 3000000000",
            "{\"someDir\": \"/d\", \"values\": \"a\"}|values must be an array of strings",
            "{\"someDir\": \"/d\", \"values\": [\"a\", null]}|values must be an array of strings",
            "[]|The request body must be a JSON object"})
    void bind_refusesNamingTheField(String row) {
        String[] parts = row.split("\\|");
        assertEquals(parts[1], assertThrows(IllegalArgumentException.class, () -> bind(parts[0])).getMessage());
    }

    private static Sample bind(String json) throws Exception {
        return RequestSchema.bind(Sample.class, RequestSchema.of(Sample.class), Wire.JSON.readTree(json));
    }

    record Sharing(@RequestField(like = SharedRequestFields.class, required = true) String blobPrefix,
                   @RequestField(like = SharedRequestFields.class) List<String> include) {
    }

    record SharingWhatIsNotShared(@RequestField(like = SharedRequestFields.class) boolean newSwitch) {
    }

    record WithoutHelp(@RequestField boolean quiet) {
    }

    @Test
    void like_takesTheSharedDescription_keepsItsOwnRequired() {
        List<RequestSchema.Field> shared = RequestSchema.of(SharedRequestFields.class);
        RequestSchema.Field prefix = RequestSchema.of(Sharing.class).get(0);
        RequestSchema.Field sharedPrefix = shared.stream().filter(f -> f.name().equals("blobPrefix")).findFirst()
                .orElseThrow();
        assertEquals(List.of(sharedPrefix.help(), sharedPrefix.label(), sharedPrefix.options(), true),
                List.of(prefix.help(), prefix.label(), prefix.options(), prefix.required()));
        assertEquals(RequestSchema.Kind.LIST, RequestSchema.of(Sharing.class).get(1).kind());
        // Every request's shared field reads exactly as the shared description: one text per field.
        for (Class<?> request : List.of(BackupRequest.class, RestoreRequest.class, VerifyRequest.class,
                RetentionRequest.class)) {
            for (RequestSchema.Field field : RequestSchema.of(request)) {
                shared.stream().filter(f -> f.name().equals(field.name())).findFirst().ifPresent(s ->
                        assertEquals(s.help(), field.help(), request.getSimpleName() + "." + field.name()));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> RequestSchema.of(SharingWhatIsNotShared.class));
        assertThrows(IllegalArgumentException.class, () -> RequestSchema.of(WithoutHelp.class));
    }
}
