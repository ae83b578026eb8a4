package com.contoso.sitebackup.durable;

import java.util.List;

/**
 * The user fields that several requests share, described once: a request's field says
 * {@code @RequestField(like = SharedRequestFields.class)} and takes its help, label, options and kind from here
 * ({@link RequestSchema}); whether it is required stays the request's own. Never bound: a description only.
 */
public record SharedRequestFields(
        @RequestField(help = "the folder (under BACKUP_READ_ROOTS); relative to your directory", path = true)
        String rootDirectory,
        @RequestField(help = "the container (default: the app's BACKUP_CONTAINER)", label = "NAME")
        String container,
        @RequestField(help = "the backup's blob prefix (default for backup and verify: the folder's path without its"
                + " leading /)", label = "PREFIX")
        String blobPrefix,
        @RequestField(help = "only paths that match (repeatable; * within a folder, ** across)", label = "GLOB")
        List<String> include,
        @RequestField(help = "leave out paths that match (repeatable)", label = "GLOB")
        List<String> exclude,
        @RequestField(help = "compare by content (MD5), not by size and modification time")
        boolean compareContent,
        @RequestField(help = "the snapshot: its id, or latest", label = "ID|latest")
        String snapshot,
        @RequestField(help = "the newest snapshot taken at or before TIME (ISO-8601, such as 2026-11-26T10:00:00Z)",
                label = "TIME")
        String asOf) {
}
