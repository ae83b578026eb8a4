package com.contoso.sitebackup.durable;

import java.util.List;

/**
 * The input of {@link RecordProblems}: files of {@code manifest} that failed as a whole, each to be written to the
 * run's report with {@code reason}: every file of {@code parts}, or, with no parts, the one entry {@code path}
 * (such as every folder of a restore). The report is the one the manifest's job card names, never one the input
 * names.
 */
public record ProblemRecord(int codeVersion, String manifest, List<BatchWork.Part> parts, String path, String reason) {
    public ProblemRecord {
        BatchWork.checkManifest(manifest);
        parts = parts == null ? List.of() : List.copyOf(parts);
        if (parts.size() > BatchWork.MAX_FILES) {
            throw new IllegalArgumentException("parts: at most " + BatchWork.MAX_FILES + ", not " + parts.size());
        }
        if (parts.isEmpty() && (path == null || path.isEmpty())) {
            throw new IllegalArgumentException("a problem record names parts or a path");
        }
        if (reason == null || reason.isEmpty()) {
            throw new IllegalArgumentException("reason is required");
        }
    }
}
