package dev.junction.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * The request body of an asynchronous servlet request as a demand-driven {@link Content.Source}, read with
 * non-blocking Servlet I/O: bytes are read only while the engine demands them and the stream {@link
 * ServletInputStream#isReady() is ready}; otherwise the container calls {@link ReadListener#onDataAvailable()} when
 * more has arrived. While the backend is slow to take the body, nothing more is read from the client and TCP flow
 * control holds the client back. Each chunk is a fresh array, so a chunk the engine still holds is never overwritten.
 *
 * <p>The container requires {@link ServletInputStream#setReadListener} to be called on a thread it dispatched; the
 * filter calls {@link #listen()} from {@code doFilter}. Reads may then happen on any thread, one at a time (the
 * engine is the only reader). This object's monitor guards the hand-over between those reads and the container's
 * callbacks, and is never held while the container's stream is used: a container may call back while holding locks
 * of its own that the stream's methods take.
 */
final class ServletRequestBody implements Content.Source, ReadListener {

    private static final int CHUNK_BYTES = 16 * 1024;

    private final ServletInputStream in;
    private final long length;

    // Guarded by this.
    private Content.@Nullable Chunk ready;
    private @Nullable Runnable demand;
    /** The stream said it was not ready and the container has not called back since: reads wait for it. */
    private boolean waitingForData;
    /** Set by the read in progress when the stream said it was not ready. */
    private boolean unready;
    /** Counts the container's calls back, so a read can tell one came while it was using the stream. */
    private long wakeups;

    ServletRequestBody(ServletInputStream in, long length) {
        this.in = in;
        this.length = length;
    }

    /** Registers with the container; the container may call back at once. */
    void listen() {
        in.setReadListener(this);
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public Content.@Nullable Chunk read() {
        long seen;
        synchronized (this) {
            Content.Chunk chunk = ready;
            if (chunk != null) {
                if (!chunk.isLast()) {
                    ready = null;
                } else if (chunk.hasRemaining()) {
                    ready = Content.Chunk.next(chunk);
                }
                return chunk;
            }
            if (waitingForData) {
                return null;
            }
            seen = wakeups;
        }
        // The container's stream is used outside this object's monitor: a container may hold its own locks when it
        // calls onDataAvailable(), which takes this monitor. Only the engine reads, one read at a time.
        Content.Chunk chunk = readNow();
        synchronized (this) {
            boolean more = chunk == null || !chunk.isLast();
            // Wait for the container only if it has not called back since the stream said it was not ready.
            if (more && unready && wakeups == seen) {
                waitingForData = true;
            }
            unready = false;
            if (!more && ready == null) {
                ready = Content.Chunk.next(chunk);
            }
        }
        return chunk;
    }

    /**
     * Reads what the stream has without blocking: a chunk, or null if nothing is there yet. Sets {@link #unready}
     * when the stream said it was not ready, which arms the container's {@code onDataAvailable()}.
     */
    private Content.@Nullable Chunk readNow() {
        try {
            if (in.isFinished()) {
                return Content.Chunk.EOF;
            }
            if (!in.isReady()) {
                markUnready();
                return null;
            }
            byte[] bytes = new byte[CHUNK_BYTES];
            int read = in.read(bytes);
            if (read < 0) {
                return Content.Chunk.EOF;
            }
            boolean last = in.isFinished();
            if (!last && !in.isReady()) {
                markUnready();
            }
            return Content.Chunk.from(ByteBuffer.wrap(bytes, 0, read), last);
        } catch (IOException | RuntimeException e) {
            return Content.Chunk.from(e, true);
        }
    }

    private synchronized void markUnready() {
        unready = true;
    }

    @Override
    public void demand(Runnable demandCallback) {
        synchronized (this) {
            if (demand != null) {
                throw new IllegalStateException("demand pending");
            }
            if (ready == null && waitingForData) {
                demand = demandCallback;
                return;
            }
        }
        demandCallback.run();
    }

    @Override
    public void fail(Throwable failure) {
        deliver(Content.Chunk.from(failure, true));
    }

    @Override
    public void onDataAvailable() {
        Runnable callback;
        synchronized (this) {
            wakeups++;
            waitingForData = false;
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    @Override
    public void onAllDataRead() {
        onDataAvailable();
    }

    @Override
    public void onError(Throwable failure) {
        deliver(Content.Chunk.from(failure, true));
    }

    /** Makes {@code chunk} the next read's answer (a failure replaces whatever waits) and runs the pending demand. */
    private void deliver(Content.Chunk chunk) {
        Runnable callback;
        synchronized (this) {
            if (ready != null && ready.isLast()) {
                return;
            }
            if (ready != null) {
                ready.release();
            }
            ready = chunk;
            waitingForData = false;
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }
}
