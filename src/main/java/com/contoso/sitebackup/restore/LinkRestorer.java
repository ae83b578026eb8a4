package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.fs.EntryAttributes;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Restores a backup snapshot's symbolic link as a link: created with the target the snapshot recorded, stored as it
 * is (relative or absolute, never resolved, never checked against the target directory: the app follows no link),
 * in the pinned folder and through its handle, then given its recorded mtime and, as root, owner and group (every
 * recorded value checked first, {@link FileEntry#check}: one out of range refuses the link, named). What the
 * name holds is never written through. An existing entry is refused unless {@code overwrite}, and then replaced in
 * one step (a folder never is); an existing link with the same target counts as restored, so a retry is harmless.
 */
final class LinkRestorer {
    private LinkRestorer() {
    }

    /** Restores the link {@code entry} as {@code name} in {@code folder}; the bytes counted are its target's. */
    static FileOutcome restore(SecureDirectory folder, Path name, FileEntry entry, boolean overwrite)
            throws IOException {
        String path = entry.getPath();
        Path target;
        try {
            // Checked here, where the values are used: the worker's Gson binding ran no constructor.
            entry.check();
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(path, "refused: " + e.getMessage());
        }
        try {
            target = PathCodec.decodeLinkTarget(entry.getTarget());
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(path, "refused: the link's target: " + e.getMessage());
        }
        EntryAttributes existing = attributesOrNull(folder, name);
        if (existing == null) {
            try {
                folder.createSymbolicLink(name, target);
                return finish(folder, name, entry);
            } catch (FileAlreadyExistsException e) {
                // Made a moment ago, by another delivery of this restore or by someone else: looked at below.
                existing = folder.entryAttributes(name);
            }
        }
        if (existing.isSymbolicLink() && folder.readSymbolicLink(name).equals(target)) {
            return finish(folder, name, entry);
        }
        if (existing.isDirectory()) {
            return FileOutcome.notDone(path, "a folder of that name exists; not replaced");
        }
        if (!overwrite) {
            return FileOutcome.notDone(path, BlobRestorer.NOT_OVERWRITTEN);
        }
        folder.replaceWithSymbolicLink(name, target);
        return finish(folder, name, entry);
    }

    private static FileOutcome finish(SecureDirectory folder, Path name, FileEntry entry) throws IOException {
        folder.setAttributes(name, entry);
        return FileOutcome.done(entry.getPath(), entry.getSize());
    }

    private static EntryAttributes attributesOrNull(SecureDirectory folder, Path name) throws IOException {
        try {
            return folder.entryAttributes(name);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
