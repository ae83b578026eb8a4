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
import java.time.Instant;

/**
 * The verify orchestrator: compares a directory with a backup snapshot (the latest unless the request names one by
 * {@code snapshot} or {@code asOf}) and returns a {@link VerifyReport} (missing, extra, different, identical). It
 * uploads and writes nothing but its problem report. {@link CompareBackup} settles what the manifest can (folders,
 * links and attributes too); with {@code compareContent}, files equal by their attributes are checked by content, one
 * {@link CheckFileContent} per batch of files against the MD5 the snapshot recorded ({@link FanOut#batches}). A
 * backup with no snapshot, or a request that names none, ends FAILED, naming the field. The custom status
 * ({@link JobProgress}, phase CHECKING then an end) counts the content checks planned and done, the files found
 * identical ({@code filesUnchanged}) and every difference ({@code problemCount}, exact; the first ones named). Every
 * path that ends a run logs the completion event ({@link JobLog#completed}) through {@code context}, this
 * invocation's logger.
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

        FanOutSummary checked = FanOut.batches(ctx, CheckFileContent.NAME, request.getCodeVersion(), toCheck.manifest(),
                toCheck.batchCount(), soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        JobProgress status = planned.plus(checked).finished(JobKind.VERIFY, checked.failures());
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.VERIFY, started, status);
        return byListing.plusChecked(checked);
    }


    private static VerifyReport rejected(TaskOrchestrationContext ctx, ExecutionContext context, Instant started,
                                         String reason, String report) {
        JobProgress status = JobProgress.rejected(JobKind.VERIFY, reason, report);
        ctx.setCustomStatus(status);
        JobLog.completed(ctx, context, JobKind.VERIFY, started, status);
        return VerifyReport.rejected(reason);
    }
}
