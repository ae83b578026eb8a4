package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.durable.BatchWork;

/**
 * The input of {@link SealSnapshot}: the run's manifest (whose job card names its folder, container, prefix, run and
 * report), the orchestration that ran it and when its copies ended (ISO-8601).
 */
public record SealRequest(int codeVersion, String manifest, String instanceId, String completed) {
    public SealRequest {
        BatchWork.checkManifest(manifest);
        if (instanceId == null || instanceId.isEmpty() || instanceId.length() > BackupRequest.MAX_INSTANCE_ID) {
            throw new IllegalArgumentException("instanceId is required (at most " + BackupRequest.MAX_INSTANCE_ID
                    + " characters)");
        }
        if (completed == null || completed.length() > 40) {
            throw new IllegalArgumentException("completed must be an instant, not " + completed);
        }
    }
}
