package com.contoso.sitebackup.harness;

import com.contoso.sitebackup.backup.CopyFileToBlob;
import com.contoso.sitebackup.backup.CopyRequest;
import com.contoso.sitebackup.durable.FileOutcome;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for {@link CopyFileToBlob} that reads the file's size and uploads nothing: for measuring what
 * the orchestration costs at sizes where uploading every file would only measure storage.
 */
public final class CountingCopy {
    @FunctionName(CopyFileToBlob.NAME)
    public FileOutcome run(@DurableActivityTrigger(name = "request") CopyRequest request) {
        try {
            return FileOutcome.done(request.getPath(), Files.size(Path.of(request.getRootDirectory(), request.getPath())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
