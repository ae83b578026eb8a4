package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.harness.BackupApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;

/** The CheckFileContent activity: it reads the file and compares with the MD5 it is given; storage is never called. */
class CheckFileContentTest {
    @TempDir
    Path tmp;

    private final BlobServiceClient storage = Mockito.mock(BlobServiceClient.class);
    private Path root;
    private CheckFileContent activity;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        activity = new CheckFileContent(BackupApp.services(storage, root, 1));
        Mockito.clearInvocations(storage); // the manifest store and reports looked their container up when built
    }

    private static String md5(String content) throws NoSuchAlgorithmException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void constructor_nullComparer_throws() {
        assertThrows(NullPointerException.class, () -> new CheckFileContent((BackupComparer) null));
    }

    @Test
    void run_workerBoundCheck_sameAndDifferentContentWithoutTouchingStorage() throws Exception {
        Files.writeString(root.resolve("a.txt"), "same");
        String md5 = md5("same");

        FileOutcome same = activity.run(bound(new ContentCheck(root.toString(), "a.txt", md5)));
        Files.writeString(root.resolve("a.txt"), "SAME");
        FileOutcome different = activity.run(bound(new ContentCheck(root.toString(), "a.txt", md5)));

        assertNull(same.getProblem());
        assertEquals(4, same.getBytes());
        assertEquals("content differs (MD5)", different.getProblem());
        Mockito.verifyNoInteractions(storage);
    }

    /** Issue 10: CheckFileContent answered MD5 questions about any file. Outside the read roots it answers nothing. */
    @Test
    void run_fileOutsideTheReadRootsOrThroughALink_refusedTheSameWhateverTheContent() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "guess");
        Files.createSymbolicLink(root.resolve("link"), outside);
        for (String guess : List.of("guess", "wrong")) {
            FileOutcome direct = activity.run(bound(new ContentCheck(outside.toString(), "secret", md5(guess))));
            assertEquals("refused: rootDirectory '" + outside + "' is not a directory this app may read (it must be a"
                    + " folder under one of the configured read roots, reached without symbolic links)", direct.getProblem());
            FileOutcome viaLink = activity.run(bound(new ContentCheck(root.toString(), "link/secret", md5(guess))));
            assertEquals("not readable here: symbolic link, not followed", viaLink.getProblem());
        }
        Mockito.verifyNoInteractions(storage);
    }

    @Test
    void run_pathOrMd5NotWellFormed_refused() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        assertTrue(activity.run(bound(new ContentCheck(root.toString(), "../a.txt", md5("a")))).getProblem()
                .startsWith("refused: '../a.txt' is not an encoded file name"));
        assertEquals("refused: contentMd5 'YQ==' is not an MD5 in base64",
                activity.run(bound(new ContentCheck(root.toString(), "a.txt", "YQ=="))).getProblem());
    }

    private static ContentCheck bound(ContentCheck check) {
        return new Gson().fromJson(new JacksonDataConverter().serialize(check), ContentCheck.class);
    }
}
