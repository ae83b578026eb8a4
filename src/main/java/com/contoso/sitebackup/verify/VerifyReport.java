package com.contoso.sitebackup.verify;

import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.fs.FileProblem;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * How a directory compares with its backup: files identical, missing from the backup, extra in the backup
 * (no longer in the directory), and different (size, recorded mtime, or with a content check the MD5); and, with a
 * check of the stored data ({@code readData}), the blob versions read whose MD5 is the recorded one
 * ({@code dataChecked}, {@code dataBytes}) and those damaged or missing ({@code dataDamagedCount}, named in
 * {@code dataDamaged}). Counts are exact; each list names at most {@link #MAX_LISTED} entries so the payload stays
 * small. The output of {@code VerifyBackup}; {@code error} says why a verification could not run at all.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class VerifyReport {
    /** How many entries each list names, at most. */
    public static final int MAX_LISTED = 20;
    /** How a missing file is described among the differences. */
    public static final String MISSING = "missing: in the directory, not in the backup";
    /** How an extra blob is described among the differences. */
    public static final String EXTRA = "extra: in the backup, not in the directory";

    private final long identical;
    private final long missingCount;
    private final long extraCount;
    private final long differentCount;
    private final List<String> missing;
    private final List<String> extra;
    private final List<FileProblem> different;
    private final String error;
    private final long dataChecked;
    private final long dataBytes;
    private final long dataDamagedCount;
    private final List<FileProblem> dataDamaged;

    /** A report without a check of the stored data. */
    public VerifyReport(long identical, long missingCount, long extraCount, long differentCount, List<String> missing,
                        List<String> extra, List<FileProblem> different, String error) {
        this(identical, missingCount, extraCount, differentCount, missing, extra, different, error, 0, 0, 0, List.of());
    }

    @JsonCreator
    public VerifyReport(@JsonProperty("identical") long identical,
                        @JsonProperty("missingCount") long missingCount,
                        @JsonProperty("extraCount") long extraCount,
                        @JsonProperty("differentCount") long differentCount,
                        @JsonProperty("missing") List<String> missing,
                        @JsonProperty("extra") List<String> extra,
                        @JsonProperty("different") List<FileProblem> different,
                        @JsonProperty("error") String error,
                        @JsonProperty("dataChecked") long dataChecked,
                        @JsonProperty("dataBytes") long dataBytes,
                        @JsonProperty("dataDamagedCount") long dataDamagedCount,
                        @JsonProperty("dataDamaged") List<FileProblem> dataDamaged) {
        this.identical = identical;
        this.missingCount = missingCount;
        this.extraCount = extraCount;
        this.differentCount = differentCount;
        this.missing = missing == null ? List.of() : List.copyOf(missing);
        this.extra = extra == null ? List.of() : List.copyOf(extra);
        this.different = different == null ? List.of() : List.copyOf(different);
        this.error = error;
        this.dataChecked = dataChecked;
        this.dataBytes = dataBytes;
        this.dataDamagedCount = dataDamagedCount;
        this.dataDamaged = dataDamaged == null ? List.of() : List.copyOf(dataDamaged);
    }

    /** A report of a verification that could not run. */
    public static VerifyReport rejected(String error) {
        return new VerifyReport(0, 0, 0, 0, List.of(), List.of(), List.of(), error);
    }

    /** A report from full lists (each listed up to {@link #MAX_LISTED}). */
    public static VerifyReport of(long identical, List<String> missing, List<String> extra, List<FileProblem> different) {
        return new VerifyReport(identical, missing.size(), extra.size(), different.size(), cap(missing), cap(extra),
                cap(different), null);
    }

    /** This report with the outcome of content checks: the files checked identical, the others different. */
    public VerifyReport plusChecked(FanOutSummary checked) {
        List<FileProblem> all = new ArrayList<>(getDifferent());
        all.addAll(checked.problems());
        return new VerifyReport(identical + checked.filesDone(), missingCount, extraCount,
                differentCount + checked.problemCount(), missing, extra, cap(all), error, dataChecked, dataBytes,
                dataDamagedCount, dataDamaged);
    }

    /**
     * This report with the outcome of a check of the stored data: the versions read and matching (with their bytes),
     * and those damaged or missing ({@code problems} problems of the listing, such as unreadable manifest lines,
     * counted with them).
     */
    public VerifyReport plusStoredData(long listingProblems, List<FileProblem> listed, FanOutSummary read) {
        List<FileProblem> all = new ArrayList<>(getDataDamaged());
        all.addAll(listed);
        all.addAll(read.failures());
        all.addAll(read.problems());
        return new VerifyReport(identical, missingCount, extraCount, differentCount, missing, extra, different, error,
                dataChecked + read.filesDone(), dataBytes + read.bytesDone(),
                dataDamagedCount + listingProblems + read.problemCount(), cap(all));
    }

    /** Every difference, as the sum of the counts: missing, extra, different, and stored data damaged or missing. */
    public long differenceCount() {
        return missingCount + extraCount + differentCount + dataDamagedCount;
    }

    /** The differences this report names, as problems that say which kind each is: missing, extra, then different. */
    public List<FileProblem> listedDifferences() {
        List<FileProblem> all = new ArrayList<>();
        getMissing().forEach(path -> all.add(new FileProblem(path, MISSING)));
        getExtra().forEach(path -> all.add(new FileProblem(path, EXTRA)));
        all.addAll(getDifferent());
        all.addAll(getDataDamaged());
        return all;
    }

    /**
     * The first {@link #MAX_LISTED}, each cut to a line ({@link FileProblem#clipped}): a report's size never grows
     * with the paths it names.
     */
    @SuppressWarnings("unchecked")
    private static <T> List<T> cap(List<T> list) {
        return list.stream().limit(MAX_LISTED).map(item -> (T) (item instanceof FileProblem problem ? problem.clipped()
                : item instanceof String path ? new FileProblem(path, "").clipped().getPath() : item)).toList();
    }

    public long getIdentical() {
        return identical;
    }

    public long getMissingCount() {
        return missingCount;
    }

    public long getExtraCount() {
        return extraCount;
    }

    public long getDifferentCount() {
        return differentCount;
    }

    /** Files in the directory with no blob. */
    public List<String> getMissing() {
        return missing == null ? List.of() : missing;
    }

    /** Blobs with no file in the directory. */
    public List<String> getExtra() {
        return extra == null ? List.of() : extra;
    }

    /** Files whose blob differs, with how. */
    public List<FileProblem> getDifferent() {
        return different == null ? List.of() : different;
    }

    public String getError() {
        return error;
    }

    /** Blob versions read by a check of the stored data whose MD5 is the one the snapshot recorded. */
    public long getDataChecked() {
        return dataChecked;
    }

    /** The bytes of those versions. */
    public long getDataBytes() {
        return dataBytes;
    }

    /** Entries whose stored data is damaged or missing, exact. */
    public long getDataDamagedCount() {
        return dataDamagedCount;
    }

    /** The first entries whose stored data is damaged or missing, with why. */
    public List<FileProblem> getDataDamaged() {
        return dataDamaged == null ? List.of() : dataDamaged;
    }
}
