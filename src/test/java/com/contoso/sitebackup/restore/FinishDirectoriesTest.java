package com.contoso.sitebackup.restore;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemLog;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.TemporaryFile;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;
import com.contoso.sitebackup.testing.SpecialFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The last step of a restore on a real temp tree: the temporary files restores left go, then the folders are set. */
@AzuriteTest
@Timeout(120)
class FinishDirectoriesTest {
    private static final String RUN = "20261201T100000.000Z";

    @TempDir
    Path allowed;

    private final BlobServiceClient service = Azurite.shared().client();
    private final String container = "finish-" + UUID.randomUUID().toString().substring(0, 8);

    /**
     * Left in the target: temporary files of this run (under its name and a duplicate's), of an earlier run and of a
     * version that named them at random; they go. Kept: a file the snapshot lists under a temporary name (restored
     * content), names that only look like one, a folder under such a name, and a temporary file this process still
     * holds open. A link and a FIFO an overwrite made under a temporary name, before a crash kept it from renaming
     * them, go too (removed, never followed: the link's target stays). The folders then get their recorded mtimes,
     * the sweep's removals included.
     */
    @Test
    void run_temporaryFilesLeftByRestores_removedBeforeTheFoldersAreSetOthersKept() throws Exception {
        AppServices services = BackupApp.services(service, allowed, 256);
        Path target = allowed.resolve("target");
        String otherRun = UUID.randomUUID().toString();
        String listedName = TemporaryFile.nameFor(otherRun, 0, 0).toString();
        HandMadeSnapshot snapshot = HandMadeSnapshot.ofRun(service, container, "p", BackupApp.MANIFEST_CONTAINER, RUN);
        snapshot.directory("a", 0755, 1_600_000_000_000_000_001L);
        snapshot.directory("a/b", 0750, 1_600_000_000_000_000_002L);
        snapshot.directory("empty", 0700, 1_600_000_000_000_000_003L);
        snapshot.file("a/keep", "kept", 0644, 1_000L);
        snapshot.file("a/" + listedName, "restored content under a temporary-looking name", 0644, 1_000L);
        snapshot.commit(RUN);
        JobPlan plan = ManifestStore.from(services).writer(new RestoreJob(target.toString(), container, "p", RUN,
                false, null), target.toString(), new ProblemLog(ProblemReport.from(services), null, "listing", 0)).finish();
        String run = plan.manifest();
        Files.createDirectories(target.resolve("a/b"));
        Files.createDirectories(target.resolve("empty"));
        Files.writeString(target.resolve("a/keep"), "kept");
        Files.writeString(target.resolve("a").resolve(listedName), "restored content under a temporary-looking name");
        List<Path> left = List.of(
                target.resolve("a/b").resolve(TemporaryFile.nameFor(run, 3, 4)),
                target.resolve("a").resolve(TemporaryFile.nameFor(run, 0, 1) + "-" + UUID.randomUUID()),
                target.resolve(TemporaryFile.nameFor(UUID.randomUUID().toString(), 1, 2)),
                target.resolve("empty").resolve(TemporaryFile.newName()));
        for (Path file : left) {
            Files.writeString(file, "half a download");
        }
        List<Path> kept = List.of(target.resolve("a/.restoring-not-a-uuid"), target.resolve("a/.restoring-"),
                target.resolve("restoring-" + UUID.randomUUID()));
        for (Path file : kept) {
            Files.writeString(file, "the user's");
        }
        Path link = Files.createSymbolicLink(target.resolve(TemporaryFile.nameFor(run, 9, 9)), target.resolve("a/keep"));
        Path madeLink = Files.createSymbolicLink(target.resolve("a").resolve(TemporaryFile.newName()),
                target.resolve("a/keep"));
        Path madeFifo = target.resolve("a/b").resolve(TemporaryFile.newName());
        SpecialFiles.fifo(madeFifo);
        Path folder = Files.createDirectory(target.resolve(TemporaryFile.newName().toString()));

        FanOutSummary summary;
        try (SecureDirectory root = services.writeRoots().openOrCreate("targetDirectory", target.toString());
             TemporaryFile open = TemporaryFile.create(root, run, 5, 5)) {
            summary = Wire.read(new FinishDirectories(services).run(Wire.write(new FinishRequest(CodeVersion.CURRENT,
                    run))), FanOutSummary.class, "the summary");
            assertTrue(Files.exists(target.resolve(open.name())), "a temporary file open here stays");
        }

        assertEquals(0, summary.problemCount(), summary.problems().toString());
        for (Path file : left) {
            assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS), file + " is left");
        }
        for (Path file : kept) {
            assertEquals("the user's", Files.readString(file));
        }
        assertEquals("restored content under a temporary-looking name",
                Files.readString(target.resolve("a").resolve(listedName)), "the snapshot's own file stays");
        for (Path made : List.of(link, madeLink, madeFifo)) {
            assertFalse(Files.exists(made, LinkOption.NOFOLLOW_LINKS), made + " is left");
        }
        assertEquals("kept", Files.readString(target.resolve("a/keep")), "a link's target is never touched");
        assertTrue(Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS), "a folder is never removed");
        assertEquals(1_600_000_000_000_000_001L, Files.getLastModifiedTime(target.resolve("a")).to(TimeUnit.NANOSECONDS),
                "the folder's mtime is set after the sweep");
        assertEquals(1_600_000_000_000_000_002L, Files.getLastModifiedTime(target.resolve("a/b")).to(TimeUnit.NANOSECONDS));
        assertEquals(1_600_000_000_000_000_003L, Files.getLastModifiedTime(target.resolve("empty"))
                .to(TimeUnit.NANOSECONDS));
        assertEquals(List.of(), Files.list(target.resolve("empty")).toList());
    }
}
