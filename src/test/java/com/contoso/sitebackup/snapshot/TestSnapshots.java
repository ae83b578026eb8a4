package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;

import java.util.ArrayList;
import java.util.List;

/** Snapshot summaries and manifests for tests. */
final class TestSnapshots {
    private TestSnapshots() {
    }

    /** The summary of snapshot {@code id} of {@code container}/{@code prefix}, counts zero. */
    static SnapshotInfo info(String id, String container, String prefix) {
        return new SnapshotInfo(id, container, prefix, "/home/site/" + prefix, "job-nightly",
                SnapshotIds.instantOf(id).toString(), SnapshotIds.instantOf(id).plusSeconds(60).toString(),
                0, 0, 0, 0, 0);
    }

    /** A tree's entries as a walk names them: a folder, files (one missing), a link, unusual names; in order. */
    static List<FileEntry> entries() {
        List<FileEntry> entries = new ArrayList<>();
        entries.add(new FileEntry("a", 0, 1_000).withAttributes(EntryType.DIRECTORY, 1_000_000_123L, 0755, 0L, 0L, null));
        entries.add(new FileEntry("a.txt", 12, 1_000).withVersion("2026-11-26T12:55:33.1234567Z", "bWQ1"));
        entries.add(new FileEntry("a/b.txt", 3, 2_000).withAttributes(null, 2_000_000_000L, 0644, 1000L, 1000L, null)
                .withVersion("2026-11-26T12:55:34.0000000Z", "bWQ2"));
        entries.add(new FileEntry("a/gone.txt", 9, 3_000).withMissing("changed while read"));
        entries.add(new FileEntry("a/link", 5, 2_000).withAttributes(EntryType.SYMLINK, null, 0777, null, null, "b.txt")
                .withVersion("2026-11-26T12:55:35.0000000Z", "bWQ3"));
        entries.add(new FileEntry("ü/é %2F\"x\".txt", 4, 4_000).withVersion("2026-11-26T12:55:36.0000000Z", "bWQ0"));
        return entries;
    }
}
