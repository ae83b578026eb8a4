package com.contoso.sitebackup.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFESTS = "backup-manifests";

    private static RetentionRequest request(String container, String prefix, int last, int daily, int weekly, Double share) {
        return new RetentionRequest(container, prefix, last, daily, weekly, share, false, false, null);
    }

    private static String message(RetentionRequest request) {
        return assertThrows(IllegalArgumentException.class, () -> request.validate(MANIFESTS)).getMessage();
    }

    @Test
    void constructor_noShare_theDefault() {
        assertEquals(0.5, request("backups", "p", 1, 0, 0, null).getMaxDeleteShare());
    }

    @Test
    void validate_goodRequest_returnsItself() {
        RetentionRequest request = request("backups", "", 0, 7, 0, 1.0).withReport("reports/retention-1-5.jsonl");
        assertEquals(request, request.validate(MANIFESTS));
    }

    @Test
    void validate_badFields_messagesNameTheField() {
        assertTrue(message(request("Bad", "p", 1, 0, 0, null)).startsWith("container 'Bad'"));
        assertTrue(message(request(MANIFESTS, "p", 1, 0, 0, null)).contains("reserved"));
        assertTrue(message(request("backups", null, 1, 0, 0, null)).startsWith("blobPrefix is required"));
        assertTrue(message(request("backups", "p/", 1, 0, 0, null)).startsWith("blobPrefix 'p/'"));
        assertTrue(message(request("backups", "p", 0, 0, 0, null)).contains("keepLast, keepDaily and keepWeekly"));
        assertTrue(message(request("backups", "p", 1, 0, -2, null)).startsWith("keepWeekly"));
        assertTrue(message(request("backups", "p", 1, 0, 0, 1.01)).startsWith("maxDeleteShare"));
        assertTrue(message(request("backups", "p", 1, 0, 0, Double.NaN)).startsWith("maxDeleteShare"));
        assertTrue(message(request("backups", "p", 1, 0, 0, null).withReport("../x")).contains("report '../x'"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1})
    void validate_shareNotAboveZero_throwsNamingIt(double share) {
        assertTrue(message(request("backups", "p", 1, 0, 0, share)).startsWith("maxDeleteShare"));
    }

    @Test
    void jacksonAndGson_roundTrip_sameFields() throws Exception {
        RetentionRequest request = new RetentionRequest("backups", "home/ü", 3, 7, 4, 0.25, true, true,
                "reports/r-1.jsonl");
        RetentionRequest viaJackson = JSON.readValue(JSON.writeValueAsString(request), RetentionRequest.class);
        RetentionRequest viaGson = new Gson().fromJson(JSON.writeValueAsString(request), RetentionRequest.class);
        for (RetentionRequest read : new RetentionRequest[] {viaJackson, viaGson}) {
            assertEquals(request.toString(), read.toString());
            assertEquals(request.getReport(), read.getReport());
        }
    }
}
