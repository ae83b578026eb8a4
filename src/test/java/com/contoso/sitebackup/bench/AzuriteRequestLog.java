package com.contoso.sitebackup.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Storage requests counted from Azurite's debug log ({@code azurite-blob --debug <file>}, started by
 * {@code Azurite.startInMemoryLogged}). Azurite logs every request over several lines that share its request id
 * (the second field of each line); three of them name what the benchmark counts:
 * <pre>
 * ... &lt;id&gt; info: BlobStorageContextMiddleware: Account=devstoreaccount1 Container=bench Blob=p/a
 * ... &lt;id&gt; info: DispatchMiddleware: Operation=BlockBlob_Upload
 * ... &lt;id&gt; info: EndMiddleware: End response. TotalTimeInMS=93 StatusCode=201 ...
 * </pre>
 * (the first line before them, {@code RequestMethod=PUT RequestURL=...}, is the method and URL). A request is counted
 * once it has an operation; its container is empty for account-level requests. {@link #mark} and {@link #since} count
 * the requests of one step of a run (those after the mark), and {@link #kind} names an operation as the REST API
 * does (Put Blob, Put Block, ...).
 */
public final class AzuriteRequestLog {
    /** One request: Azurite's request id, container ("" for the account), operation, HTTP status (0 if not logged). */
    public record Request(String id, String container, String operation, int status) {
        /** The REST API's name of this request's operation. */
        public String kind() {
            return AzuriteRequestLog.kind(operation);
        }
    }

    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("BlockBlob_Upload", "Put Blob"),
            Map.entry("BlockBlob_StageBlock", "Put Block"),
            Map.entry("BlockBlob_CommitBlockList", "Put Block List"),
            Map.entry("BlockBlob_GetBlockList", "Get Block List"),
            Map.entry("Blob_CreateSnapshot", "Snapshot"),
            Map.entry("Blob_GetProperties", "Get Properties"),
            Map.entry("Blob_Download", "Download"),
            Map.entry("Blob_SetMetadata", "Set Metadata"),
            Map.entry("Blob_SetHTTPHeaders", "Set Properties"),
            Map.entry("Blob_Delete", "Delete Blob"),
            Map.entry("Blob_StartCopyFromURL", "Copy Blob"),
            Map.entry("Blob_CopyFromURL", "Copy Blob"),
            Map.entry("Container_ListBlobFlatSegment", "List Blobs"),
            Map.entry("Container_ListBlobHierarchySegment", "List Blobs"),
            Map.entry("Container_Create", "Create Container"),
            Map.entry("Container_GetProperties", "Get Container Properties"),
            Map.entry("Service_ListContainersSegment", "List Containers"));

    private final Path file;

    public AzuriteRequestLog(Path file) {
        this.file = file;
    }

    /** The REST API's name of Azurite's {@code operation} (its own name when this class does not know it). */
    public static String kind(String operation) {
        return KINDS.getOrDefault(operation, operation);
    }

    /** Every request logged so far, in the order of their first line. */
    public List<Request> requests() {
        Map<String, String[]> byId = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                parse(line, byId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Azurite's debug log " + file, e);
        }
        List<Request> requests = new ArrayList<>();
        byId.forEach((id, fields) -> {
            if (fields[1] != null) {
                requests.add(new Request(id, fields[0] == null ? "" : fields[0], fields[1],
                        fields[2] == null ? 0 : Integer.parseInt(fields[2])));
            }
        });
        return requests;
    }

    private static void parse(String line, Map<String, String[]> byId) {
        int context = line.indexOf(" info: BlobStorageContextMiddleware: Account=");
        int dispatch = line.indexOf(" info: DispatchMiddleware: Operation=");
        int end = line.indexOf(" info: EndMiddleware: End response.");
        int at = context >= 0 ? context : dispatch >= 0 ? dispatch : end;
        if (at < 0) {
            return;
        }
        int space = line.indexOf(' ');
        if (space < 0 || space >= at) {
            return;
        }
        String[] fields = byId.computeIfAbsent(line.substring(space + 1, at), id -> new String[3]);
        if (context >= 0) {
            int container = line.indexOf(" Container=", context);
            if (container >= 0) {
                int blob = line.indexOf(" Blob=", container);
                fields[0] = line.substring(container + " Container=".length(), blob < 0 ? line.length() : blob);
            }
        } else if (dispatch >= 0) {
            fields[1] = line.substring(dispatch + " info: DispatchMiddleware: Operation=".length()).strip();
        } else {
            int status = line.indexOf("StatusCode=", end);
            if (status >= 0) {
                int stop = status + "StatusCode=".length();
                while (stop < line.length() && Character.isDigit(line.charAt(stop))) {
                    stop++;
                }
                fields[2] = line.substring(status + "StatusCode=".length(), stop);
            }
        }
    }

    /**
     * Waits until every request logged so far has its response logged and the log stopped growing for 300 ms (Azurite
     * writes its log asynchronously), at most 30 s; then returns how many requests it holds: a mark for {@link #since}.
     */
    public int mark() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long size = -1;
        while (System.nanoTime() < deadline) {
            long now = size();
            if (now == size) {
                List<Request> all = requests();
                if (all.stream().allMatch(r -> r.status() != 0)) {
                    return all.size();
                }
            }
            size = now;
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Azurite's debug log " + file + " did not settle within 30 s");
    }

    /** The requests after {@code mark} (see {@link #mark}); waits for the log to settle first. */
    public List<Request> since(int mark) {
        mark();
        List<Request> all = requests();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** How many of {@code requests} there are of each kind, for the containers {@code containers} accepts. */
    public static Map<String, Long> byKind(List<Request> requests, java.util.function.Predicate<String> containers) {
        Map<String, Long> counts = new TreeMap<>();
        for (Request request : requests) {
            if (containers.test(request.container())) {
                counts.merge(request.kind(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * How many of {@code requests} there are of each container and kind, keyed {@code "<container> <kind>"} (the
     * container {@code "-"} for account-level requests).
     */
    public static Map<String, Long> byContainerAndKind(List<Request> requests) {
        Map<String, Long> counts = new TreeMap<>();
        for (Request request : requests) {
            counts.merge((request.container().isEmpty() ? "-" : request.container()) + " " + request.kind(), 1L,
                    Long::sum);
        }
        return counts;
    }

    private long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
