package com.contoso.sitebackup.snapshot;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import org.junit.jupiter.api.Test;

class SnapshotInfoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SnapshotInfo INFO = new SnapshotInfo("20261126T125533.123Z", "backups", "home/site/ü",
            "/home/site/ü", "job-nightly", "2026-11-26T12:55:33.123Z", "2026-11-26T13:01:00Z", 3, 2, 1, 1_000_000L, 1);

    @Test
    void jackson_roundTrip_equal() throws Exception {
        assertEquals(INFO, JSON.readValue(JSON.writeValueAsString(INFO), SnapshotInfo.class));
    }

    @Test
    void gson_writtenByGsonReadByJackson_andBack_equal() throws Exception {
        Gson gson = new Gson();
        assertEquals(INFO, JSON.readValue(gson.toJson(INFO), SnapshotInfo.class));
        assertEquals(INFO, gson.fromJson(JSON.writeValueAsString(INFO), SnapshotInfo.class));
    }

    @Test
    void jackson_emptyOrUnknownFields_neverThrows() {
        // An activity's result that cannot be read leaves the orchestration waiting for ever.
        assertDoesNotThrow(() -> JSON.readValue("{}", SnapshotInfo.class));
        assertDoesNotThrow(() -> JSON.readValue("{\"id\":\"x\",\"unknown\":1}", SnapshotInfo.class));
    }

    @Test
    void withCounts_changesOnlyTheCounts() {
        SnapshotInfo counted = INFO.withCounts(10, 20, 30, 40, 50);
        assertEquals(new SnapshotInfo(INFO.getId(), INFO.getContainer(), INFO.getPrefix(), INFO.getRootDirectory(),
                INFO.getInstanceId(), INFO.getStarted(), INFO.getCompleted(), 10, 20, 30, 40, 50), counted);
    }
}
