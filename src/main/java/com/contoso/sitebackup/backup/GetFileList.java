package com.contoso.sitebackup.backup;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.snapshot.SnapshotInfo;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.time.Instant;
import java.util.Objects;

/**
 * Activity: lists the files a backup will copy (see {@link BackupPlanner}). Takes the run's {@link BackupRequest}
 * and answers its {@link JobPlan}, both as JSON text; a request it refuses is a rejected plan, never an exception.
 *
 * <p>A run that finds nothing to copy (an unchanged tree) is sealed here, as {@link SealSnapshot} would seal it after
 * the copies ({@link SnapshotSealer}, which returns the snapshot already written when this is delivered again), and
 * the plan names its snapshot ({@link JobPlan#snapshot}): the orchestrator then schedules no seal of its own, so an
 * unchanged re-run costs one activity, not two. A snapshot that holds no content for some entries is left to the
 * orchestrator's seal, which checks those against the run's problems (it reads the snapshot already written).
 */
public final class GetFileList {
    public static final String NAME = "GetFileList";

    private final BackupPlanner planner;
    private final SnapshotSealer sealer;

    /** Used by the Functions worker: the process's services. */
    public GetFileList() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public GetFileList(AppServices services) {
        this(BackupPlanner.from(services), SnapshotSealer.from(services));
    }

    public GetFileList(BackupPlanner planner, SnapshotSealer sealer) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        return Wire.write(plan(input));
    }

    /** The plan for the request {@code input} holds. */
    JobPlan plan(String input) {
        BackupRequest request;
        try {
            request = Wire.read(input, BackupRequest.class, "the input of " + NAME);
        } catch (IllegalArgumentException e) {
            return JobPlan.rejected(e.getMessage());
        }
        String mismatch = CodeVersion.mismatch(request.getCodeVersion());
        if (mismatch != null) {
            return JobPlan.rejected(mismatch);
        }
        JobPlan plan = planner.plan(request);
        if (plan.error() != null || plan.batchCount() > 0 || !request.takesSnapshot()
                || request.getInstanceId() == null) {
            return plan;
        }
        SnapshotInfo sealed = sealer.seal(BackupJob.of(request), request.getInstanceId(), Instant.now().toString());
        return sealed.getMissing() == 0 ? plan.withSnapshot(sealed.getId()) : plan;
    }
}
