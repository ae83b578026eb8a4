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
import com.contoso.sitebackup.verify.VerifyReport;

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
import org.junit.jupiter.api.io.TempDir;

/** Verify a backup against its source through the harness: no difference, then exactly the edits made. */
@AzuriteTest
class VerifyRoundTripTest {
    private static final int SLICE = 50;

    private final ObjectMapper json = new ObjectMapper();
    private final BlobServiceClient blobs = Azurite.shared().client();

    @TempDir
    Path allowed;

    @Test
    void verify_afterBackup_noDifferenceThenExactlyTheFilesChangedAddedAndDeleted() throws IOException {
        Path site = allowed.resolve("site");
        Trees.mixed(site, 150, 0, 21);
        BackupRequest backup = BackupApp.request(site, "verify-round-trip");
        assertEquals("Completed", harness().run(BackupSiteContent.NAME, backup).runtimeStatus());

        VerifyReport clean = verify(backup, false);
        assertEquals(150, clean.getIdentical());
        assertEquals(0, clean.getMissingCount() + clean.getExtraCount() + clean.getDifferentCount());
        VerifyReport cleanByContent = verify(withContentCheck(backup), true);
        assertEquals(150, cleanByContent.getIdentical(), "every file checked by content (3 slices)");

        List<String> files = List.copyOf(BackupAssertions.filesUnder(site).keySet());
        String resized = files.get(1);
        Files.writeString(site.resolve(resized), "a different size now");
        String touched = files.get(2);
        Files.setLastModifiedTime(site.resolve(touched), FileTime.fromMillis(1_000_000_000_000L));
        String sameSizeNewContent = files.get(3);
        byte[] content = Files.readAllBytes(site.resolve(sameSizeNewContent));
        content[0] ^= 1;
        long mtime = Files.getLastModifiedTime(site.resolve(sameSizeNewContent)).toMillis();
        Files.write(site.resolve(sameSizeNewContent), content);
        Files.setLastModifiedTime(site.resolve(sameSizeNewContent), FileTime.fromMillis(mtime));
        Files.writeString(site.resolve("added.txt"), "new");
        String deleted = files.get(4);
        Files.delete(site.resolve(deleted));

        VerifyReport byListing = verify(backup, false);
        assertEquals(List.of("added.txt"), byListing.getMissing());
        assertEquals(List.of(deleted), byListing.getExtra());
        assertEquals(List.of(resized, touched), byListing.getDifferent().stream().map(FileProblem::getPath).sorted().toList());
        assertEquals(147, byListing.getIdentical(), "149 files left, 2 differ; the same-size, same-mtime edit is invisible to listings");

        VerifyReport byContent = verify(withContentCheck(backup), true);
        // By content, the file whose only change is its mtime is identical, and the same-size edit is found.
        assertEquals(List.of(resized, sameSizeNewContent).stream().sorted().toList(),
                byContent.getDifferent().stream().map(FileProblem::getPath).sorted().toList());
        assertEquals(1, byContent.getMissingCount());
        assertEquals(1, byContent.getExtraCount());
        System.out.printf("verify: %d files; clean %d identical; after edits by listing %d missing, %d extra, %d different;"
                        + " by content %d different %s%n", files.size(), clean.getIdentical(), byListing.getMissingCount(),
                byListing.getExtraCount(), byListing.getDifferentCount(), byContent.getDifferentCount(), byContent.getDifferent());
        assertEquals(150, BackupAssertions.filesUnder(site).size(), "verify wrote nothing into the directory");
        assertEquals(150, blobs.getBlobContainerClient("verify-round-trip").listBlobs().stream()
                .filter(b -> b.getName().startsWith(backup.getBlobPrefix() + "/")).count(), "nor into the backup");
    }

    private VerifyReport verify(BackupRequest request, boolean expectSlices) throws IOException {
        HarnessResult result = harness().run(VerifyBackup.NAME, request);
        assertEquals("Completed", result.runtimeStatus(), result.failureMessage());
        assertEquals(List.of(), result.determinismViolations());
        if (expectSlices) {
            assertTrue(result.metrics().subOrchestrations() >= 3, result.metrics().summary());
        }
        VerifyReport report = json.readValue(result.output(), VerifyReport.class);
        JobProgress status = json.readValue(result.customStatus(), JobProgress.class);
        assertEquals(report.differenceCount() == 0 ? JobProgress.Phase.COMPLETED : JobProgress.Phase.COMPLETED_WITH_PROBLEMS,
                status.getPhase(), status.getMessage());
        assertEquals(report.differenceCount(), status.getProblemCount(), "the status counts every difference");
        assertEquals(report.listedDifferences().stream().limit(JobProgress.MAX_LISTED_PROBLEMS).toList().size(),
                status.getProblems().size());
        return report;
    }

    private static BackupRequest withContentCheck(BackupRequest request) {
        return new BackupRequest(request.getRootDirectory(), request.getContainer(), request.getBlobPrefix(),
                null, null, false, true, null);
    }

    private DurableHarness harness() {
        return BackupApp.harness(blobs, allowed, SLICE, DurableHarness.Faults.none());
    }
}
