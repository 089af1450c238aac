package dev.junction.core.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Writes a response to a server output that says when it can take more (Servlet's non-blocking output, say), for an
 * adapter: Junction's writes and the server's "ready again" callbacks come from different threads, and this decides
 * whose turn it is. One thread at a time writes to the output, never under this object's monitor: servers call back
 * holding locks of their own (Tomcat its processor's), so a call into the server under the monitor could deadlock
 * against them. A write is taken by the thread that finds no turn running, or by the server's next {@link #ready()}
 * when the output said it was full; the write's callback completes once its bytes are out, so Junction demands the
 * next piece only then: back-pressure from the client to the backend.
 *
 * <p>The adapter implements {@link Output}; {@link #write}, {@link #ready()}, {@link #failed} and {@link #abort} may
 * be called from any thread.
 */
public final class WriteTurns {

    /** What one turn of writing came to. */
    public enum Step {
        /** The output is full: the server calls {@link #ready()} when it can take more. */
        AWAIT,
        /** The piece is written and flushed. */
        WROTE,
        /** The last piece is written: the response is complete. */
        FINISHED,
        /** The output failed. */
        FAILED
    }

    /** The server's output, touched only by the thread whose turn it is. */
    public interface Output {

        /**
         * Readies the output before its first bytes (the response head, the listener that calls {@link #ready()});
         * returns {@link Step#AWAIT} when the server calls {@link #ready()} next.
         *
         * @return {@link Step#AWAIT}: the first piece is written once the server calls {@link #ready()}
         * @throws IOException if the output failed; the write fails and the exchange is aborted
         */
        Step start() throws IOException;

        /**
         * Writes {@code content} (and flushes it) while the output takes it: {@link Step#WROTE},
         * {@link Step#FINISHED} once the last piece is out whole, or {@link Step#AWAIT} when it is full.
         *
         * @param content the bytes to write, from its position; what the output took is consumed
         * @param last whether this is the last piece of the response
         * @return how far the write came; after {@link Step#AWAIT} it is called again with what remains
         * @throws IOException if the output failed; the write fails and the exchange is aborted
         */
        Step write(ByteBuffer content, boolean last) throws IOException;

        /** The response is complete: ends the server's exchange. */
        void finished();

        /**
         * Ends the exchange so that the client cannot take what it got for a whole response: closes it.
         *
         * @param cause why the exchange ends
         */
        void abort(Throwable cause);
    }

    private final Output output;

    // Guarded by this.
    private boolean started;
    /** Whether a thread is writing to the output now; only one ever does, and never under the monitor. */
    private boolean running;
    /** Whether the server calls {@link #ready()} next: the output said it was full. */
    private boolean awaitingServer;
    /** Whether {@link #ready()} came while a turn was running: it goes on rather than stop. */
    private boolean wakeup;
    /** An abort asked for while a turn was running, for that turn to carry out. */
    private @Nullable Throwable abortCause;
    private @Nullable ByteBuffer pending;
    private boolean pendingLast;
    private @Nullable WriteCallback pendingCallback;
    private boolean done;

    /**
     * Creates the turns of one response.
     *
     * @param output the server's output, written only by the thread whose turn it is
     * @throws NullPointerException if {@code output} is null
     */
    public WriteTurns(Output output) {
        this.output = Objects.requireNonNull(output, "output");
    }

    /**
     * Writes a piece of the response, the last when {@code last}; {@code callback} says when it is out. Junction
     * makes the next write only after the callback of this one; after {@link #failed} or {@link #abort} the callback
     * fails at once.
     *
     * @param last whether this is the last piece, which completes the response
     * @param content the bytes, from its position to its limit
     * @param callback succeeds once the piece is written, or fails with the output's failure
     */
    public void write(boolean last, ByteBuffer content, WriteCallback callback) {
        boolean closed;
        synchronized (this) {
            closed = done;
            if (!closed) {
                pending = content;
                pendingLast = last;
                pendingCallback = callback;
                if (running || awaitingServer) {
                    // The turn at work, or the server's next ready(), takes it.
                    return;
                }
                running = true;
            }
        }
        if (closed) {
            callback.failed(new IOException("client connection closed"));
        } else {
            run();
        }
    }

    /** The server's output can take more again: the write waiting for it goes on. */
    public void ready() {
        synchronized (this) {
            awaitingServer = false;
            if (running) {
                // The turn at work asked the output and has not stopped yet: it goes on instead.
                wakeup = true;
                return;
            }
            if (pendingCallback == null || done) {
                return;
            }
            running = true;
        }
        run();
    }

    /**
     * The server's output failed (the client has gone): the write waiting, if any, fails, and no more is taken.
     *
     * @param failure what the server reported, handed to the waiting write's callback
     */
    public void failed(Throwable failure) {
        WriteCallback callback;
        synchronized (this) {
            callback = pendingCallback;
            clearPending();
            done = true;
        }
        if (callback != null) {
            callback.failed(failure);
        }
    }

    /**
     * Ends the exchange abnormally, by the one thread that may touch the output: now, or when the turn ends.
     * Only the first abort, and none after the response finished or failed, reaches {@link Output#abort}.
     *
     * @param cause why the exchange ends
     */
    public void abort(Throwable cause) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            if (running) {
                // The turn at work is using the output: it carries the abort out when it ends.
                abortCause = cause;
                return;
            }
        }
        output.abort(cause);
    }

    /** Writes what is pending, as the one thread allowed to touch the output, until it is out or the output is full. */
    private void run() {
        while (true) {
            boolean start;
            ByteBuffer content;
            boolean last;
            WriteCallback orphan;
            Throwable abortAsked;
            synchronized (this) {
                content = pending;
                if (done || content == null) {
                    // Aborted or failed while this turn went round again.
                    orphan = pendingCallback;
                    clearPending();
                    abortAsked = stopRunning();
                    start = false;
                    last = false;
                    content = null;
                } else {
                    orphan = null;
                    abortAsked = null;
                    start = !started;
                    started = true;
                    last = pendingLast;
                    wakeup = false;
                }
            }
            if (content == null) {
                if (abortAsked != null) {
                    output.abort(abortAsked);
                }
                if (orphan != null) {
                    orphan.failed(new IOException("exchange aborted"));
                }
                return;
            }
            Step step;
            Throwable failure = null;
            try {
                step = start ? output.start() : output.write(content, last);
            } catch (IOException | RuntimeException e) {
                step = Step.FAILED;
                failure = e;
            }
            WriteCallback callback;
            Throwable abort;
            synchronized (this) {
                if (step == Step.AWAIT && wakeup && !done) {
                    continue;
                }
                callback = step == Step.AWAIT ? null : pendingCallback;
                if (step != Step.AWAIT) {
                    clearPending();
                } else {
                    awaitingServer = true;
                }
                boolean abortedMeanwhile = done;
                if (step == Step.FINISHED || step == Step.FAILED) {
                    done = true;
                }
                abort = stopRunning();
                if (step == Step.FAILED && !abortedMeanwhile) {
                    abort = failure;
                }
                if (step == Step.WROTE && abortedMeanwhile) {
                    failure = new IOException("exchange aborted");
                    step = Step.FAILED;
                }
            }
            if (abort != null) {
                output.abort(abort);
            } else if (step == Step.FINISHED) {
                output.finished();
            }
            if (callback != null) {
                if (step == Step.FAILED) {
                    callback.failed(failure);
                } else {
                    callback.succeeded();
                }
            }
            return;
        }
    }

    /** Ends the turn; returns an abort asked for meanwhile, for the turn to carry out. Under the monitor. */
    private @Nullable Throwable stopRunning() {
        running = false;
        Throwable cause = abortCause;
        abortCause = null;
        return cause;
    }

    private void clearPending() {
        pending = null;
        pendingCallback = null;
    }
}
