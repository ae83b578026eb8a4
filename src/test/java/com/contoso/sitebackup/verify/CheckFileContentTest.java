package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.files.AllowedRoots;
import com.contoso.sitebackup.files.Digests;
import com.contoso.sitebackup.files.SortedWalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import com.microsoft.durabletask.JacksonDataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;

/** The CheckFileContent activity: it reads the file and compares with the MD5 it is given; storage is never called. */
class CheckFileContentTest {
    @TempDir
    Path root;

    private final BlobServiceClient storage = Mockito.mock(BlobServiceClient.class);
    private final CheckFileContent activity = new CheckFileContent(new BackupComparer(storage,
            AllowedRoots.forReading(List.of(Path.of("/"))), new SortedWalk(), new ManifestStore(storage, "m", 1), new ProblemReport(storage, "m")));

    @Test
    void constructor_nullComparer_throws() {
        assertThrows(NullPointerException.class, () -> new CheckFileContent((BackupComparer) null));
    }

    @Test
    void run_workerBoundCheck_sameAndDifferentContentWithoutTouchingStorage() throws IOException {
        Files.writeString(root.resolve("a.txt"), "same");
        String md5 = Base64.getEncoder().encodeToString(Digests.md5(root.resolve("a.txt")));
        Mockito.clearInvocations(storage); // the manifest store looked its container up when it was built

        FileOutcome same = activity.run(bound(new ContentCheck(root.toString(), "a.txt", md5)));
        Files.writeString(root.resolve("a.txt"), "SAME");
        FileOutcome different = activity.run(bound(new ContentCheck(root.toString(), "a.txt", md5)));

        assertNull(same.getProblem());
        assertEquals(4, same.getBytes());
        assertEquals("content differs (MD5)", different.getProblem());
        Mockito.verifyNoInteractions(storage);
    }

    private static ContentCheck bound(ContentCheck check) {
        return new Gson().fromJson(new JacksonDataConverter().serialize(check), ContentCheck.class);
    }
}
