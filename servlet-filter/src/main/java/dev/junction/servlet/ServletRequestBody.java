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
 * filter calls {@link #listen()} from {@code doFilter}. Reads may then happen on any thread; this object's monitor
 * serialises them with the container's callbacks.
 */
final class ServletRequestBody implements Content.Source, ReadListener {

    private static final int CHUNK_BYTES = 16 * 1024;

    private final ServletInputStream in;
    private final long length;

    // Guarded by this.
    private Content.@Nullable Chunk ready;
    private @Nullable Runnable demand;
    private boolean waitingForData;
    private boolean finished;

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
    public synchronized Content.@Nullable Chunk read() {
        Content.Chunk chunk = ready;
        if (chunk != null) {
            if (!chunk.isLast()) {
                ready = null;
            } else if (chunk.hasRemaining()) {
                ready = Content.Chunk.next(chunk);
            }
            return chunk;
        }
        if (finished || waitingForData) {
            return null;
        }
        chunk = readNow();
        if (chunk != null && chunk.isLast()) {
            ready = Content.Chunk.next(chunk);
        }
        return chunk;
    }

    /** Reads what the stream has without blocking; null if nothing is there yet (the container will call back). */
    private Content.@Nullable Chunk readNow() {
        try {
            if (in.isFinished()) {
                finished = true;
                return Content.Chunk.EOF;
            }
            if (!in.isReady()) {
                waitingForData = true;
                return null;
            }
            byte[] bytes = new byte[CHUNK_BYTES];
            int read = in.read(bytes);
            if (read < 0) {
                finished = true;
                return Content.Chunk.EOF;
            }
            boolean last = in.isFinished();
            if (last) {
                finished = true;
            } else if (!in.isReady()) {
                // isReady() false has armed the container's onDataAvailable callback.
                waitingForData = true;
            }
            return Content.Chunk.from(ByteBuffer.wrap(bytes, 0, read), last);
        } catch (IOException | RuntimeException e) {
            finished = true;
            return Content.Chunk.from(e, true);
        }
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
            finished = true;
            waitingForData = false;
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }
}
