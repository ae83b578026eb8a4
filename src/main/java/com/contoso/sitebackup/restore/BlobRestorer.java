package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.blob.StoredBlob;
import com.contoso.sitebackup.fs.PathCodec;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.OpenedFile;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TemporaryFile;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobDownloadResponse;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Restores the entries of a snapshot to files under a target directory, a batch at a time: never outside the target,
 * never over an existing file unless asked, and never half-written.
 *
 * <p>The target is opened through the write roots once per batch (created if missing, refused unless it lies under
 * one, reached without links, and outside the app's code directory), and each folder below it is opened or created
 * once per batch, one name at a time through the folder above, never following a link ({@link SecureDirectory}). A
 * link is made as a link ({@link LinkRestorer}), a named pipe or a device made again ({@link SpecialRestorer}); a
 * hard link is left to {@link DirectoryRestorer}, once every file is in place. A file is restored in steps shared by
 * the whole batch:
 * <ol>
 *   <li>each file (in parallel on the worker's transfer pool) is downloaded into a temporary file in its pinned
 *       folder (mode 0600, named for the run, batch and position, {@link TemporaryFile#create}, which also removes the
 *       one an earlier delivery of the same file left), its MD5 checked against the one the snapshot recorded, and
 *       given the recorded extended attributes (where the file system takes them; else a warning), mode, mtime (to
 *       the nanosecond) and, when the app runs as root, owner and group;</li>
 *   <li>every temporary file of the batch is flushed to the disk, together ({@link TemporaryFile#forceAll}): on a
 *       local file system one {@code syncfs} for the whole batch, which returns only once every file's bytes and
 *       attributes are on the disk and fails if any write-back failed since the files were created; elsewhere one
 *       {@code fsync} per file, all at once;</li>
 *   <li>only then, each file whose flush succeeded is given its file's name relative to the pinned folder: an atomic
 *       rename when overwriting, otherwise a rename that fails if the name exists (see {@link TemporaryFile#moveTo});
 *       a file whose flush failed is never named (its temporary file is removed and it is tried again);</li>
 *   <li>each folder that got a new name is flushed to the disk, once.</li>
 * </ol>
 * So a crash at any moment leaves under a final name either nothing or the whole file (no name is given before the
 * step that makes every byte durable has returned), and the price of a flush is paid once per batch and folder, not
 * once per file. The bytes come from one Download per file, hashed as they come and gathered in a buffer of the
 * thread's (one {@code pwrite} for a small file); attributes are set on the file's handle.
 *
 * <p><b>One request per file.</b> The entry names its content by the run that uploaded it
 * ({@link StoredBlob#holding}): the content is downloaded from the blob itself, and the run tag in the same
 * response's headers says whether the blob still holds that run's content; only when a later run has replaced it
 * (copy on write kept the old content in a blob snapshot) does one listing of the name find the blob snapshot to
 * download instead. Manifests written before copy on write name a blob snapshot, downloaded directly.
 *
 * <p>A retry or duplicate delivery that finds the file already restored with the same content reports it restored.
 * An entry without an MD5 is restored but reported as unverified ({@link FileOutcome#doneWithWarning}); an entry whose
 * content is older than its snapshot (the run could not copy it) is restored with its note as a warning. A folder on
 * the way that is a link, a file or anything but a folder is refused for that file; any other failure of the file
 * system is thrown, so the fan-out tries the file again.
 */
public final class BlobRestorer {
    static final String NOT_OVERWRITTEN = "exists and differs; not overwritten (set overwrite)";
    static final String CORRUPTED_SNAPSHOT = "corrupted: the content does not match the MD5 the snapshot recorded";
    /** The warning of a file restored without an MD5 to check it against. */
    public static final String UNVERIFIED = "restored unverified: the snapshot records no MD5 to check the content against";
    /** How the warning of a file restored from content older than its snapshot starts; its note follows. */
    public static final String OLDER_VERSION = "restored an older version: ";
    /** What a folder on the way is when it is refused for good (as {@link SecureDirectory} describes it). */
    private static final Set<String> REFUSED_ON_THE_WAY = Set.of("symbolic link, not followed", "a file, not a folder",
            "not a regular file or folder", "the app's code directory is never written");

    private final BlobServiceClient service;
    private final SecureRoots writeRoots;
    private final String manifestContainer;

    /** The restorer of this app: its backup account, write roots and manifest container (never restored from). */
    public static BlobRestorer from(AppServices services) {
        return new BlobRestorer(services.blobService(), services.writeRoots(), services.settings().manifestContainer());
    }

    public BlobRestorer(BlobServiceClient service, SecureRoots writeRoots, String manifestContainer) {
        this.service = Objects.requireNonNull(service, "service");
        this.writeRoots = Objects.requireNonNull(writeRoots, "writeRoots");
        this.manifestContainer = Objects.requireNonNull(manifestContainer, "manifestContainer");
    }

    /**
     * Restores the one entry {@code entry} of the snapshot {@code job} restores, as a batch of its own (its temporary
     * file named at random).
     *
     * @return the bytes restored (with a warning when unverified or older than its snapshot), or a problem
     * @throws RuntimeException what the file's restore threw: to be tried again
     */
    public FileOutcome restore(RestoreJob job, FileEntry entry) {
        BatchRunner.Result result = restoreAll(job, null, List.of(new BatchRunner.Item<>(0, 0, entry)),
                Runnable::run).get(0);
        if (result.thrown() instanceof RuntimeException e) {
            throw e;
        }
        if (result.thrown() != null) {
            throw new IllegalStateException(result.thrown());
        }
        return result.outcome();
    }

    /**
     * Restores the entries {@code items} of the snapshot {@code job} restores, the files of the restore whose
     * manifest is {@code run} (null: temporary files named at random), in the steps the class describes, each step's
     * files in parallel on {@code pool}.
     *
     * @return for each item, in order: the bytes restored (with a warning when unverified or older than its
     *     snapshot); or a problem: a request refused (a target outside the write roots, a name that is not an encoded
     *     path, a reserved container), a link or a file on the way, an existing file without permission to overwrite,
     *     content that does not match its MD5, a version that is gone; or what its restore threw, to be tried again:
     *     another delivery renaming the file into place at that moment, a failure of the file system or the storage
     */
    public List<BatchRunner.Result> restoreAll(RestoreJob job, String run, List<BatchRunner.Item<FileEntry>> items,
                                               Executor pool) {
        try {
            BlobNames.checkContainer("container", job.container(), manifestContainer);
            BlobNames.checkPrefix("blobPrefix", job.blobPrefix());
        } catch (IllegalArgumentException e) {
            return everyOne(items, refused(e));
        }
        SecureDirectory target;
        try {
            target = writeRoots.openOrCreate("targetDirectory", job.targetDirectory());
        } catch (IllegalArgumentException e) {
            return everyOne(items, refused(e));
        } catch (RuntimeException e) {
            return everyOne(items, BatchRunner.Result.thrown(e));
        }
        try (Batch batch = new Batch(job, run, target)) {
            return batch.restore(items, pool);
        }
    }

    private static BatchRunner.Result refused(IllegalArgumentException e) {
        return BatchRunner.Result.of(FileOutcome.notDone(null, "refused: " + e.getMessage()));
    }

    private static List<BatchRunner.Result> everyOne(List<BatchRunner.Item<FileEntry>> items,
                                                     BatchRunner.Result result) {
        List<BatchRunner.Result> results = new ArrayList<>(items.size());
        for (BatchRunner.Item<FileEntry> item : items) {
            FileOutcome outcome = result.outcome();
            results.add(outcome == null ? result : BatchRunner.Result.of(FileOutcome.notDone(item.entry().getPath(),
                    outcome.getProblem())));
        }
        return results;
    }

    /** A file downloaded, checked and given its attributes, waiting in its temporary file for its name. */
    private record Pending(int index, BatchRunner.Item<FileEntry> item, SecureDirectory folder, Path name,
                           TemporaryFile temporary, byte[] md5, byte[] expectedMd5, String warning) {
    }

    /** What each file of one batch has come to so far: its result, or its temporary file waiting. */
    private final class Batch implements AutoCloseable {
        private final RestoreJob job;
        private final String run;
        private final SecureDirectory target;
        /** The container of the backup: one client for the whole batch. */
        private final BlobContainerClient container;
        /** The folders of the batch, each opened once: its handle, or why it could not be. */
        private final Map<Path, Object> folders = new ConcurrentHashMap<>();
        /** The files downloaded and waiting for their names, by their place in the batch. */
        private final Map<Integer, Pending> pending = new java.util.concurrent.ConcurrentSkipListMap<>();

        Batch(RestoreJob job, String run, SecureDirectory target) {
            this.job = job;
            this.run = run;
            this.target = target;
            this.container = service.getBlobContainerClient(job.container());
        }

        List<BatchRunner.Result> restore(List<BatchRunner.Item<FileEntry>> items, Executor pool) {
            List<Integer> all = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                all.add(i);
            }
            List<BatchRunner.Result> results = new ArrayList<>(inParallel(all, pool, i -> prepare(i, items.get(i))));
            // Every file's bytes and attributes on the disk before any of them gets its name.
            List<Pending> files = new ArrayList<>(pending.values());
            List<Exception> forced = TemporaryFile.forceAll(files.stream().map(Pending::temporary).toList(), pool);
            List<Pending> toName = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                if (forced.get(i) != null) {
                    results.set(files.get(i).index(), BatchRunner.Result.thrown(forced.get(i)));
                } else {
                    toName.add(files.get(i));
                }
            }
            List<BatchRunner.Result> named = inParallel(toName, pool, this::name);
            for (int i = 0; i < toName.size(); i++) {
                results.set(toName.get(i).index(), named.get(i));
            }
            // The folders of the files and links done: those renamed or made now, and those found done already (an
            // earlier delivery may have died before it flushed their folder).
            Map<SecureDirectory, List<Integer>> touched = new IdentityHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                if (isDone(results.get(i))
                        && folders.get(parentOf(items.get(i).entry())) instanceof SecureDirectory folder) {
                    touched.computeIfAbsent(folder, f -> new ArrayList<>()).add(i);
                }
            }
            // Each folder's new names on the disk, once per folder; a file whose folder could not be flushed is
            // tried again (and found restored).
            List<SecureDirectory> changed = new ArrayList<>(touched.keySet());
            List<BatchRunner.Result> flushed = inParallel(changed, pool, folder -> {
                folder.force();
                return null;
            });
            for (int i = 0; i < changed.size(); i++) {
                if (flushed.get(i).thrown() != null) {
                    for (int index : touched.get(changed.get(i))) {
                        results.set(index, flushed.get(i));
                    }
                }
            }
            for (int i = 0; i < items.size(); i++) {
                results.set(i, withNote(items.get(i).entry(), results.get(i)));
            }
            return results;
        }

        /**
         * Restores a link, or downloads a file into its temporary file and leaves it {@link Pending}; the outcome of
         * an entry that is done with at this step (null when pending).
         */
        private FileOutcome prepare(int index, BatchRunner.Item<FileEntry> item) throws IOException {
            FileEntry entry = item.entry();
            Path relative;
            try {
                relative = PathCodec.decodePath(entry.getPath());
                if (entry.getEntryType() == EntryType.DIRECTORY) {
                    throw new IllegalArgumentException("a folder is made by FinishDirectories, not restored as a file");
                }
                if (entry.getHardLink() != null) {
                    throw new IllegalArgumentException("a hard link is made by FinishDirectories, once every file is"
                            + " in place");
                }
            } catch (IllegalArgumentException e) {
                return FileOutcome.notDone(entry.getPath(), "refused: " + e.getMessage());
            }
            Object opened = folders.computeIfAbsent(relative.getParent() == null ? Path.of("") : relative.getParent(),
                    this::open);
            if (opened instanceof IllegalArgumentException e) {
                return FileOutcome.notDone(entry.getPath(), "refused: " + e.getMessage());
            }
            if (opened instanceof FileSystemException e) {
                if (refusedForGood(e)) {
                    return FileOutcome.notDone(entry.getPath(), "refused: '" + e.getFile() + "' on the way: "
                            + e.getReason() + "; not replaced");
                }
                // A folder on the way removed while it was entered, or the file system failing for a moment.
                throw new UncheckedIOException("cannot open the folder of '" + entry.getPath() + "'", e);
            }
            if (opened instanceof IOException e) {
                throw new UncheckedIOException("cannot open the folder of '" + entry.getPath() + "'", e);
            }
            SecureDirectory folder = (SecureDirectory) opened;
            if (entry.getEntryType() == EntryType.SYMLINK) {
                return LinkRestorer.restore(folder, relative.getFileName(), entry, job.overwrite());
            }
            if (entry.getEntryType().isSpecial()) {
                return SpecialRestorer.restore(folder, relative.getFileName(), entry, job.overwrite());
            }
            return download(index, item, folder, relative.getFileName());
        }

        /** The folder {@code relative} below the target, opened or created; or the IOException met. */
        private Object open(Path relative) {
            if (relative.toString().isEmpty()) {
                return target;
            }
            try {
                return target.openOrCreateDirectories(relative);
            } catch (IOException e) {
                return e;
            } catch (IllegalArgumentException e) {
                return e;
            }
        }

        private FileOutcome download(int index, BatchRunner.Item<FileEntry> item, SecureDirectory folder, Path name)
                throws IOException {
            FileEntry entry = item.entry();
            String path = entry.getPath();
            try {
                // Checked before anything is downloaded: the blob name it names, its attributes.
                entry.check();
            } catch (IllegalArgumentException e) {
                return FileOutcome.notDone(path, "refused: " + e.getMessage());
            }
            if (entry.getVersion() == null) {
                return FileOutcome.notDone(path, "refused: the entry names no stored version of its content");
            }
            byte[] expectedMd5;
            try {
                expectedMd5 = entry.getContentMd5() == null ? null : Base64.getDecoder().decode(entry.getContentMd5());
            } catch (IllegalArgumentException e) {
                return FileOutcome.notDone(path, "refused: the recorded MD5 is not an MD5 in base64");
            }
            if (expectedMd5 != null && expectedMd5.length != 16) {
                return FileOutcome.notDone(path, "refused: the recorded MD5 is not an MD5 in base64");
            }
            BasicFileAttributes existing = attributesOrNull(folder, name);
            if (existing != null) {
                if (existing.isDirectory()) {
                    return FileOutcome.notDone(path, "a folder of that name exists; not replaced");
                }
                if (expectedMd5 != null && sameContent(folder, name, entry.getSize(), expectedMd5)) {
                    return FileOutcome.done(path, entry.getSize());
                }
                // Without an MD5 to compare with, the content is downloaded and compared with the file at the end.
                if (!job.overwrite() && expectedMd5 != null && !TemporaryFile.isPlaceholder(folder, name)) {
                    return FileOutcome.notDone(path, NOT_OVERWRITTEN);
                }
            }
            TemporaryFile temporary = run == null ? folder.createTemporaryFile()
                    : TemporaryFile.create(folder, run, item.batch(), item.position());
            boolean waiting = false;
            try {
                byte[] md5 = download(entry, temporary);
                if (md5 == null) {
                    return FileOutcome.notDone(path, gone(entry.getVersion()));
                }
                if (expectedMd5 != null && !Arrays.equals(expectedMd5, md5)) {
                    return FileOutcome.notDone(path, CORRUPTED_SNAPSHOT);
                }
                // Extended attributes before the mode, which may make the file read-only.
                String warning = temporary.setExtendedAttributes(entry);
                if (entry.getMode() == null) {
                    temporary.setPermissions(Digests.DEFAULT_MODE);
                }
                temporary.setAttributes(entry);
                pending.put(index, new Pending(index, item, folder, name, temporary, md5, expectedMd5, warning));
                waiting = true;
                return null;
            } finally {
                if (!waiting) {
                    temporary.close();
                }
            }
        }

        /** Gives a downloaded file its name. */
        private FileOutcome name(Pending file) throws IOException {
            FileEntry entry = file.item().entry();
            String path = entry.getPath();
            try {
                file.temporary().moveTo(file.name(), job.overwrite());
            } catch (FileAlreadyExistsException e) {
                // Created a moment ago: by another delivery of this restore (the same content), or by someone else.
                if (sameContent(file.folder(), file.name(), entry.getSize(), file.md5())) {
                    return restored(path, entry.getSize(), file.expectedMd5(), file.warning());
                }
                if (TemporaryFile.isPlaceholder(file.folder(), file.name())) {
                    throw new IllegalStateException("'" + path + "' is being restored by another delivery at this"
                            + " moment; tried again later");
                }
                return FileOutcome.notDone(path, NOT_OVERWRITTEN);
            } finally {
                file.temporary().close();
            }
            return restored(path, entry.getSize(), file.expectedMd5(), file.warning());
        }

        /**
         * Downloads the content {@code entry} names into the temporary file, through its handle; returns the MD5 of
         * what was written, or null when no version of the blob holds that content any more.
         */
        private byte[] download(FileEntry entry, TemporaryFile file) throws IOException {
            // The path's own blob, or the name derived from a path too long for one (checked: entry.check()).
            String name = BlobNames.blobName(job.blobPrefix(), entry.blobPath());
            String version = entry.getVersion();
            if (StoredBlob.isRunId(version)) {
                try {
                    Written written = new Written(file);
                    BlobDownloadResponse response = container.getBlobClient(name).downloadStreamWithResponse(
                            written, null, RETRIES, null, false, null, Context.NONE);
                    Map<String, String> metadata = response.getDeserializedHeaders().getMetadata();
                    if (metadata != null && version.equals(metadata.get(StoredBlob.RUN))) {
                        return written.md5();
                    }
                    written.discard();
                } catch (BlobStorageException e) {
                    if (e.getStatusCode() != 404) {
                        throw e;
                    }
                }
                // A later run replaced the blob: copy on write kept this run's content in a blob snapshot.
                file.channel().truncate(0).position(0);
                StoredBlob stored = PrefixListing.stored(container, name);
                BlobItem holder = stored == null ? null : stored.holding(version);
                if (holder == null || holder.getSnapshot() == null) {
                    return null;
                }
                version = holder.getSnapshot();
            }
            try {
                Written written = new Written(file);
                container.getBlobClient(name, version).downloadStreamWithResponse(written, null, RETRIES, null,
                        false, null, Context.NONE);
                return written.md5();
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 404) {
                    return null;
                }
                throw e;
            }
        }

        /** Closes the temporary files left (removing them) and the folders. */
        @Override
        public void close() {
            for (Pending file : pending.values()) {
                try {
                    file.temporary().close();
                } catch (IOException e) {
                    // Removed by the next delivery of the file, or at the end of the run (FinishDirectories).
                }
            }
            for (Object folder : folders.values()) {
                if (folder instanceof SecureDirectory directory && directory != target) {
                    directory.close();
                }
            }
            target.close();
        }
    }

    /**
     * What a download writes to a temporary file: the bytes are hashed (MD5) as they come and gathered in a buffer of
     * the thread's, reused by every file it restores, so a small file is written with one {@code pwrite}; a larger one
     * every {@link #BUFFER} bytes. What is left in the buffer is written by {@link #md5()}; a download that fails or
     * brings other content leaves it unwritten.
     */
    private static final class Written extends java.io.OutputStream {
        static final int BUFFER = 256 * 1024;
        private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);
        private final TemporaryFile file;
        private final MessageDigest md5 = Digests.newMd5();
        private final byte[] buffer = BUFFERS.get();
        private int used;

        Written(TemporaryFile file) {
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            md5.update(bytes, offset, length);
            while (length > 0) {
                if (used == buffer.length) {
                    flush();
                }
                int n = Math.min(length, buffer.length - used);
                System.arraycopy(bytes, offset, buffer, used, n);
                used += n;
                offset += n;
                length -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            java.nio.ByteBuffer pending = java.nio.ByteBuffer.wrap(buffer, 0, used);
            while (pending.hasRemaining()) {
                file.channel().write(pending);
            }
            used = 0;
        }

        /** The MD5 of every byte written, once they are all in the file. */
        byte[] md5() throws IOException {
            flush();
            return md5.digest();
        }

        /** Forgets what is not written yet (the content was not the one asked for). */
        void discard() {
            used = 0;
        }
    }

    /** The folder an entry's file is in, relative to the target ("" for the target itself). */
    private static Path parentOf(FileEntry entry) {
        Path parent = PathCodec.decodePath(entry.getPath()).getParent();
        return parent == null ? Path.of("") : parent;
    }

    /**
     * Whether a folder on the way was refused for what it is (a link, a file, something else, the app's code), which
     * another try would not change; anything else may pass with time.
     */
    static boolean refusedForGood(FileSystemException e) {
        return e instanceof NotDirectoryException || e instanceof FileSystemLoopException
                || e instanceof AccessDeniedException || REFUSED_ON_THE_WAY.contains(e.getReason());
    }

    /** The work of one step on each of {@code things}, in parallel on {@code pool}, and how each ended. */
    private static <T> List<BatchRunner.Result> inParallel(List<T> things, Executor pool,
                                                           Step<T> step) {
        List<FutureTask<FileOutcome>> tasks = new ArrayList<>(things.size());
        for (T thing : things) {
            FutureTask<FileOutcome> task = new FutureTask<>(
                    () -> step.apply(thing));
            tasks.add(task);
            pool.execute(task);
        }
        List<BatchRunner.Result> results = new ArrayList<>(things.size());
        for (Future<FileOutcome> task : tasks) {
            results.add(BatchRunner.settle(task));
        }
        return results;
    }

    /** One step on one thing: an outcome, null to go on, or an exception. */
    @FunctionalInterface
    private interface Step<T> {
        FileOutcome apply(T thing) throws Exception;
    }

    private static boolean isDone(BatchRunner.Result result) {
        return result.outcome() != null && result.outcome().isDone();
    }

    /** A done file's outcome with the note of an entry whose content is older than its snapshot. */
    private static BatchRunner.Result withNote(FileEntry entry, BatchRunner.Result result) {
        FileOutcome outcome = result.outcome();
        if (outcome != null && outcome.isDone() && entry.getNote() != null) {
            return BatchRunner.Result.of(FileOutcome.doneWithWarning(entry.getPath(), outcome.getBytes(),
                    join(OLDER_VERSION + entry.getNote(), outcome.getWarning())));
        }
        return result;
    }

    /** Why a file whose stored content is gone is not restored. */
    static String gone(String version) {
        return (StoredBlob.isRunId(version) ? "no stored version of run " + version + " is left"
                : "the blob snapshot " + version + " that holds it is gone") + " (deleted by retention or by hand);"
                + " not restored";
    }

    private static final DownloadRetryOptions RETRIES = new DownloadRetryOptions().setMaxRetryRequests(3);

    private static FileOutcome restored(String path, long size, byte[] expectedMd5, String warning) {
        String all = join(expectedMd5 == null ? UNVERIFIED : null, warning);
        return all == null ? FileOutcome.done(path, size) : FileOutcome.doneWithWarning(path, size, all);
    }

    private static String join(String first, String second) {
        return first == null ? second : second == null ? first : first + "; " + second;
    }


    /** Whether {@code name} is a regular file (not a link) of {@code size} bytes whose MD5 is {@code md5}. */
    private static boolean sameContent(SecureDirectory folder, Path name, long size, byte[] md5) {
        try (OpenedFile file = folder.openFile(name)) {
            return file.before().size() == size && Arrays.equals(md5, Digests.md5(file));
        } catch (IOException e) {
            // Not a regular file, gone, or not readable (a claim may be written by its owner only): not the same.
            return false;
        }
    }

    private static BasicFileAttributes attributesOrNull(SecureDirectory folder, Path name) throws IOException {
        try {
            return folder.attributes(name);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
