package com.contoso.sitebackup.fs;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.channels.ClosedChannelException;

/**
 * One open file descriptor, closed once: when {@link #close} is called and no call is using it any more, or when it
 * is no longer reachable. A number that was closed can be given to the next open of the process, so a call on a
 * descriptor that another thread closes meanwhile would reach another file: every use holds it
 * ({@link #use}), and a close waits for the last use to end before the number is released.
 */
final class Descriptor implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** What one use of the descriptor does with its number. */
    interface Use<T> {
        T run(int fd) throws IOException;
    }

    /** The number and who uses it; closes it once. Holds no reference to the descriptor, so it can be cleaned. */
    private static final class State implements Runnable {
        private final int fd;
        private int users;
        private boolean closing;
        private boolean closed;

        State(int fd) {
            this.fd = fd;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            Posix.closeQuietly(fd);
        }
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;

    Descriptor(int fd) {
        this.state = new State(fd);
        this.cleanable = CLEANER.register(this, state);
    }

    /**
     * Runs {@code use} with the number, which stays this file's until it returns.
     *
     * @throws ClosedChannelException when the descriptor was closed
     */
    <T> T use(Use<T> use) throws IOException {
        int fd;
        synchronized (state) {
            if (state.closing) {
                throw new ClosedChannelException();
            }
            state.users++;
            fd = state.fd;
        }
        try {
            return use.run(fd);
        } finally {
            boolean last;
            synchronized (state) {
                last = --state.users == 0 && state.closing;
            }
            if (last) {
                cleanable.clean();
            }
            Reference.reachabilityFence(this);
        }
    }

    boolean isOpen() {
        synchronized (state) {
            return !state.closing;
        }
    }

    /** Closes the descriptor once no use holds it; closing twice does nothing. */
    @Override
    public void close() {
        boolean now;
        synchronized (state) {
            if (state.closing) {
                return;
            }
            state.closing = true;
            now = state.users == 0;
        }
        if (now) {
            cleanable.clean();
        }
    }
}
