package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.fs.FileProblem;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetentionResultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("2026%04dT000000.000Z", 101 + i)).toList();
    }

    @Test
    void jackson_emptyOrNullFields_neverThrows() {
        // An activity's result that cannot be read leaves the orchestration waiting for ever.
        assertDoesNotThrow(() -> JSON.readValue("{}", RetentionResult.class));
        assertDoesNotThrow(() -> JSON.readValue("{\"kept\":null,\"deleted\":null,\"phase\":null,\"x\":1}",
                RetentionResult.class));
    }

    @Test
    void gsonWritten_readByJackson_sameValues() throws Exception {
        RetentionResult result = new RetentionResult(RetentionResult.Phase.REFUSED, "backups", "p", ids(2), 2, ids(1), 1,
                3, 300, 1, 100, 0, 1000, 0.4, 0.3, List.of(new FileProblem("p/a", "blob of run x, 100 bytes")),
                "reports/r.jsonl", "Refused");
        RetentionResult read = JSON.readValue(new Gson().toJson(result), RetentionResult.class);
        assertEquals(result.summary(), read.summary());
        assertEquals(result.getDeleted(), read.getDeleted());
        assertEquals(result.getKept(), read.getKept());
        assertEquals(result.getReport(), read.getReport());
    }

    @Test
    void forStatus_manyIds_theNewestHundredOfEachAndTheCounts() throws Exception {
        RetentionResult result = new RetentionResult(RetentionResult.Phase.COMPLETED, "backups", "p", ids(150), 150,
                ids(300), 300, 0, 0, 0, 0, 0, 0, 0, 0.5, null, null, null);

        RetentionResult status = result.forStatus();

        assertEquals(ids(150).subList(50, 150), status.getKept());
        assertEquals(ids(300).subList(200, 300), status.getExpired());
        assertEquals(300, status.getExpiredCount());
        assertTrue(JSON.writeValueAsString(status).length() < 16_000 / 2, "well within a custom status");
    }

    @Test
    void failed_noRequest_phaseAndMessage() {
        RetentionResult failed = RetentionResult.failed(null, "the input must be a retention request", "reports/r.jsonl");
        assertEquals(RetentionResult.Phase.FAILED, failed.getPhase());
        assertEquals("Retention failed: the input must be a retention request", failed.getMessage());
    }
}
