package dev.junction.core.internal.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;

/**
 * The client's request body as each attempt towards a backend reads it. A failed attempt does not fail the client's
 * body: the next attempt may still send it if nothing of it was read (a backend that refused the connection saw
 * nothing). When the exchange ends, the adapter disposes of whatever the client has not sent.
 *
 * <p>When a retry may need it, the body is also kept as it is read, up to a limit: once read whole within the limit,
 * it can be sent again from memory ({@link #replay()}).
 *
 * <p>Used by one attempt at a time, as the {@link BodySource} contract requires.
 */
final class ClientBody implements BodySource {

    private final BodySource source;
    private final int keepLimit;
    private final Consumer<Throwable> failed;
    private volatile boolean consumed;
    /** Bytes read from the client: written by the reading thread, read once the exchange has ended. */
    private long read;
    private @Nullable ByteArrayOutputStream kept;
    private volatile boolean whole;
    /** Set while a demand waits for the client's bytes: a stall now is the client's. */
    private volatile boolean awaitingClient;
    private @Nullable Runnable demand;
    /** Whether a demand of this body waits on the client's source: it is asked once, whichever attempt asks. */
    private boolean asked;
    /** The callback handed to the client's source, made once. */
    private final Runnable arrived = this::arrived;

    /**
     * @param keepLimit the most bytes kept for a replay, 0 to keep nothing
     * @param failed told when the client's body fails (before the failed chunk is handed on): the client's fault
     */
    ClientBody(BodySource source, int keepLimit, Consumer<Throwable> failed) {
        this.source = source;
        this.keepLimit = keepLimit;
        this.failed = failed;
        this.kept = keepLimit > 0 ? new ByteArrayOutputStream(Math.min(keepLimit, 8192)) : null;
    }

    /** Returns whether any chunk was read: the body can no longer be sent again from the client. */
    boolean consumed() {
        return consumed;
    }

    /** Returns whether the body was read whole and kept within the limit: it can be sent again. */
    boolean replayable() {
        return whole && kept != null;
    }

    /** Returns the whole body, read and kept within the limit, to send again; or null if it cannot be. */
    @Nullable BodySource replay() {
        ByteArrayOutputStream bytes = kept;
        return whole && bytes != null ? new Replay(bytes.toByteArray()) : null;
    }

    @Override
    public @Nullable Chunk read() {
        Chunk chunk = source.read();
        if (chunk != null) {
            consumed = true;
            read += chunk.buffer().remaining();
            Throwable failure = chunk.failure();
            if (failure != null) {
                failed.accept(failure);
            }
            keep(chunk);
        }
        return chunk;
    }

    private void keep(Chunk chunk) {
        ByteArrayOutputStream bytes = kept;
        if (bytes == null || chunk.failure() != null) {
            return;
        }
        ByteBuffer data = chunk.buffer().slice();
        if (bytes.size() + data.remaining() > keepLimit) {
            kept = null;
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        bytes.write(copy, 0, copy.length);
        // Whole at its last chunk, or as soon as its declared length is in: the backend may answer before the
        // client's end-of-body is read.
        long length = source.length();
        if (chunk.last() || length >= 0 && bytes.size() == length) {
            whole = true;
        }
    }

    /** Returns the body bytes read from the client so far. */
    long bytesRead() {
        return read;
    }

    /** Returns whether the body waits for the client to send more: an upload stalled now is stalled by the client. */
    boolean awaitingClient() {
        return awaitingClient;
    }

    /**
     * Asks for more for the current attempt. A demand a failed attempt left waiting on the client's source is taken
     * over, not repeated: the source allows one at a time, and a retry must not fail on its predecessor's.
     */
    @Override
    public void demand(Runnable callback) {
        boolean ask;
        synchronized (this) {
            demand = callback;
            awaitingClient = true;
            ask = !asked;
            asked = true;
        }
        if (ask) {
            source.demand(arrived);
        }
    }

    /**
     * Forgets the demand of an attempt that has ended, before the next one starts: what arrives for it goes to the
     * next attempt that asks, and until one asks, nothing waits on the client.
     */
    synchronized void attemptEnded() {
        demand = null;
        awaitingClient = false;
    }

    private void arrived() {
        Runnable callback;
        synchronized (this) {
            asked = false;
            awaitingClient = false;
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    @Override
    public long length() {
        return source.length();
    }

    /** A body kept whole, sent again from memory. */
    private static final class Replay implements BodySource {

        private final byte[] bytes;
        private boolean read;

        Replay(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public Chunk read() {
            if (read) {
                return Chunk.EOF;
            }
            read = true;
            return Chunk.of(ByteBuffer.wrap(bytes), true);
        }

        @Override
        public void demand(Runnable callback) {
            callback.run();
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }
}
