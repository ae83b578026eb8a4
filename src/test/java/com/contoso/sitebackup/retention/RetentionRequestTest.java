package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.durable.Wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RetentionRequestTest {
    private static final String MANIFESTS = "backup-manifests";

    private static RetentionRequest request(String container, String prefix, int last, int daily, int weekly) {
        return new RetentionRequest(container, prefix, last, daily, weekly, false, null);
    }

    private static String message(RetentionRequest request) {
        return assertThrows(IllegalArgumentException.class, () -> request.validate(MANIFESTS)).getMessage();
    }

    @Test
    void validate_goodRequest_returnsItself() {
        RetentionRequest request = request("backups", "site", 0, 7, 0).withReport("reports/retention-1-5.jsonl");
        assertEquals(request, request.validate(MANIFESTS));
    }

    @Test
    void validate_badFields_messagesNameTheField() {
        assertTrue(message(request("Bad", "p", 1, 0, 0)).startsWith("container 'Bad'"));
        assertTrue(message(request(MANIFESTS, "p", 1, 0, 0)).contains("reserved"));
        assertTrue(message(request("backups", null, 1, 0, 0)).startsWith("blobPrefix is required"));
        assertTrue(message(request("backups", "p/", 1, 0, 0)).startsWith("blobPrefix 'p/'"));
        assertTrue(message(request("backups", "p", 0, 0, 0)).contains("keepLast, keepDaily and keepWeekly"));
        assertTrue(message(request("backups", "p", 1, 0, -2)).startsWith("keepWeekly"));
        assertTrue(message(request("backups", "p", 1, 0, 0).withReport("../x")).contains("report '../x'"));
    }

    @Test
    void validate_emptyPrefix_refusedSayingWhy() {
        String message = message(request("backups", "", 1, 0, 0));
        assertTrue(message.startsWith("blobPrefix must not be empty: a backup at the container's root would hold every"
                + " other backup of the container"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxDeleteShare", "force"})
    void retiredField_theCallersCeilingAndForce_refusedNamingTheSetting(String field) {
        String why = RetentionRequest.retiredField(field);
        assertTrue(why.startsWith("'" + field + "' is no longer a retention field"), why);
        assertTrue(why.contains("app setting BACKUP_RETENTION_MAX_DELETE_SHARE (default 0.5)"), why);
    }

    @Test
    void retiredField_anyOtherField_null() {
        assertNull(RetentionRequest.retiredField("keepLast"));
        assertNull(RetentionRequest.retiredField("keep"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"maxDeleteShare\":1", "\"force\":true"})
    void wire_aRequestThatStillSendsTheCeilingOrForce_refused(String field) {
        // Durable's own HTTP API can start ApplyRetention with any input: the strict wire refuses the field.
        Wire.Refused refused = assertThrows(Wire.Refused.class, () -> Wire.read("{\"container\":\"backups\","
                + "\"blobPrefix\":\"site\",\"keepLast\":1,\"keepDaily\":0,\"keepWeekly\":0,\"dryRun\":false,"
                + "\"codeVersion\":2," + field + "}", RetentionRequest.class, "the input"));
        assertTrue(refused.getMessage().contains(field.substring(1, field.indexOf('"', 1))), refused.getMessage());
    }

    @Test
    void wire_roundTrip_sameFields() {
        RetentionRequest request = new RetentionRequest("backups", "home/ü", 3, 7, 4, true, "reports/r-1.jsonl")
                .withCodeVersion(5);
        RetentionRequest read = Wire.read(Wire.write(request), RetentionRequest.class, "the request");
        assertEquals(request.toString(), read.toString());
        assertEquals(request.getReport(), read.getReport());
        assertEquals(5, read.getCodeVersion());
        assertTrue(read.isDryRun());
    }
}
