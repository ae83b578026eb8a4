package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.text.Printable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The body of every batch activity: reads its {@link BatchWork} (strictly, {@link Wire}), checks the code version,
 * reads the job card and the batches it names, works on their files in parallel on the process's transfer pool
 * (shared by every batch activity of the worker, so concurrency is bounded per process however many batches run at
 * once), writes every problem, warning and failure to the run's report, and returns a {@link BatchOutcome}.
 *
 * <p>How a file's work ends decides what becomes of it: a {@link FileOutcome} is done, done with a warning, or a
 * problem; an {@code IllegalArgumentException} is a refused value (a problem, never retried); any other exception may
 * pass with time, so the file is handed back for the next round, or, on the last attempt, is a failure. Nothing is
 * thrown for a file or for the input as a whole: an activity that throws stores the worker's whole stack trace in
 * the history, and the Functions middleware would replace its message with a generic one.
 *
 * <p>Work whose files share a step (a restore forces a batch's files to disk together, then renames them) is an
 * {@link InputWork}: it gets every file of the input at once, with the transfer pool, and answers one
 * {@link Result} per file, judged as above.
 *
 * @param <C> the job card's type
 * @param <E> the type of the batches' entries
 */
public final class BatchRunner<C extends JobCard, E> {
    /** The work on one file of a batch, for the job whose card it was made from. */
    @FunctionalInterface
    public interface FileWork<E> {
        FileOutcome apply(E entry) throws Exception;
    }

    /** Makes the work for one input from the job's card; may refuse the card (IllegalArgumentException). */
    @FunctionalInterface
    public interface WorkFactory<C, E> {
        FileWork<E> forCard(C card);
    }

    /**
     * The work on every file of one input at once, for work with a step its files share: one {@link Result} per item,
     * in the order given, each judged as a {@link FileWork}'s outcome or exception is. Files run in parallel on
     * {@code transfers}, as the work chooses; it must not wait on the pool from inside a task of it.
     */
    @FunctionalInterface
    public interface InputWork<E> {
        List<Result> apply(List<Item<E>> items, ExecutorService transfers);
    }

    /** Makes the work for one input from the job's card and the input itself; may refuse the card. */
    @FunctionalInterface
    public interface InputWorkFactory<C, E> {
        InputWork<E> forInput(C card, BatchWork work);
    }

    /** How one file's work ended: its outcome, or what it threw. */
    public record Result(FileOutcome outcome, Throwable thrown) {
        public static Result of(FileOutcome outcome) {
            return new Result(outcome, null);
        }

        public static Result thrown(Throwable thrown) {
            return new Result(null, thrown);
        }
    }

    /** One file of an input: its batch, its position in the batch, and its entry. */
    public record Item<E>(int batch, int position, E entry) {
    }

    private final String activity;
    private final Class<C> cardType;
    private final Class<E> entryType;
    private final Function<E, String> pathOf;
    private final ManifestStore manifests;
    private final ProblemReport reports;
    private final ExecutorService transfers;

    public BatchRunner(String activity, Class<C> cardType, Class<E> entryType, Function<E, String> pathOf,
                       ManifestStore manifests, ProblemReport reports, ExecutorService transfers) {
        this.activity = Objects.requireNonNull(activity, "activity");
        this.cardType = Objects.requireNonNull(cardType, "cardType");
        this.entryType = Objects.requireNonNull(entryType, "entryType");
        this.pathOf = Objects.requireNonNull(pathOf, "pathOf");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.transfers = Objects.requireNonNull(transfers, "transfers");
    }

    /** Runs the input {@code json} through {@code factory}'s work; the outcome as JSON. */
    public String run(String json, WorkFactory<C, E> factory) {
        return Wire.write(outcome(json, factory));
    }

    /** Runs the input {@code json} through {@code factory}'s work. */
    public BatchOutcome outcome(String json, WorkFactory<C, E> factory) {
        return inputOutcome(json, (card, work) -> eachFile(factory.forCard(card)));
    }

    /** Runs the input {@code json} through {@code factory}'s work on the whole input; the outcome as JSON. */
    public String runInput(String json, InputWorkFactory<C, E> factory) {
        return Wire.write(inputOutcome(json, factory));
    }

    /** Runs the input {@code json} through {@code factory}'s work on the whole input. */
    public BatchOutcome inputOutcome(String json, InputWorkFactory<C, E> factory) {
        BatchWork work;
        C card;
        InputWork<E> inputWork;
        List<Item<E>> items;
        try {
            work = Wire.read(json, BatchWork.class, "the input of " + activity);
            String mismatch = CodeVersion.mismatch(work.codeVersion());
            if (mismatch != null) {
                return BatchOutcome.failed(mismatch, false);
            }
            card = manifests.readCard(work.manifest(), cardType);
            inputWork = factory.forInput(card, work);
            items = items(work);
        } catch (IllegalArgumentException e) {
            return BatchOutcome.failed("refused: " + clip(e.getMessage()), false);
        } catch (RuntimeException e) {
            return BatchOutcome.failed(clip(e.toString()), true);
        }
        List<Result> results;
        try {
            results = inputWork.apply(items, transfers);
        } catch (RuntimeException e) {
            // The work on the whole input failed before it judged each file: every file may do better next round.
            Result failed = Result.thrown(e);
            results = java.util.Collections.nCopies(items.size(), failed);
        }
        return work(work, card, items, results);
    }

    /** The work on each file of an input on its own, in parallel on the pool. */
    public static <E> InputWork<E> eachFile(FileWork<E> fileWork) {
        return (items, pool) -> {
            List<Future<FileOutcome>> futures = new ArrayList<>(items.size());
            for (Item<E> item : items) {
                futures.add(pool.submit(() -> fileWork.apply(item.entry())));
            }
            List<Result> results = new ArrayList<>(items.size());
            for (Future<FileOutcome> future : futures) {
                results.add(settle(future));
            }
            return results;
        };
    }

    /** How the task of {@code future} ended, once it has. */
    public static Result settle(Future<FileOutcome> future) {
        try {
            return Result.of(future.get());
        } catch (ExecutionException e) {
            return Result.thrown(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.thrown(e);
        }
    }

    private BatchOutcome work(BatchWork work, C card, List<Item<E>> items, List<Result> results) {
        if (results == null || results.size() != items.size()) {
            Result missing = Result.thrown(new IllegalStateException("the work answered " + (results == null ? "no"
                    : results.size()) + " results for " + items.size() + " files"));
            results = java.util.Collections.nCopies(items.size(), missing);
        }
        long done = 0;
        long bytes = 0;
        long problemCount = 0;
        long warningCount = 0;
        List<FileProblem> problems = new ArrayList<>();
        List<FileProblem> failures = new ArrayList<>();
        Map<Integer, List<Integer>> retry = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item<E> item = items.get(i);
            String path = pathOf.apply(item.entry());
            Result result = results.get(i) == null ? Result.thrown(null) : results.get(i);
            Throwable thrown = result.thrown();
            FileOutcome outcome = result.outcome();
            if (outcome == null && thrown == null) {
                thrown = new IllegalStateException("the work returned no outcome");
            }
            if (thrown instanceof IllegalArgumentException) {
                problemCount++;
                problems.add(new FileProblem(path, "refused: " + clip(thrown.getMessage())));
            } else if (thrown != null) {
                if (work.last()) {
                    failures.add(new FileProblem(path, "failed after " + work.attempt() + " attempt(s): "
                            + clip(thrown.getMessage() != null ? thrown.getMessage() : thrown.toString())));
                } else {
                    retry.computeIfAbsent(item.batch(), b -> new ArrayList<>()).add(item.position());
                }
            } else if (outcome.isDone()) {
                done++;
                bytes += outcome.getBytes();
                if (outcome.getWarning() != null) {
                    warningCount++;
                    problems.add(new FileProblem(path, outcome.getWarning()));
                }
            } else {
                problemCount++;
                problems.add(new FileProblem(path, outcome.getProblem()));
            }
        }
        boolean reportUnwritten = false;
        List<FileProblem> all = new ArrayList<>(failures);
        all.addAll(problems);
        if (card.report() != null && !all.isEmpty()) {
            try {
                for (int from = 0; from < all.size(); from += ProblemLog.BATCH) {
                    reports.append(card.report(), activity + " " + Wire.write(work) + " " + from,
                            all.subList(from, Math.min(all.size(), from + ProblemLog.BATCH)));
                }
            } catch (RuntimeException e) {
                reportUnwritten = true;
            }
        }
        List<BatchWork.Part> retryParts = new ArrayList<>();
        retry.forEach((batch, positions) -> retryParts.add(new BatchWork.Part(batch, positions)));
        return new BatchOutcome(done, bytes, problemCount, warningCount, failures.size(), problems, failures,
                retryParts, null, false, reportUnwritten);
    }

    /** The files {@code work} names, each with its batch and position, in order. */
    private List<Item<E>> items(BatchWork work) {
        Map<Integer, List<E>> batches = new HashMap<>();
        List<Item<E>> items = new ArrayList<>();
        for (BatchWork.Part part : work.parts()) {
            List<E> batch = batches.computeIfAbsent(part.batch(),
                    b -> manifests.readBatch(work.manifest(), b, entryType));
            if (part.isWhole()) {
                for (int position = 0; position < batch.size(); position++) {
                    items.add(new Item<>(part.batch(), position, batch.get(position)));
                }
            } else {
                for (int position : part.positions()) {
                    if (position >= batch.size()) {
                        throw new IllegalArgumentException("batch " + part.batch() + " of manifest " + work.manifest()
                                + " has no position " + position);
                    }
                    items.add(new Item<>(part.batch(), position, batch.get(position)));
                }
            }
        }
        return items;
    }

    private static String clip(String text) {
        String line = Printable.quote(text == null ? "" : text.lines().findFirst().orElse(""));
        return line.length() <= FileProblem.MAX_TEXT ? line : line.substring(0, FileProblem.MAX_TEXT) + "...";
    }
}
