package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;

import java.util.List;

/**
 * Manifests for tests in other packages: one slice written as given, whatever its size, as a forged or stale
 * manifest would be (a plan writes one only past a slice, {@link ManifestWriter}).
 */
public final class TestManifests {
    private TestManifests() {
    }

    /** Writes {@code files} as slice 0 of a new manifest in {@code store} and returns its id. */
    public static String writeOneSlice(ManifestStore store, List<FileEntry> files) {
        String id = store.newManifest();
        store.writeSlice(id, 0, files);
        return id;
    }
}
