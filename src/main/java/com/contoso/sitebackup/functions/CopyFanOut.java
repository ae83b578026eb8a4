package com.contoso.sitebackup.functions;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.backup.CopyResult;
import com.contoso.sitebackup.backup.CopySummary;
import com.contoso.sitebackup.backup.FileEntry;
import com.contoso.sitebackup.backup.FileProblem;
import com.microsoft.durabletask.CompositeTaskFailedException;
import com.microsoft.durabletask.Task;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out/fan-in at the heart of a backup, shared by {@link BackupSiteContent} (small trees) and
 * {@link BackupSlice} (each slice of a large one): one {@link CopyFileToBlob} per file, all awaited with
 * {@code allOf}, then each task read to sort copies, expected problems and failures apart.
 */
final class CopyFanOut {
    private CopyFanOut() {
    }

    static CopySummary copyAll(TaskOrchestrationContext ctx, BackupRequest request, String rootDirectory,
                               List<FileEntry> files) {
        List<Task<CopyResult>> copies = new ArrayList<>(files.size());
        for (FileEntry file : files) {
            CopyRequest copy = CopyRequest.of(request, rootDirectory, file);
            copies.add(ctx.callActivity(CopyFileToBlob.NAME, copy, BackupSiteContent.ACTIVITY_RETRY, CopyResult.class));
        }
        try {
            ctx.allOf(copies).await();
        } catch (CompositeTaskFailedException e) {
            // Every task has finished; which ones failed is read from each task below.
        }
        long bytes = 0;
        long copied = 0;
        List<FileProblem> problems = new ArrayList<>();
        List<FileProblem> failures = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
            String path = files.get(i).getPath();
            try {
                CopyResult result = copies.get(i).await();
                if (result.getProblem() == null) {
                    bytes += result.getBytes();
                    copied++;
                } else {
                    problems.add(new FileProblem(path, result.getProblem()));
                }
            } catch (TaskFailedException e) {
                failures.add(new FileProblem(path, "copy failed: " + e.getErrorDetails().getErrorMessage()));
            }
        }
        return new CopySummary(copied, bytes, problems, failures);
    }
}
