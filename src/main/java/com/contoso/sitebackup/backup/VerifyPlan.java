package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The result of {@code CompareBackup}: what the listings alone tell ({@code report}), and the files whose
 * content still has to be compared ({@code toCheck}: inline, or a manifest of slices for a large tree).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class VerifyPlan {
    private final VerifyReport report;
    private final FileListing toCheck;

    @JsonCreator
    public VerifyPlan(@JsonProperty("report") VerifyReport report, @JsonProperty("toCheck") FileListing toCheck) {
        this.report = report;
        this.toCheck = toCheck;
    }

    public VerifyReport getReport() {
        return report;
    }

    /** Files to compare by content; empty unless the request asked for a content check. */
    public FileListing getToCheck() {
        return toCheck;
    }
}
