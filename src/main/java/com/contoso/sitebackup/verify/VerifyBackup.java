package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobKind;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.Wire;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import com.contoso.sitebackup.fs.FileProblem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The verify orchestrator: compares a directory with a backup snapshot (the latest unless the request names one by
 * {@code snapshot} or {@code asOf}) and returns a {@link VerifyReport} (missing, extra, different, identical). It
 * uploads and writes nothing but its problem report. {@link CompareBackup} settles what the manifest can (folders,
 * links and attributes too); with {@code compareContent}, files equal by their attributes are checked by content, one
 * {@link CheckFileContent} per batch of files against the MD5 the snapshot recorded ({@link FanOut#batches}). With
 * {@code readData} it then checks the stored data, without the source: {@link ListStoredData} lists the blob versions
 * the same snapshot references, one {@link CheckStoredData} per batch downloads them and compares each with the
 * recorded MD5 (a {@code readData} request without a {@code rootDirectory} does only this). A backup with no snapshot,
 * or a request that names none, ends FAILED, naming the field. The custom status ({@link JobProgress}, phase CHECKING
 * then an end) counts the content checks and reads planned and done, the files found identical
 * ({@code filesUnchanged}) and every difference ({@code problemCount}, exact; the first ones named). Every path that
 * ends a run logs the completion event ({@link JobLog#completed}) through {@code context}, this invocation's logger.
 */
public final class VerifyBackup {
    public static final String NAME = "VerifyBackup";

    @FunctionName(NAME)
    public VerifyReport run(@DurableOrchestrationTrigger(name = "ctx") TaskOrchestrationContext ctx,
                    ExecutionContext context) {
        Instant started = ctx.getCurrentInstant();
        String report = ProblemReport.nameFor(ctx.getInstanceId(), started);
        VerifyRequest request;
        try {
            request = Wire.read(ctx.getInput(JsonNode.class), VerifyRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return rejected(ctx, context, started, e.getMessage(), report);
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        if (mismatch != null) {
            return rejected(ctx, context, started, mismatch, report);
        }
        ctx.setCustomStatus(JobProgress.listing(report));
        VerifyReport result = VerifyReport.of(0, List.of(), List.of(), List.of());
        JobProgress status = JobProgress.planned(JobKind.VERIFY, new JobPlan(null, null, 0, 0, 0, 0, 0, 0, List.of(), null,
                null), report);
        List<FileProblem> failures = new ArrayList<>();
        if (request.getRootDirectory() != null) {
            VerifyPlan plan;
            try {
                plan = FanOut.call(ctx, CompareBackup.NAME, request.withReport(report), VerifyPlan.class);
            } catch (FanOut.Failed e) {
                return rejected(ctx, context, started, "the listing failed: " + e.getMessage(), report);
            }
            VerifyReport byListing = plan.getReport();
            if (byListing == null || byListing.getError() != null || plan.getToCheck() == null) {
                return rejected(ctx, context, started,
                        byListing == null ? "the listing returned no report" : byListing.getError(), report);
            }
            JobPlan toCheck = plan.getToCheck();
            JobPlan withDifferences = new JobPlan(toCheck.directory(), toCheck.manifest(), toCheck.batchCount(),
                    toCheck.filesPlanned(), toCheck.bytesPlanned(), byListing.getIdentical(), 0,
                    byListing.differenceCount(), byListing.listedDifferences(), null, toCheck.snapshot());
            JobProgress planned = JobProgress.planned(JobKind.VERIFY, withDifferences, report)
                    .withSnapshot(toCheck.snapshot());
            ctx.setCustomStatus(planned);

            FanOutSummary checked = FanOut.batches(ctx, CheckFileContent.NAME, request.getCodeVersion(),
                    toCheck.manifest(), toCheck.batchCount(), soFar -> ctx.setCustomStatus(planned.plus(soFar)));
            status = planned.plus(checked);
            failures.addAll(checked.failures());
            result = byListing.plusChecked(checked);
            // The stored data read below is the same snapshot's, whatever a backup wrote meanwhile.
            request = request.withSnapshot(toCheck.snapshot());
        }
        if (request.isReadData()) {
            JobPlan data;
            try {
                data = FanOut.call(ctx, ListStoredData.NAME, request.withReport(report), JobPlan.class);
            } catch (FanOut.Failed e) {
                return rejected(ctx, context, started, "the listing of the stored data failed: " + e.getMessage(),
                        report);
            }
            if (data.error() != null) {
                return rejected(ctx, context, started, data.error(), report);
            }
            JobProgress reading = status.plusPlanned(data).withSnapshot(data.snapshot());
            ctx.setCustomStatus(reading);
            FanOutSummary read = FanOut.batches(ctx, CheckStoredData.NAME, request.getCodeVersion(), data.manifest(),
                    data.batchCount(), soFar -> ctx.setCustomStatus(reading.plus(soFar)));
            status = reading.plus(read);
            failures.addAll(read.failures());
            result = result.plusStoredData(data.problemCount(), data.problems(), read);
        }
        status = status.finished(JobKind.VERIFY, failures);
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.VERIFY, started, status);
        return result;
    }


    private static VerifyReport rejected(TaskOrchestrationContext ctx, ExecutionContext context, Instant started,
                                         String reason, String report) {
        JobProgress status = JobProgress.rejected(JobKind.VERIFY, reason, report);
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.VERIFY, started, status);
        return VerifyReport.rejected(reason);
    }
}
