package com.contoso.sitebackup.harness;

import com.azure.storage.blob.BlobServiceClient;
import com.contoso.sitebackup.backup.AllowedRoots;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.FileLister;
import com.contoso.sitebackup.functions.BackupSiteContent;
import com.contoso.sitebackup.functions.BackupSlice;
import com.contoso.sitebackup.functions.CopyFileToBlob;
import com.contoso.sitebackup.functions.GetFileList;
import com.contoso.sitebackup.functions.CheckFileContent;
import com.contoso.sitebackup.functions.CompareBackup;
import com.contoso.sitebackup.functions.ListBackup;
import com.contoso.sitebackup.functions.ReadManifestSlice;
import com.contoso.sitebackup.functions.RestoreBlobToFile;
import com.contoso.sitebackup.functions.RestoreSiteContent;
import com.contoso.sitebackup.functions.RestoreSlice;
import com.contoso.sitebackup.functions.VerifyBackup;
import com.contoso.sitebackup.functions.VerifySlice;
import com.contoso.sitebackup.storage.BackupComparer;
import com.contoso.sitebackup.storage.BackupPlanner;
import com.contoso.sitebackup.storage.BlobCopier;
import com.contoso.sitebackup.storage.BlobRestorer;
import com.contoso.sitebackup.storage.ManifestStore;
import com.contoso.sitebackup.storage.RestorePlanner;
import com.microsoft.durabletask.OrchestratorFunction;
import java.nio.file.Path;
import java.util.List;

/** The function app's orchestrators and real activities (backup, restore and verify), wired into a {@link DurableHarness}. */
public final class BackupApp {
    /** The manifest container the harness uses, as the app's default. */
    public static final String MANIFEST_CONTAINER = "backup-manifests";

    private BackupApp() {
    }

    /**
     * A harness (host.json's settings, {@code faults}) running this app against {@code blobs}, allowing backups
     * and restores under {@code allowedRoot}, with manifests in slices of {@code sliceSize} files.
     */
    public static DurableHarness harness(BlobServiceClient blobs, Path allowedRoot, int sliceSize,
                                         DurableHarness.Faults faults) {
        ManifestStore manifests = new ManifestStore(blobs, MANIFEST_CONTAINER, sliceSize);
        BackupComparer comparer = new BackupComparer(blobs, new AllowedRoots(List.of(allowedRoot)), new FileLister(), manifests);
        return new DurableHarness(Path.of("host.json"), faults)
                .orchestrator(BackupSiteContent.NAME, (OrchestratorFunction<Long>) ctx -> new BackupSiteContent().run(ctx))
                .orchestrator(BackupSlice.NAME, (OrchestratorFunction<Object>) ctx -> new BackupSlice().run(ctx))
                .activity(new GetFileList(new BackupPlanner(blobs, new AllowedRoots(List.of(allowedRoot)),
                        new FileLister(), manifests)))
                .activity(new CopyFileToBlob(new BlobCopier(blobs)))
                .activity(new ReadManifestSlice(manifests))
                .orchestrator(RestoreSiteContent.NAME, (OrchestratorFunction<Long>) ctx -> new RestoreSiteContent().run(ctx))
                .orchestrator(RestoreSlice.NAME, (OrchestratorFunction<Object>) ctx -> new RestoreSlice().run(ctx))
                .activity(new ListBackup(new RestorePlanner(blobs, new AllowedRoots(List.of(allowedRoot)), manifests)))
                .activity(new RestoreBlobToFile(new BlobRestorer(blobs)))
                .orchestrator(VerifyBackup.NAME, (OrchestratorFunction<Object>) ctx -> new VerifyBackup().run(ctx))
                .orchestrator(VerifySlice.NAME, (OrchestratorFunction<Object>) ctx -> new VerifySlice().run(ctx))
                .activity(new CompareBackup(comparer))
                .activity(new CheckFileContent(comparer));
    }

    /** A backup of {@code root} to {@code container}, with the starter's defaults filled in. */
    public static BackupRequest request(Path root, String container) {
        return BackupRequest.of(root.toAbsolutePath().normalize().toString()).withDefaults(container);
    }
}
