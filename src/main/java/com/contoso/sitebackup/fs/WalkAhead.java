package com.contoso.sitebackup.fs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Lets a walk run ahead of a visitor that would wait: until {@code ready} says yes, what the walk finds is held, in
 * order, up to {@code limit} entries, then handed on to the visitor, in the same order, when it is ready or the limit
 * is reached (the visitor then waits as it would have). A backup's visitor waits for the listing's first page to
 * decide its first file; held, the walk reads the tree while the service answers, and memory holds at most
 * {@code limit} entries more. {@link #finish} hands on what is still held once the walk has ended.
 */
public final class WalkAhead implements FileWalk.Visitor {
    private final FileWalk.Visitor visitor;
    private final BooleanSupplier ready;
    private final int limit;
    private final Deque<Consumer<FileWalk.Visitor>> held = new ArrayDeque<>();
    private boolean passing;

    /**
     * @param visitor what the walk's entries go to, in the walk's order
     * @param ready whether the visitor can take them now without waiting
     * @param limit the most entries held, at least 1
     */
    public WalkAhead(FileWalk.Visitor visitor, BooleanSupplier ready, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        }
        this.visitor = Objects.requireNonNull(visitor, "visitor");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.limit = limit;
    }

    @Override
    public void file(FileEntry file) {
        take(to -> to.file(file));
    }

    @Override
    public void problem(FileProblem problem) {
        take(to -> to.problem(problem));
    }

    @Override
    public void directory(FileEntry directory) {
        take(to -> to.directory(directory));
    }

    @Override
    public void link(FileEntry link) {
        take(to -> to.link(link));
    }

    @Override
    public void special(FileEntry special) {
        take(to -> to.special(special));
    }

    @Override
    public void note(FileProblem note) {
        take(to -> to.note(note));
    }

    /** Hands on what is held; from now on every entry goes to the visitor as it comes. */
    public void finish() {
        passing = true;
        for (Consumer<FileWalk.Visitor> event = held.poll(); event != null; event = held.poll()) {
            event.accept(visitor);
        }
    }

    /** How many entries are held now. */
    int held() {
        return held.size();
    }

    private void take(Consumer<FileWalk.Visitor> event) {
        if (passing) {
            event.accept(visitor);
            return;
        }
        held.add(event);
        if (held.size() >= limit || ready.getAsBoolean()) {
            finish();
        }
    }
}
