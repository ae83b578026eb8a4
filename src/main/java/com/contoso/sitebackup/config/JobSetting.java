package com.contoso.sitebackup.config;

import java.util.Objects;

/**
 * One scheduled job of {@value Settings#BACKUP_JOBS}, as the setting gives it: its {@code name}, the body
 * of its backup as the HTTP starter accepts it (JSON text: a string, the directory, or an object), and
 * whether a verify of the same directory and prefix runs after the backup. The body is checked by the
 * starter's rules where the job is used, not here: they read the file system.
 */
public final class JobSetting {
    private final String name;
    private final String backupBody;
    private final boolean verifyAfter;

    public JobSetting(String name, String backupBody, boolean verifyAfter) {
        this.name = Objects.requireNonNull(name, "name");
        this.backupBody = Objects.requireNonNull(backupBody, "backupBody");
        this.verifyAfter = verifyAfter;
    }

    /** The job's name: unique in the list, the {@code job} of its completion events. */
    public String name() {
        return name;
    }

    /** The backup's request body, JSON text as a POST to the starter would carry it. */
    public String backupBody() {
        return backupBody;
    }

    /** When true, a verify of the backup runs once the backup has completed. */
    public boolean verifyAfter() {
        return verifyAfter;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobSetting job && name.equals(job.name) && backupBody.equals(job.backupBody)
                && verifyAfter == job.verifyAfter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, backupBody, verifyAfter);
    }

    @Override
    public String toString() {
        return "JobSetting{name=" + name + ", backup=" + backupBody + ", verifyAfter=" + verifyAfter + "}";
    }
}
