package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.SliceRequest;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a snapshot's restore sends to its activities, through the SDK (Jackson) and the worker (Gson). */
class RestoreFileRequestTest {
    private static final JacksonDataConverter SDK = new JacksonDataConverter();
    private static final Gson WORKER = new Gson();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SliceRequest JOB = SliceRequest.of(null, "/restore", "backups", "site", true, null);
    private static final FileEntry FILE = new FileEntry("d/a.txt", 5, 1_600_000_000_123L)
            .withAttributes(EntryType.FILE, 1_600_000_000_123_456_789L, 0640, 1000L, 1001L, null)
            .withVersion("2026-11-26T10:00:00.1234567Z", "q83vEjRWeJq83vEjRWeJqw==");
    private static final FileEntry LINK = new FileEntry("d/l", 6, 1L)
            .withAttributes(EntryType.SYMLINK, 1_000_000L, 0777, 0L, 0L, "..%2E/x");

    /** The SDK writes, the worker binds and writes back, the SDK reads: the same JSON all the way. */
    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        String sdkJson = SDK.serialize(value);
        T workerSide = WORKER.fromJson(sdkJson, type);
        T back = SDK.deserialize(WORKER.toJson(workerSide), type);
        assertEquals(JSON.readTree(sdkJson), JSON.readTree(SDK.serialize(workerSide)), "worker-side copy of " + sdkJson);
        assertEquals(JSON.readTree(sdkJson), JSON.readTree(SDK.serialize(back)), "round trip of " + sdkJson);
        return back;
    }

    @Test
    void of_snapshotEntries_carriedWholeThroughTheSdkAndTheWorker() throws Exception {
        RestoreFileRequest file = roundTrip(RestoreFileRequest.of(JOB, FILE), RestoreFileRequest.class);
        RestoreFileRequest link = roundTrip(RestoreFileRequest.of(JOB, LINK), RestoreFileRequest.class);

        assertEquals(FILE, file.getEntry());
        assertEquals(LINK, link.getEntry());
        assertEquals(List.of("site/d/a.txt", "d/a.txt", "/restore"),
                List.of(file.getBlobName(), file.getPath(), file.getTargetDirectory()));
        assertEquals(Path.of("d/a.txt"), file.validate("manifests"));
        assertEquals(Path.of("d/l"), link.validate("manifests"));
    }

    @Test
    void of_latestContentEntry_noEntryOnTheWire() throws Exception {
        RestoreFileRequest latest = RestoreFileRequest.of(JOB, new FileEntry("a.txt", 5, 1));

        assertNull(latest.getEntry());
        assertEquals(-1, SDK.serialize(latest).indexOf("entry"));
        assertNull(roundTrip(latest, RestoreFileRequest.class).getEntry());
    }

    @Test
    void requestsWithTheSnapshotChoice_survivingTheSdkAndTheWorker() throws Exception {
        RestoreRequest request = new RestoreRequest("backups", "site", "/restore", true, null, "2026-11-26T10:00:00Z",
                "reports/r.jsonl").withSnapshot("20261126T100000.000Z");
        JobPlan plan = JobPlan.of("/restore", List.of(FILE, LINK), List.of()).withSnapshot("20261126T100000.000Z");

        RestoreRequest back = roundTrip(request, RestoreRequest.class);
        JobPlan planBack = roundTrip(plan, JobPlan.class);

        assertEquals(java.util.Arrays.asList("20261126T100000.000Z", null, "reports/r.jsonl"),
                java.util.Arrays.asList(back.getSnapshot(), back.getAsOf(), back.getReport()));
        assertEquals("20261126T100000.000Z", planBack.getSnapshot());
        assertEquals(List.of(FILE, LINK), planBack.getFiles());
    }

    @Test
    void validate_entryOfAnotherPathAFolderOrALinkWithoutTarget_refusedNamingIt() {
        FileEntry folder = new FileEntry("d", 0, 0).withAttributes(EntryType.DIRECTORY, null, 0755, null, null, null);
        FileEntry noTarget = new FileEntry("d/l", 0, 0).withAttributes(EntryType.SYMLINK, null, null, null, null, null);

        assertEquals("entry 'd/a.txt' is not the path 'x.txt'", assertThrows(IllegalArgumentException.class,
                () -> new RestoreFileRequest("backups", "site/x.txt", "/r", "x.txt", false, FILE).validate("m"))
                .getMessage());
        assertEquals("entry 'd' is a DIRECTORY; folders are made once the files are in place, not here",
                assertThrows(IllegalArgumentException.class, () -> RestoreFileRequest.of(JOB, folder).validate("m"))
                        .getMessage());
        assertEquals("entry 'd/l' is a link without a target", assertThrows(IllegalArgumentException.class,
                () -> RestoreFileRequest.of(JOB, noTarget).validate("m")).getMessage());
    }
}
