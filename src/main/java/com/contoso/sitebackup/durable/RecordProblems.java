package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.fs.FileProblem;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Activity: writes files that failed as a whole to the run's report ({@link ProblemRecord}), one line each with the
 * reason, and returns how many it wrote. A batch it cannot read is written as one line naming the batch. Idempotent:
 * the report's batch key is derived from the record, so a retried or duplicated call adds nothing twice.
 */
public final class RecordProblems {
    public static final String NAME = "RecordProblems";

    private final ManifestStore manifests;
    private final ProblemReport reports;

    /** Used by the Functions worker: the process's services. */
    public RecordProblems() {
        this(AppServices.shared());
    }

    /** With the workers {@code services} builds (the test engines build their own). */
    public RecordProblems(AppServices services) {
        this(ManifestStore.from(services), ProblemReport.from(services));
    }

    public RecordProblems(ManifestStore manifests, ProblemReport reports) {
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** Returns the number of files written to the report, as JSON. */
    @FunctionName(NAME)
    public String run(@DurableActivityTrigger(name = "input") String input) {
        ProblemRecord record = Wire.read(input, ProblemRecord.class, "the input of " + NAME);
        String mismatch = CodeVersion.mismatch(record.codeVersion());
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
        }
        return Wire.write(record(record));
    }

    /** Writes the record's files to the report; returns how many. */
    public long record(ProblemRecord record) {
        String report = manifests.readCard(record.manifest()).path("report").asText(null);
        List<FileProblem> problems = new ArrayList<>();
        if (record.parts().isEmpty()) {
            problems.add(new FileProblem(record.path(), record.reason()));
        }
        for (BatchWork.Part part : record.parts()) {
            List<String> batch;
            try {
                batch = manifests.readPaths(record.manifest(), part.batch());
            } catch (IllegalArgumentException e) {
                problems.add(new FileProblem("(the files of batch " + part.batch() + " of manifest " + record.manifest()
                        + ")", record.reason()));
                continue;
            }
            if (part.isWhole()) {
                batch.forEach(path -> problems.add(new FileProblem(path, record.reason())));
            } else {
                for (int position : part.positions()) {
                    if (position < batch.size()) {
                        problems.add(new FileProblem(batch.get(position), record.reason()));
                    }
                }
            }
        }
        if (report != null) {
            for (int from = 0; from < problems.size(); from += ProblemLog.BATCH) {
                reports.append(report, "failed " + Wire.write(record) + " " + from,
                        problems.subList(from, Math.min(problems.size(), from + ProblemLog.BATCH)));
            }
        }
        return problems.size();
    }
}
