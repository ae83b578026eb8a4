package com.contoso.sitebackup.security;

import com.contoso.sitebackup.restore.DirectoryRestorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.restore.FinishDirectories;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 7: FinishDirectories was quadratic in depth (each folder reopened from the target, one level at a
 * time: 800 nested folders took 17.5 s, 3,000 did not finish in 300 s). A forged snapshot of a chain of nested
 * folders is finished here with the work counted as folders opened ({@link SecureDirectory#openedDirectories()}),
 * never timed: each folder is opened once, from the one above. Folders deeper than {@value TreeWalker#MAX_DEPTH}
 * levels, which no walk lists, are refused, named, so the handles held stay bounded.
 */
@AzuriteTest
@Timeout(120)
class DeepFolderAttackTest {
    private static final String ID = "20261126T100000.000Z";
    private static final long T = 1_700_000_000_000_000_000L;

    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path tmp;
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
    }

    /** A snapshot of {@code depth} folders nested in one another, each with its own mtime; finished; opens counted. */
    private long finishChain(int depth, int expectedProblems, String label) throws IOException {
        String container = "deep-" + UUID.randomUUID().toString().substring(0, 8);
        HandMadeSnapshot snapshot = new HandMadeSnapshot(blobs, container, "site", BackupApp.MANIFEST_CONTAINER);
        StringBuilder path = new StringBuilder();
        for (int level = 1; level <= depth; level++) {
            path.append(level == 1 ? "" : "/").append("d");
            snapshot.directory(path.toString(), 0755, T + level);
        }
        snapshot.commit(ID);
        Path target = root.resolve("target-" + depth);
        DirectoryRestorer activity = DirectoryRestorer.from(BackupApp.services(blobs, root, 500));
        RestoreRequest request = new RestoreRequest(container, "site", target.toString(), false, null, null, null)
                .withSnapshot(ID);

        long before = SecureDirectory.openedDirectories();
        FanOutSummary summary = activity.finish(request, null);
        long opened = SecureDirectory.openedDirectories() - before;

        int made = Math.min(depth, TreeWalker.MAX_DEPTH);
        System.out.printf("%s: %,d nested folders, 1 call: %,d folders opened (%.2f per folder), %,d made, %,d refused"
                + " as too deep%n", label, depth, opened, opened / (double) depth, made, summary.problemCount());
        assertEquals(expectedProblems, summary.problemCount(), summary.problems().toString());
        // The target, then each folder once on the way down; nothing is reopened from the target.
        assertTrue(opened <= made + 2, opened + " folders opened for " + depth + " nested folders");
        Path deepest = target;
        for (int level = 1; level <= made; level++) {
            deepest = deepest.resolve("d");
        }
        assertEquals(T + made, ((FileTime) Files.getAttribute(deepest, "lastModifiedTime", LinkOption.NOFOLLOW_LINKS))
                .to(TimeUnit.NANOSECONDS), "the deepest folder made is finished");
        assertEquals(T + 1, ((FileTime) Files.getAttribute(target.resolve("d"), "lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS)).to(TimeUnit.NANOSECONDS), "the top folder is finished last, with its time");
        return opened;
    }

    @Test
    void finishDirectories_200NestedFolders_eachOpenedOnce() throws IOException {
        finishChain(200, 0, "FinishDirectories");
    }

    /** The 800 and 3,000 levels: within the walk's depth everything is made, deeper folders are refused. */
    @Test
    void finishDirectories_800And3000NestedFolders_linearOpensDeeperThanTheWalkRefused() throws IOException {
        finishChain(800, 800 - TreeWalker.MAX_DEPTH, "FinishDirectories");
        finishChain(3_000, 3_000 - TreeWalker.MAX_DEPTH, "FinishDirectories");
    }
}
