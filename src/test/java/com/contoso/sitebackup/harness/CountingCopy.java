package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.BackupJob;
import com.contoso.sitebackup.backup.CopyEntry;
import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.BatchRunner;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.fs.PathCodec;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for {@link CopyFileToBlob} that reads each file's size and uploads nothing, through the same batch
 * runner: for measuring what the orchestration costs at sizes where uploading every file would only measure storage.
 */
public final class CountingCopy {
    private final BatchRunner<BackupJob, CopyEntry> runner;

    public CountingCopy(AppServices services) {
        this.runner = new BatchRunner<>(CopyFileToBlob.NAME, BackupJob.class, CopyEntry.class, CopyEntry::path,
                ManifestStore.from(services), ProblemReport.from(services), services.transfers());
    }

    @FunctionName(CopyFileToBlob.NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        return runner.run(input, job -> entry -> FileOutcome.done(entry.path(),
                Files.size(Path.of(job.directory()).resolve(PathCodec.decodePath(entry.path())))));
    }
}
