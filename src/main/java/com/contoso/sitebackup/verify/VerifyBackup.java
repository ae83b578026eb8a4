package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FanOut;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.JobKind;
import com.contoso.sitebackup.durable.JobLog;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.SliceRequest;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.TaskFailedException;
import com.microsoft.durabletask.TaskOrchestrationContext;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.time.Instant;

/**
 * The verify orchestrator: compares a directory with its backup and returns a {@link VerifyReport} (missing,
 * extra, different, identical). It uploads and writes nothing but its problem report. {@link CompareBackup}
 * settles what listings can; with {@code compareContent}, files of equal size are checked by content, one
 * {@link CheckFileContent} per file against the Content-MD5 its blob had in the listing, in
 * {@link VerifySlice} sub-orchestrations for a large tree. A request for a backup snapshot ({@code snapshot} or
 * {@code asOf}) is compared with that snapshot's manifest instead (folders, links and attributes too, content against
 * the MD5 it recorded); one that names no snapshot ends FAILED, naming the field. The custom status ({@link JobProgress}, phase
 * CHECKING then an end) counts the content checks planned and done, the files the listings found identical
 * ({@code filesUnchanged}) and every difference ({@code problemCount}, exact; the first ones named). Every
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
        VerifyRequest request = ctx.getInput(VerifyRequest.class);
        if (request == null) {
            return rejected(ctx, context, started, "the input must be a verify request", report);
        }
        ctx.setCustomStatus(JobProgress.listing(report));
        VerifyPlan plan;
        try {
            plan = FanOut.call(ctx, CompareBackup.NAME, request.withReport(report), VerifyPlan.class);
        } catch (TaskFailedException e) {
            return rejected(ctx, context, started, "the listing failed: " + e.getErrorDetails().getErrorMessage(), report);
        }
        VerifyReport byListing = plan.getReport();
        if (byListing == null || byListing.getError() != null || plan.getToCheck() == null) {
            return rejected(ctx, context, started,
                    byListing == null ? "the listing returned no report" : byListing.getError(), report);
        }
        JobPlan toCheck = plan.getToCheck();
        JobPlan withDifferences = new JobPlan(toCheck.getDirectory(), toCheck.getFiles(), toCheck.getManifest(),
                toCheck.getSliceCount(), toCheck.getFilesPlanned(), toCheck.getBytesPlanned(), byListing.getIdentical(), 0,
                byListing.differenceCount(), byListing.listedDifferences(), null);
        JobProgress planned = JobProgress.planned(JobKind.VERIFY, withDifferences, report);
        ctx.setCustomStatus(planned);

        SliceRequest slices = SliceRequest.of(toCheck.getManifest(), toCheck.getDirectory(), request.getContainer(),
                request.getBlobPrefix(), false, report);
        FanOutSummary checked = toCheck.getManifest() == null
                ? FanOut.files(ctx, CheckFileContent.NAME,
                        toCheck.getFiles().stream().map(file -> ContentCheck.of(slices, file)).toList(),
                        ContentCheck::getPath, report, "inline")
                : FanOut.slices(ctx, VerifySlice.NAME, slices, toCheck.getSliceCount(),
                        soFar -> ctx.setCustomStatus(planned.plus(soFar)));
        JobProgress status = planned.plus(checked).finished(JobKind.VERIFY, checked.getFailures());
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
