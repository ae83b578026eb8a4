package com.contoso.sitebackup.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WalkAheadTest {
    /** Records what it is handed, in order, as "kind path". */
    private static final class Recording implements FileWalk.Visitor {
        final List<String> seen = new ArrayList<>();

        @Override
        public void file(FileEntry file) {
            seen.add("file " + file.getPath());
        }

        @Override
        public void problem(FileProblem problem) {
            seen.add("problem " + problem.getPath());
        }

        @Override
        public void directory(FileEntry directory) {
            seen.add("directory " + directory.getPath());
        }

        @Override
        public void note(FileProblem note) {
            seen.add("note " + note.getPath());
        }
    }

    private static FileEntry entry(String path) {
        return new FileEntry(path, 1, 1);
    }

    @Test
    void walk_visitorNotReady_entriesHeldThenHandedOnInOrderWhenReady() {
        Recording visitor = new Recording();
        AtomicBoolean ready = new AtomicBoolean();
        WalkAhead ahead = new WalkAhead(visitor, ready::get, 100);

        ahead.directory(entry("a"));
        ahead.file(entry("a/1"));
        ahead.problem(new FileProblem("a/2", "unreadable"));
        ahead.note(new FileProblem("a/3", "xattrs"));

        assertEquals(List.of(), visitor.seen, "held while the visitor would wait");
        assertEquals(4, ahead.held());
        ready.set(true);
        ahead.file(entry("a/4"));
        assertEquals(List.of("directory a", "file a/1", "problem a/2", "note a/3", "file a/4"), visitor.seen);
        assertEquals(0, ahead.held());
        ahead.file(entry("a/5"));
        assertEquals("file a/5", visitor.seen.get(5), "once ready, handed on as it comes");
    }

    @Test
    void walk_neverReady_holdsAtMostTheLimitThenHandsOnAsItComes() {
        Recording visitor = new Recording();
        WalkAhead ahead = new WalkAhead(visitor, () -> false, 3);

        ahead.file(entry("1"));
        ahead.file(entry("2"));
        assertEquals(2, ahead.held());
        ahead.file(entry("3"));
        assertEquals(List.of("file 1", "file 2", "file 3"), visitor.seen, "the limit reached: handed on");
        ahead.file(entry("4"));
        assertEquals(0, ahead.held(), "and from then on not held, the visitor waits as it would have");
        assertEquals(4, visitor.seen.size());
    }

    @Test
    void finish_walkEndedBeforeTheVisitorWasReady_everyHeldEntryHandedOn() {
        Recording visitor = new Recording();
        WalkAhead ahead = new WalkAhead(visitor, () -> false, 10);
        ahead.file(entry("1"));
        ahead.link(entry("2"));

        ahead.finish();

        assertEquals(List.of("file 1", "problem 2"), visitor.seen, "a link goes to the visitor's own link()");
    }

    @Test
    void new_limitBelowOne_refused() {
        assertThrows(IllegalArgumentException.class, () -> new WalkAhead(new Recording(), () -> true, 0));
    }
}
