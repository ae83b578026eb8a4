package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.JobPlan;

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
    private final JobPlan toCheck;

    @JsonCreator
    public VerifyPlan(@JsonProperty("report") VerifyReport report, @JsonProperty("toCheck") JobPlan toCheck) {
        this.report = report;
        this.toCheck = toCheck;
    }

    public VerifyReport getReport() {
        return report;
    }

    /** Files to compare by content; empty unless the request asked for a content check. */
    public JobPlan getToCheck() {
        return toCheck;
    }
}
