package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;

import java.util.List;

/**
 * What a batch activity did with the files of one {@link BatchWork}: the result of every batch activity.
 * <ul>
 *   <li>{@code filesDone}, {@code bytesDone}: files copied, restored or checked, and their bytes;</li>
 *   <li>{@code problemCount}: files not done for a reason another try would not change (written to the report);</li>
 *   <li>{@code warningCount}: files done with something to list about them (written to the report);</li>
 *   <li>{@code failureCount}: files that failed on the last attempt (written to the report);</li>
 *   <li>{@code problems}: the first few problems and warnings, {@code failures} the first few failures, for the
 *       status;</li>
 *   <li>{@code retry}: the files that failed in a way time may mend, to try again in the next round (never on the
 *       last attempt);</li>
 *   <li>{@code error}: set when the input as a whole could not be worked on (its batch unreadable, a refused input),
 *       with {@code retriable} saying whether another round may help; the counts are then 0;</li>
 *   <li>{@code reportUnwritten}: the report could not take this batch's problems (they are counted all the same).</li>
 * </ul>
 * Its size is bounded whatever happened: {@code problems} and {@code failures} hold at most {@link #MAX_LISTED} entries each, each cut to a
 * line ({@link FileProblem#clipped}), and {@code retry} names at most the files of one input.
 */
public record BatchOutcome(long filesDone, long bytesDone, long problemCount, long warningCount, long failureCount,
                           List<FileProblem> problems, List<FileProblem> failures, List<BatchWork.Part> retry,
                           String error, boolean retriable, boolean reportUnwritten) {
    /** How many problems an outcome names. */
    public static final int MAX_LISTED = 5;

    public BatchOutcome {
        if (filesDone < 0 || bytesDone < 0 || problemCount < 0 || warningCount < 0 || failureCount < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        problems = FanOutSummary.first(problems);
        failures = FanOutSummary.first(failures);
        retry = retry == null ? List.of() : List.copyOf(retry);
    }

    /** An input that could not be worked on as a whole. */
    public static BatchOutcome failed(String error, boolean retriable) {
        return new BatchOutcome(0, 0, 0, 0, 0, List.of(), List.of(), List.of(), error == null ? "failed" : error,
                retriable, false);
    }
}
