package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.BackupAssertions;
import com.contoso.sitebackup.testing.Trees;
import com.contoso.sitebackup.verify.VerifyBackup;
import com.contoso.sitebackup.verify.CheckFileContent;
import com.contoso.sitebackup.verify.VerifyReport;
import com.contoso.sitebackup.verify.VerifyRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Verify a backup against its source through the harness: no difference, then exactly the edits made. */
@AzuriteTest
@Timeout(300)
class VerifyRoundTripTest {
    private static final int BATCH = 50;

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path allowed;

    @Test
    void verify_afterBackup_noDifferenceThenExactlyTheFilesChangedAddedAndDeleted() throws IOException {
        Path site = allowed.resolve("site");
        Trees.mixed(site, 150, 0, 21);
        long folders;
        try (var all = Files.walk(site)) {
            folders = all.filter(p -> !p.equals(site) && Files.isDirectory(p)).count();
        }
        BackupRequest backup = BackupApp.request(site, "verify-round-trip");
        assertEquals("Completed", harness().run(BackupSiteContent.NAME, backup).runtimeStatus());

        VerifyReport clean = verify(backup, false, 0);
        assertEquals(150 + folders, clean.getIdentical(), "every file and folder");
        assertEquals(0, clean.differenceCount(), clean.listedDifferences().toString());
        VerifyReport cleanByContent = verify(backup, true, 3);
        assertEquals(150 + folders, cleanByContent.getIdentical(), "every file checked by content, in 3 batches of 50");

        List<String> files = List.copyOf(BackupAssertions.filesUnder(site).keySet());
        String resized = files.get(1);
        Files.writeString(site.resolve(resized), "a different size now");
        String touched = files.get(2);
        Files.setLastModifiedTime(site.resolve(touched), FileTime.fromMillis(1_000_000_000_000L));
        String sameSizeNewContent = files.get(3);
        byte[] content = Files.readAllBytes(site.resolve(sameSizeNewContent));
        content[0] ^= 1;
        FileTime mtime = Files.getLastModifiedTime(site.resolve(sameSizeNewContent));
        Files.write(site.resolve(sameSizeNewContent), content);
        // Set back to the nanosecond: the snapshot recorded the mtime in ns.
        Files.setLastModifiedTime(site.resolve(sameSizeNewContent), mtime);
        Files.writeString(site.resolve("added.txt"), "new");
        String deleted = files.get(4);
        Files.delete(site.resolve(deleted));
        // A file's edits change its folder's mtime, which a verify does not compare for folders.

        VerifyReport byListing = verify(backup, false, 0);
        assertEquals(List.of("added.txt"), byListing.getMissing());
        assertEquals(List.of(deleted), byListing.getExtra());
        assertEquals(List.of(resized, touched), byListing.getDifferent().stream().map(FileProblem::getPath).sorted().toList());
        assertEquals(147 + folders, byListing.getIdentical(),
                "149 files left, 2 differ; the same-size, same-mtime edit is invisible to listings");

        VerifyReport byContent = verify(backup, true, 3);
        // By content, the file whose only change is its mtime is identical, and the same-size edit is found.
        assertEquals(List.of(resized, sameSizeNewContent).stream().sorted().toList(),
                byContent.getDifferent().stream().map(FileProblem::getPath).sorted().toList());
        assertEquals(1, byContent.getMissingCount());
        assertEquals(1, byContent.getExtraCount());
        System.out.printf("verify: %d files, %d folders; clean %d identical; after edits by listing %d missing, %d extra,"
                        + " %d different; by content %d different %s%n", files.size(), folders, clean.getIdentical(),
                byListing.getMissingCount(), byListing.getExtraCount(), byListing.getDifferentCount(),
                byContent.getDifferentCount(), byContent.getDifferent());
        assertEquals(150, BackupAssertions.filesUnder(site).size(), "verify wrote nothing into the directory");
        assertEquals(150, blobs.getBlobContainerClient("verify-round-trip").listBlobs().stream()
                .filter(b -> b.getName().startsWith(backup.getBlobPrefix() + "/")).count(), "nor into the backup");
    }

    /**
     * Verifies {@code backup}'s folder against its latest snapshot; with {@code compareContent}, checks that the files
     * are checked in {@code contentBatches} activities (a batch holds many files).
     */
    private VerifyReport verify(BackupRequest backup, boolean compareContent, int contentBatches) throws IOException {
        HarnessResult result = harness().run(VerifyBackup.NAME, new VerifyRequest(backup.getRootDirectory(),
                backup.getContainer(), backup.getBlobPrefix(), null, null, compareContent, null));
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        assertEquals(List.of(), result.determinismViolations());
        long checks = result.instances().values().stream().flatMap(i -> i.history().stream())
                .filter(e -> e.hasTaskScheduled() && e.getTaskScheduled().getName().equals(CheckFileContent.NAME))
                .count();
        assertEquals(contentBatches, checks, "content checks: one activity per batch of " + BATCH + " files");
        VerifyReport report = json.readValue(result.output(), VerifyReport.class);
        JobProgress status = json.readValue(result.customStatus(), JobProgress.class);
        assertEquals(report.differenceCount() == 0 ? JobProgress.Phase.COMPLETED : JobProgress.Phase.COMPLETED_WITH_PROBLEMS,
                status.getPhase(), status.getMessage());
        assertEquals(report.differenceCount(), status.getProblemCount(), "the status counts every difference");
        assertEquals(report.listedDifferences().stream().limit(JobProgress.MAX_LISTED_PROBLEMS).toList().size(),
                status.getProblems().size());
        return report;
    }

    private DurableHarness harness() {
        return BackupApp.harness(blobs, allowed, BATCH, DurableHarness.Faults.none());
    }
}
