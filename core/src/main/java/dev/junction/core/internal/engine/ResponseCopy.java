package dev.junction.core.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.ServerExchange;

/**
 * Streams a backend's response body to the client with back-pressure: a chunk is read, written, and only once the
 * client has taken it is it released and the next one demanded, so memory stays flat whatever the body's size and a
 * streamed event reaches the client before the next exists (Jetty's {@code Content.copy}, and its core
 * {@code ProxyHandler}). The response head goes out with the first chunk, so a short response is one write.
 *
 * <p>A write or a demand whose callback comes back on the calling thread, before the call returns, continues the
 * loop instead of recursing, so a fast client and a fast backend cannot grow the stack: {@link #step} records which
 * of the two, the call's return or its callback, comes second, and that one goes on.
 *
 * <p>One copy at a time; callbacks may come from any thread.
 */
final class ResponseCopy implements WriteCallback {

    /** What the copy does at the end: the client has the whole body, the backend's body failed, or the client did. */
    interface Done {
        void copied();

        /** The backend's body failed. */
        void failed(Throwable failure);

        /** A write to the client failed: the client has gone, and nothing is concluded about the backend. */
        void clientFailed(Throwable failure);
    }

    private static final int IDLE = 0;
    /** A write or a demand was issued and its call has not returned. */
    private static final int WAITING = 1;
    /** Its callback came before the call returned: the loop goes on when it does. */
    private static final int CAME_BACK = 2;
    /** The call returned before its callback: the callback goes on. */
    private static final int RETURNED = 3;

    private final BodySource source;
    private final ServerExchange client;
    private final Done done;
    private final AtomicInteger step = new AtomicInteger(IDLE);
    /** The demand callback, made once: a method reference per demand would be garbage per chunk. */
    private final Runnable demanded = this::demanded;
    private final int status;
    private @Nullable Fields head;
    private @Nullable Chunk current;
    /** Body bytes handed to the client: written by the copying thread, read once the exchange has ended. */
    private long written;
    private volatile boolean wroteHead;
    /** Set while a write waits for the client to take it: a stall now is the client's. */
    private volatile boolean writing;

    ResponseCopy(BodySource source, ServerExchange client, int status, Fields head, Done done) {
        this.source = source;
        this.client = client;
        this.status = status;
        this.head = head;
        this.done = done;
    }

    /** Returns the body bytes handed to the client so far. */
    long bytesWritten() {
        return written;
    }

    /** Starts copying. */
    void start() {
        pump();
    }

    private void pump() {
        while (true) {
            Chunk chunk = source.read();
            if (chunk == null) {
                step.set(WAITING);
                source.demand(demanded);
                if (step.compareAndSet(WAITING, RETURNED)) {
                    return;
                }
                continue;
            }
            Throwable failure = chunk.failure();
            if (failure != null) {
                chunk.release();
                done.failed(failure);
                return;
            }
            if (chunk.last()) {
                Fields trailers = source.trailers();
                if (trailers != null) {
                    client.trailers(ForwardHeaders.trailersToClient(trailers));
                }
            }
            current = chunk;
            written += chunk.buffer().remaining();
            writing = true;
            step.set(WAITING);
            Fields headers = head;
            if (headers != null) {
                head = null;
                wroteHead = true;
                client.writeHead(status, headers, chunk.last(), chunk.buffer(), this);
            } else {
                client.write(chunk.last(), chunk.buffer(), this);
            }
            if (step.compareAndSet(WAITING, RETURNED)) {
                return;
            }
            if (!written()) {
                return;
            }
        }
    }

    /** Returns whether a write waits for the client to take it: a slow reader holds the copy up. */
    boolean awaitingClient() {
        return writing;
    }

    /** Returns whether the head has been handed to the client: from then on a failure can only close its connection. */
    boolean wroteHead() {
        return wroteHead;
    }

    private void demanded() {
        if (!step.compareAndSet(WAITING, CAME_BACK)) {
            pump();
        }
    }

    @Override
    public void succeeded() {
        writing = false;
        if (step.compareAndSet(WAITING, CAME_BACK)) {
            return;
        }
        if (written()) {
            pump();
        }
    }

    /** Releases the chunk the client took; returns whether more is to come. */
    private boolean written() {
        Chunk chunk = current;
        current = null;
        if (chunk == null) {
            return false;
        }
        chunk.release();
        if (chunk.last()) {
            done.copied();
            return false;
        }
        return true;
    }

    @Override
    public void failed(Throwable failure) {
        writing = false;
        Chunk chunk = current;
        current = null;
        if (chunk != null) {
            chunk.release();
        }
        step.set(IDLE);
        done.clientFailed(failure);
    }
}
