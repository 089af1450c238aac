package dev.junction.core.http;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * A request body an adapter reads from its server on demand, handed to Junction one chunk at a time: the one-slot
 * hand-over every adapter needs between its server's thread and the engine's. The adapter implements {@link Filler};
 * Junction reads this {@link BodySource}.
 *
 * <p>When the reader demands and nothing is waiting, the filler is asked to {@link Filler#fill() fill}: read what the
 * server has now and {@link #deliver} it (at once or later, from any thread), or arrange to be asked again when
 * more arrives. Nothing is read that was not demanded, so a slow backend holds the client back. A fill whose delivery
 * leads the reader straight into another demand, on the same thread, is not nested: the outer fill goes round again
 * once the delivery returns, so a fast client cannot grow the stack.
 *
 * <p>{@link #read()}, {@link #demand} and {@link #deliver} may be called from any thread; this object's monitor guards
 * the slot and is never held while the filler or the reader's callback runs (servers call back holding locks of their
 * own).
 *
 * <pre>{@code
 * final class MyBodyReader implements BodyHandOver.Filler {
 *     final BodyHandOver body = new BodyHandOver(contentLength, this);
 *
 *     public void fill() {
 *         ByteBuffer bytes = readWhatIsThere();           // never blocks
 *         if (bytes == null) {
 *             whenReadable(body::refill);                 // the server calls back once more has arrived
 *         } else {
 *             body.deliver(Chunk.of(bytes, atEnd()));
 *         }
 *     }
 * }
 * }</pre>
 */
public final class BodyHandOver implements BodySource {

    /** Reads what the server has for the body, for {@link BodyHandOver}. */
    @FunctionalInterface
    public interface Filler {

        /**
         * Reads what the server has now and hands it to {@link #deliver}, or, when nothing is there yet, arranges for
         * {@link #refill()} once more arrives. Called only while a demand waits and nothing was delivered for it.
         */
        void fill();
    }

    private final long length;
    private final Filler filler;

    // Guarded by this.
    private @Nullable Chunk ready;
    private @Nullable Runnable demand;
    private boolean filling;

    /** The thread running the fill loop, if any: a demand it makes itself is filled by that loop. */
    private final AtomicReference<@Nullable Thread> looping = new AtomicReference<>();
    /** Set by the loop's own thread when a demand came during its fill: the loop goes round again. Loop thread only. */
    private boolean again;

    /**
     * Creates a hand-over for a body of {@code length} bytes (-1 if unknown), read from the server by {@code filler}.
     *
     * @param length the body's declared length in bytes, or -1 if unknown
     * @param filler reads from the server when asked
     * @throws NullPointerException if {@code filler} is null
     */
    public BodyHandOver(long length, Filler filler) {
        this.length = length;
        this.filler = Objects.requireNonNull(filler, "filler");
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public synchronized @Nullable Chunk read() {
        Chunk chunk = ready;
        if (chunk == null) {
            return null;
        }
        if (!chunk.last()) {
            ready = null;
        } else if (chunk.hasRemaining()) {
            // The last chunk is handed out once with its bytes; later reads see the end alone, as the contract asks.
            ready = Chunk.EOF;
        }
        return chunk;
    }

    @Override
    public void demand(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        boolean now;
        synchronized (this) {
            if (demand != null) {
                throw new IllegalStateException("demand pending");
            }
            now = ready != null;
            if (!now) {
                demand = callback;
                if (filling) {
                    return;
                }
                filling = true;
            }
        }
        if (now) {
            callback.run();
        } else {
            fill();
        }
    }

    /** Asks the filler again: the server has more since a fill found nothing. Any thread. */
    public void refill() {
        synchronized (this) {
            if (!filling || ready != null) {
                return;
            }
        }
        fill();
    }

    private void fill() {
        Thread current = Thread.currentThread();
        if (looping.get() == current) {
            again = true;
            return;
        }
        if (!looping.compareAndSet(null, current)) {
            // Another thread's loop is finishing a fill that found nothing, and its server called back on this
            // thread: fill here, once.
            if (wanted()) {
                filler.fill();
            }
            return;
        }
        try {
            do {
                again = false;
                if (wanted()) {
                    filler.fill();
                }
            } while (again);
        } finally {
            looping.compareAndSet(current, null);
        }
    }

    /** Returns whether a demand waits with nothing delivered for it. */
    private synchronized boolean wanted() {
        return filling && ready == null;
    }

    /**
     * Hands a chunk to the reader and runs its pending demand, outside the monitor. A failure replaces whatever waits;
     * after the last chunk, nothing more is taken (a later chunk is released).
     *
     * @param chunk the chunk read from the server; a chunk not yet read that it replaces is released
     */
    public void deliver(Chunk chunk) {
        Runnable callback;
        synchronized (this) {
            Chunk waiting = ready;
            if (waiting != null && waiting.last()) {
                chunk.release();
                return;
            }
            if (waiting != null) {
                waiting.release();
            }
            ready = chunk;
            filling = false;
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    /**
     * Ends the body with a failure: the reader stops and handles it.
     *
     * @param failure what ended the body, delivered as {@link Chunk#failed}
     */
    public void fail(Throwable failure) {
        deliver(Chunk.failed(failure));
    }
}
