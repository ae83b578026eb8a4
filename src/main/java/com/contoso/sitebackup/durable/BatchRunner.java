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
        BatchWork work;
        C card;
        FileWork<E> fileWork;
        List<Item<E>> items;
        try {
            work = Wire.read(json, BatchWork.class, "the input of " + activity);
            String mismatch = CodeVersion.mismatch(work.codeVersion());
            if (mismatch != null) {
                return BatchOutcome.failed(mismatch, false);
            }
            card = manifests.readCard(work.manifest(), cardType);
            fileWork = factory.forCard(card);
            items = items(work);
        } catch (IllegalArgumentException e) {
            return BatchOutcome.failed("refused: " + clip(e.getMessage()), false);
        } catch (RuntimeException e) {
            return BatchOutcome.failed(clip(e.toString()), true);
        }
        return work(work, card, fileWork, items);
    }

    private BatchOutcome work(BatchWork work, C card, FileWork<E> fileWork, List<Item<E>> items) {
        List<Future<FileOutcome>> futures = new ArrayList<>(items.size());
        for (Item<E> item : items) {
            futures.add(transfers.submit(() -> fileWork.apply(item.entry())));
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
            Throwable thrown = null;
            FileOutcome outcome = null;
            try {
                outcome = futures.get(i).get();
            } catch (ExecutionException e) {
                thrown = e.getCause() == null ? e : e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thrown = e;
            }
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

    private record Item<E>(int batch, int position, E entry) {
    }
}
