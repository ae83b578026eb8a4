package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.files.BlobNames;
import com.contoso.sitebackup.files.Digests;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Restores one blob to a file under a target directory, never outside it, never over an existing file
 * unless asked, and never half-written: the content is downloaded to a temporary file in the same folder,
 * its MD5 checked against the blob's Content-MD5, its mtime set to the one recorded at backup time, and only
 * then given the file's name in one step (a hard link that fails if the name exists, or an atomic rename
 * when overwriting). A retry or duplicate delivery that finds the file already restored with the same
 * content reports it restored.
 */
public final class BlobRestorer {
    private static final String OUTSIDE = "refused: the name leads outside the target directory";
    private static final String NOT_OVERWRITTEN = "exists and differs; not overwritten (set overwrite)";

    private final BlobServiceClient service;

    /** The restorer of this app: its backup account. */
    public static BlobRestorer from(AppServices services) {
        return new BlobRestorer(services.blobService());
    }

    public BlobRestorer(BlobServiceClient service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * Restores the blob.
     *
     * @return the bytes restored, or a problem: a name leading outside the target, an existing file without
     *     permission to overwrite, content that does not match its Content-MD5, a blob that vanished
     * @throws UncheckedIOException when the file system fails (retried by the orchestrator)
     */
    public FileOutcome restore(RestoreFileRequest request) {
        Path target = Path.of(request.getTargetDirectory());
        Path file = target.resolve(request.getPath()).normalize();
        if (!BlobNames.isSafeRelativePath(request.getPath()) || !file.startsWith(target)) {
            return FileOutcome.notDone(request.getPath(), OUTSIDE);
        }
        try {
            String folderProblem = createFolders(target, file.getParent());
            if (folderProblem != null) {
                return FileOutcome.notDone(request.getPath(), folderProblem);
            }
            BlobClient blob = service.getBlobContainerClient(request.getContainer()).getBlobClient(request.getBlobName());
            BlobProperties properties;
            try {
                properties = blob.getProperties();
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 404) {
                    return FileOutcome.notDone(request.getPath(), "the blob vanished since it was listed");
                }
                throw e;
            }
            byte[] expectedMd5 = properties.getContentMd5();
            BasicFileAttributes existing = attributesOrNull(file);
            if (existing != null) {
                if (existing.isDirectory()) {
                    return FileOutcome.notDone(request.getPath(), "a folder of that name exists; not replaced");
                }
                if (expectedMd5 != null && sameContent(file, properties.getBlobSize(), expectedMd5)) {
                    return FileOutcome.done(request.getPath(), properties.getBlobSize());
                }
                if (!request.isOverwrite()) {
                    return FileOutcome.notDone(request.getPath(), NOT_OVERWRITTEN);
                }
            }
            // A short name of our own: the file's name plus a suffix could pass the file system's name limit.
            Path temporary = file.resolveSibling(".restoring-" + UUID.randomUUID());
            try {
                byte[] md5 = download(blob, properties, temporary);
                if (expectedMd5 != null && !Arrays.equals(expectedMd5, md5)) {
                    return FileOutcome.notDone(request.getPath(), "corrupted: the content does not match its Content-MD5");
                }
                Files.setLastModifiedTime(temporary, FileTime.fromMillis(recordedMtime(properties)));
                if (request.isOverwrite()) {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    try {
                        Files.createLink(file, temporary);
                    } catch (FileAlreadyExistsException e) {
                        // Another delivery of this restore may have linked the same content a moment ago.
                        return sameContent(file, properties.getBlobSize(), md5)
                                ? FileOutcome.done(request.getPath(), properties.getBlobSize())
                                : FileOutcome.notDone(request.getPath(), NOT_OVERWRITTEN);
                    }
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            return FileOutcome.done(request.getPath(), properties.getBlobSize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore '" + request.getPath() + "'", e);
        }
    }

    /**
     * Creates {@code folder} and the folders above it, down from {@code target}, one at a time and never
     * through a link that leads outside the target (so not even an empty folder is made outside it).
     *
     * @return null when {@code folder} is a folder inside the target, else why the file cannot go there
     */
    private static String createFolders(Path target, Path folder) throws IOException {
        Files.createDirectories(target);
        Path inside = target.toRealPath();
        Path current = target;
        for (Path name : folder.equals(target) ? List.<Path>of() : target.relativize(folder)) {
            current = current.resolve(name);
            try {
                Files.createDirectory(current);
                continue;
            } catch (FileAlreadyExistsException e) {
                // Something has that name already: a folder, a link or a file, checked below.
            }
            if (Files.isSymbolicLink(current) && !realPathUnder(current, inside)) {
                return "refused: a folder on the way links outside the target";
            }
            if (!Files.isDirectory(current)) {
                return "'" + target.relativize(current).toString().replace('\\', '/') + "' is a file, not a folder; not replaced";
            }
        }
        // A last check on the whole path, should a folder have been swapped for a link meanwhile.
        return realPathUnder(folder, inside) ? null : "refused: a folder on the way links outside the target";
    }

    /** Whether {@code file} is a regular file (not a link) of {@code size} bytes whose MD5 is {@code md5}. */
    private static boolean sameContent(Path file, long size, byte[] md5) throws IOException {
        BasicFileAttributes attributes = attributesOrNull(file);
        return attributes != null && attributes.isRegularFile() && attributes.size() == size
                && Arrays.equals(md5, Digests.md5(file));
    }

    private static boolean realPathUnder(Path path, Path inside) {
        try {
            return path.toRealPath().startsWith(inside);
        } catch (IOException e) {
            return false; // a broken link
        }
    }

    private static BasicFileAttributes attributesOrNull(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Downloads the blob version {@code properties} describes (by its ETag) into {@code file}; returns its MD5. */
    private static byte[] download(BlobClient blob, BlobProperties properties, Path file) throws IOException {
        MessageDigest md5 = Digests.newMd5();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), md5)) {
            blob.downloadStreamWithResponse(out, null, new DownloadRetryOptions().setMaxRetryRequests(3),
                    new BlobRequestConditions().setIfMatch(properties.getETag()), false, null, null);
        }
        return md5.digest();
    }

    private static long recordedMtime(BlobProperties properties) {
        return Digests.recordedMtime(properties.getMetadata(), properties.getLastModified().toInstant().toEpochMilli());
    }
}
