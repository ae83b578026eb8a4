package com.contoso.sitebackup.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bridge ran: episodes, activities, failures and the largest history an episode replayed. Counted in
 * memory, and, when a file is given, one JSON line per work item appended to it, so the figures of a run
 * survive the bridge being killed and started again.
 */
public final class BridgeMetrics {
    private final AtomicLong episodes = new AtomicLong();
    private final AtomicLong activities = new AtomicLong();
    private final AtomicLong activityFailures = new AtomicLong();
    private final AtomicLong largestHistoryEvents = new AtomicLong();
    private final AtomicLong largestHistoryBytes = new AtomicLong();
    private final Writer file;

    BridgeMetrics(Path file) {
        try {
            this.file = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics file " + file, e);
        }
    }

    void episode(String instanceId, String orchestrator, int events, int bytes, long millis, String outcome) {
        episodes.incrementAndGet();
        largestHistoryEvents.accumulateAndGet(events, Math::max);
        largestHistoryBytes.accumulateAndGet(bytes, Math::max);
        line("{\"kind\":\"episode\",\"at\":" + System.currentTimeMillis() + ",\"instance\":" + quote(instanceId) + ",\"name\":" + quote(orchestrator)
                + ",\"events\":" + events + ",\"bytes\":" + bytes + ",\"ms\":" + millis + ",\"outcome\":"
                + quote(outcome) + "}");
    }

    void activity(String instanceId, String name, int taskId, long millis, boolean failed) {
        activities.incrementAndGet();
        if (failed) {
            activityFailures.incrementAndGet();
        }
        line("{\"kind\":\"activity\",\"at\":" + System.currentTimeMillis() + ",\"instance\":" + quote(instanceId) + ",\"name\":" + quote(name) + ",\"task\":"
                + taskId + ",\"ms\":" + millis + ",\"failed\":" + failed + "}");
    }

    public long episodes() {
        return episodes.get();
    }

    public long activities() {
        return activities.get();
    }

    public long activityFailures() {
        return activityFailures.get();
    }

    public long largestHistoryEvents() {
        return largestHistoryEvents.get();
    }

    public long largestHistoryBytes() {
        return largestHistoryBytes.get();
    }

    /** The counters as one JSON object. */
    public String toJson() {
        return "{\"episodes\":" + episodes() + ",\"activities\":" + activities() + ",\"activityFailures\":"
                + activityFailures() + ",\"largestHistoryEvents\":" + largestHistoryEvents()
                + ",\"largestHistoryBytes\":" + largestHistoryBytes() + "}";
    }

    /** Reads a metrics file back: its lines, one JSON object each (a line cut by a kill is left out). */
    public static List<String> lines(Path file) {
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("{") && line.endsWith("}")) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void line(String json) {
        if (file == null) {
            return;
        }
        synchronized (file) {
            try {
                file.write(json);
                file.write('\n');
                file.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    void close() {
        if (file != null) {
            synchronized (file) {
                try {
                    file.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
