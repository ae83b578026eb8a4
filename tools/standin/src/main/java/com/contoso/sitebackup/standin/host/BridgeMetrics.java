package com.contoso.sitebackup.standin.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What the bridge ran, one JSON line per work item appended to a file (an episode with the size of the history
 * it replayed and the durable timers that fired into it, an activity and whether it failed), so the figures of a run survive the bridge being killed and
 * started again. Without a file nothing is recorded.
 */
public final class BridgeMetrics {
    private final Writer file;

    BridgeMetrics(Path file) {
        try {
            this.file = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics file " + file, e);
        }
    }

    void episode(String instanceId, String orchestrator, int events, int bytes, int timersFired, long millis,
                 String outcome) {
        line("{\"kind\":\"episode\",\"at\":" + System.currentTimeMillis() + ",\"instance\":" + quote(instanceId)
                + ",\"name\":" + quote(orchestrator) + ",\"events\":" + events + ",\"bytes\":" + bytes
                + ",\"timersFired\":" + timersFired + ",\"ms\":" + millis + ",\"outcome\":" + quote(outcome) + "}");
    }

    void activity(String instanceId, String name, int taskId, long millis, boolean failed) {
        line("{\"kind\":\"activity\",\"at\":" + System.currentTimeMillis() + ",\"instance\":" + quote(instanceId)
                + ",\"name\":" + quote(name) + ",\"task\":" + taskId + ",\"ms\":" + millis
                + ",\"failed\":" + failed + "}");
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
