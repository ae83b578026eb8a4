package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.BatchWork;

/** The input of {@link FinishDirectories}: the restore's manifest, whose job card names the snapshot and the target. */
public record FinishRequest(int codeVersion, String manifest) {
    public FinishRequest {
        BatchWork.checkManifest(manifest);
    }
}
