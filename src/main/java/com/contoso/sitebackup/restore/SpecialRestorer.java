package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.EntryAttributes;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Restores a backup snapshot's named pipe or device node: made again ({@code mknodat}) in the pinned folder,
 * through its handle, never opened, then given its recorded mode, mtime and, as root, owner and group (every recorded
 * value checked first, {@link FileEntry#check}). A pipe is made by any restore; a device only by a restore that runs
 * as root, and where the system lets it (a container without {@code CAP_MKNOD} refuses even root): otherwise it is a
 * problem that names it, never a silent gap. An existing entry of the same kind (and device number) counts as
 * restored; any other is refused unless {@code overwrite}, and then replaced in one step (a folder never is).
 */
final class SpecialRestorer {
    /** Why a device is not made by a restore that does not run as root. */
    static final String DEVICE_NEEDS_ROOT = "a device is made only by a restore that runs as root; not restored";

    private SpecialRestorer() {
    }

    /** Restores the pipe or device {@code entry} as {@code name} in {@code folder}; no bytes are counted. */
    static FileOutcome restore(SecureDirectory folder, Path name, FileEntry entry, boolean overwrite)
            throws IOException {
        String path = entry.getPath();
        try {
            entry.check();
        } catch (IllegalArgumentException e) {
            return FileOutcome.notDone(path, "refused: " + e.getMessage());
        }
        if (entry.getEntryType().isDevice() && !SecureDirectory.canSetOwner()) {
            return FileOutcome.notDone(path, DEVICE_NEEDS_ROOT);
        }
        try {
            EntryAttributes existing = attributesOrNull(folder, name);
            if (existing == null) {
                try {
                    folder.createSpecial(name, entry);
                    return finish(folder, name, entry);
                } catch (FileAlreadyExistsException e) {
                    // Made a moment ago, by another delivery of this restore or by someone else: looked at below.
                    existing = folder.entryAttributes(name);
                }
            }
            if (same(existing, entry)) {
                return finish(folder, name, entry);
            }
            if (existing.isDirectory()) {
                return FileOutcome.notDone(path, "a folder of that name exists; not replaced");
            }
            if (!overwrite) {
                return FileOutcome.notDone(path, BlobRestorer.NOT_OVERWRITTEN);
            }
            folder.replaceWithSpecial(name, entry);
            return finish(folder, name, entry);
        } catch (NoSuchFileException e) {
            throw e; // the folder went meanwhile: worth another try
        } catch (AccessDeniedException e) {
            return FileOutcome.notDone(path, "not made: " + (e.getReason() == null ? "permission denied"
                    : e.getReason()));
        } catch (FileSystemException e) {
            // Not permitted (a device without CAP_MKNOD), a read-only or full file system: another try cannot help.
            return FileOutcome.notDone(path, "not made: " + (e.getReason() == null ? e.getClass().getSimpleName()
                    : e.getReason()));
        }
    }

    /** Whether {@code existing} is already the pipe or device {@code entry} records. */
    private static boolean same(EntryAttributes existing, FileEntry entry) {
        return existing.type() == entry.getEntryType() && (!entry.getEntryType().isDevice()
                || (Objects.equals(existing.deviceMajor(), entry.getDeviceMajor())
                && Objects.equals(existing.deviceMinor(), entry.getDeviceMinor())));
    }

    private static FileOutcome finish(SecureDirectory folder, Path name, FileEntry entry) throws IOException {
        folder.setAttributes(name, entry);
        return FileOutcome.done(entry.getPath(), 0);
    }

    private static EntryAttributes attributesOrNull(SecureDirectory folder, Path name) throws IOException {
        try {
            return folder.entryAttributes(name);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
