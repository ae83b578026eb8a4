package com.contoso.sitebackup.config;

import java.util.Objects;

/**
 * One scheduled job of {@value Settings#BACKUP_JOBS}, as the setting gives it: its {@code name}, the body
 * of its backup as the HTTP starter accepts it (JSON text: a string, the directory, or an object), whether a
 * verify of the same directory and prefix runs after the backup, and the retention that prunes the backup's
 * snapshots after that (JSON text of an object, the retention body without its container and prefix), or null.
 * The bodies are checked by the starter's rules where the job is used, not here: they read the file system.
 */
public final class JobSetting {
    private final String name;
    private final String backupBody;
    private final boolean verifyAfter;
    private final String retentionBody;

    /** @param retentionBody the retention's fields as JSON text of an object, or null for no retention */
    public JobSetting(String name, String backupBody, boolean verifyAfter, String retentionBody) {
        this.name = Objects.requireNonNull(name, "name");
        this.backupBody = Objects.requireNonNull(backupBody, "backupBody");
        this.verifyAfter = verifyAfter;
        this.retentionBody = retentionBody;
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

    /**
     * The retention to apply once the backup (and its verify) has run: JSON text of an object with the fields
     * of a retention body other than {@code container} and {@code blobPrefix}, which are the backup's; null
     * for none.
     */
    public String retentionBody() {
        return retentionBody;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobSetting job && name.equals(job.name) && backupBody.equals(job.backupBody)
                && verifyAfter == job.verifyAfter && Objects.equals(retentionBody, job.retentionBody);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, backupBody, verifyAfter, retentionBody);
    }

    @Override
    public String toString() {
        return "JobSetting{name=" + name + ", backup=" + backupBody + ", verifyAfter=" + verifyAfter
                + ", retention=" + retentionBody + "}";
    }
}
