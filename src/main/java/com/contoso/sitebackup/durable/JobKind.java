package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import java.util.List;

/**
 * The three jobs and the words each uses: what it is called, the phase it works in and what it does to a
 * file. The one place failure messages are made, so each job says its own words.
 */
public enum JobKind {
    BACKUP("Backup", JobProgress.Phase.COPYING, "copied"),
    RESTORE("Restore", JobProgress.Phase.RESTORING, "restored"),
    VERIFY("Verification", JobProgress.Phase.CHECKING, "checked");

    private final String noun;
    private final JobProgress.Phase workingPhase;
    private final String verb;

    JobKind(String noun, JobProgress.Phase workingPhase, String verb) {
        this.noun = noun;
        this.workingPhase = workingPhase;
        this.verb = verb;
    }

    /** The phase between listing and the end. */
    public JobProgress.Phase workingPhase() {
        return workingPhase;
    }

    /**
     * The message of a run in which {@code failureCount} of {@code planned} files still failed after every
     * retry, naming the first ones and where the full list is.
     */
    public String failureMessage(long failureCount, long planned, List<FileProblem> firstFailures, String report) {
        StringBuilder message = new StringBuilder(noun).append(" incomplete: ").append(failureCount).append(" of ")
                .append(planned).append(" files could not be ").append(verb).append(": ");
        for (int i = 0; i < firstFailures.size(); i++) {
            message.append(i == 0 ? "" : "; ").append(firstFailures.get(i));
        }
        if (failureCount > firstFailures.size()) {
            message.append("; and ").append(failureCount - firstFailures.size()).append(" more");
        }
        if (report != null) {
            message.append(" (every file in report ").append(report).append(")");
        }
        return message.toString();
    }

    /** The message of a run that could not start, for {@code reason}. */
    public String rejectedMessage(String reason) {
        return noun + " not started: " + reason;
    }
}
