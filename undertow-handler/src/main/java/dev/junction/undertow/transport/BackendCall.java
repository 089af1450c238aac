package dev.junction.undertow.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.xnio.IoFuture;
import org.xnio.StreamConnection;

import io.undertow.connector.PooledByteBuffer;

import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.ResponseListener.Failure;
import dev.junction.core.spi.ResponseListener.Phase;
import dev.junction.core.spi.Transport;

/**
 * One request to a backend and its response, on one event loop's thread from start to end: a connection from the
 * loop's pool, the request written by a {@link RequestWriter}, the response read by a {@link ResponseReader}, the
 * timeouts watched by the loop's sweep, and one ending. The listener's events come in order, from this thread;
 * {@link #abort} may come from any thread and moves here.
 *
 * <p>Phases: {@code CONNECT} until a connection is had and writing begins; {@code SEND} while the request is written;
 * {@code AWAIT_HEAD} until the final head is read; {@code BODY} after.
 */
final class BackendCall implements Transport.Exchange {

    final ResponseListener listener;
    private final EventLoop loop;
    private final BackendRequest request;
    private final RequestWriter writer;
    private final ResponseReader reader;
    private final long startNanos;
    private final long idleNanos;
    private final long totalNanos;
    private final long connectNanos;
    private final long responseNanos;

    // The loop's list of exchanges in flight.
    @Nullable BackendCall previousWatched;
    @Nullable BackendCall nextWatched;

    private @Nullable HostPool pool;
    private @Nullable IoFuture<StreamConnection> connecting;
    private @Nullable BackendConnection connection;
    private @Nullable Throwable failure;
    private long lastActivityNanos;
    private boolean started;
    private boolean begun;
    private boolean sent;
    private long sentNanos;
    private boolean responseBegun;
    private boolean headed;
    private boolean done;

    BackendCall(EventLoop loop, BackendRequest request, ResponseListener listener, RequestHead head,
            long connectNanos) {
        this.loop = loop;
        this.request = request;
        this.listener = listener;
        this.writer = new RequestWriter(this, loop.thread, head, request.body());
        this.reader = new ResponseReader(this, loop.thread, loop.buffers, request.method().equals("HEAD"),
                request.headers().get("Upgrade") != null);
        this.startNanos = System.nanoTime();
        this.lastActivityNanos = startNanos;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(request.idleTimeoutMillis());
        this.totalNanos = TimeUnit.MILLISECONDS.toNanos(request.totalTimeoutMillis());
        long connect = TimeUnit.MILLISECONDS.toNanos(request.connectTimeoutMillis());
        this.connectNanos = connect > 0 && (connectNanos == 0 || connect < connectNanos) ? connect : connectNanos;
        this.responseNanos = TimeUnit.MILLISECONDS.toNanos(request.responseTimeoutMillis());
    }

    /** Starts the exchange: asks the pool of its origin for a connection. Loop thread only. */
    void start() {
        if (done) {
            return;
        }
        started = true;
        loop.watch(this);
        HostPool origin = loop.pool(request.origin(), request.tls());
        pool = origin;
        origin.acquire(this);
    }

    boolean isDone() {
        return done;
    }

    /** Returns the connection the exchange is on, null before it has one and after it has let go of it. */
    @Nullable BackendConnection connection() {
        return connection;
    }

    /** Returns the failure that ended the exchange, null if none has. */
    @Nullable Throwable failure() {
        return failure;
    }

    /** Bytes moved, or a wait on the backend began: idle time counts from {@code now}. */
    void active(long now) {
        lastActivityNanos = now;
    }

    /** The connection is being made. */
    void connecting(IoFuture<StreamConnection> future) {
        connecting = future;
    }

    /** No connection could be had: the backend never saw the request. */
    void notConnected(Throwable cause) {
        if (!done) {
            finish(new Failure(Phase.CONNECT, cause));
        }
    }

    /** A connection is had: the request goes out on it, and the response is listened for at once. */
    void connected(BackendConnection given) {
        connecting = null;
        if (done) {
            given.pool.release(given);
            return;
        }
        connection = given;
        begun = true;
        lastActivityNanos = System.nanoTime();
        listener.requestBegun();
        if (done) {
            return;
        }
        reader.start(given);
        writer.start(loop.buffers.allocate());
    }

    /** The request is written whole. */
    void requestSent() {
        sent = true;
        sentNanos = System.nanoTime();
        active(sentNanos);
        listener.requestSent();
    }

    /** The response's first bytes came: the response timeout no longer runs. */
    void responseBegun() {
        if (!responseBegun) {
            responseBegun = true;
            listener.responseBegun();
        }
    }

    /** The final response head is read. */
    void headed() {
        headed = true;
    }

    /**
     * The response is whole: the connection goes back to its pool, or closes if it cannot carry another exchange (the
     * backend said so, sent more than the response, or answered before the request was whole: what is left of the
     * request is not sent).
     */
    void releaseConnection(boolean extraBytes) {
        BackendConnection on = connection;
        connection = null;
        reader.release();
        writer.written();
        if (on != null) {
            if (on.head.keepAlive() && !extraBytes && sent) {
                on.source.getReadSetter().set(null);
                on.pool.release(on);
            } else {
                on.close();
            }
        }
    }

    /**
     * The backend switched protocols: its connection leaves the pool (its place under the limit freed) and is handed
     * to the listener as a tunnel end, with the bytes read past the head to be read first; the exchange is over.
     */
    void upgrade(ByteBuffer rest) {
        BackendConnection on = connection;
        connection = null;
        PooledByteBuffer leftover = null;
        if (rest.hasRemaining()) {
            leftover = loop.buffers.allocate();
            leftover.getBuffer().put(rest).flip();
        }
        reader.release();
        writer.written();
        if (on != null) {
            listener.upgraded(new StreamTunnelEnd(on.detach(), loop.buffers::allocate, leftover));
        } else if (leftover != null) {
            leftover.close();
        }
        finish(null);
    }

    /** Whether a timeout has passed. */
    boolean expired(long now) {
        if (!begun && connectNanos > 0 && now - startNanos > connectNanos) {
            return true;
        }
        if (totalNanos > 0 && now - startNanos > totalNanos) {
            return true;
        }
        if (responseLate(now)) {
            return true;
        }
        // Idle whichever side holds the exchange up: a client that stops sending its body or taking the response
        // stalls the backend connection too, and must not hold it (and its place under the limit) for ever. The
        // engine tells whose fault it was.
        return idleNanos > 0 && begun && now - lastActivityNanos > idleNanos;
    }

    private boolean responseLate(long now) {
        return responseNanos > 0 && sent && !responseBegun && now - sentNanos > responseNanos;
    }

    /** Ends the exchange for the timeout that passed. */
    void timedOut(long now) {
        HostPool origin = pool;
        if (!begun && connectNanos > 0 && now - startNanos > connectNanos) {
            long millis = TimeUnit.NANOSECONDS.toMillis(connectNanos);
            if (origin != null && origin.waits(this)) {
                // The proxy's own limit kept the request from the backend: not the backend's failure.
                abortNow(new RejectedExecutionException("waited " + millis + " ms for one of the backend's "
                        + origin.limit() + " connections"));
            } else {
                abortNow(new TimeoutException("connect timeout of " + millis + " ms elapsed"));
            }
        } else if (responseLate(now)) {
            abortNow(new TimeoutException("response timeout of " + request.responseTimeoutMillis()
                    + " ms elapsed"));
        } else if (totalNanos > 0 && now - startNanos > totalNanos) {
            abortNow(new TimeoutException("total timeout " + request.totalTimeoutMillis() + " ms elapsed"));
        } else {
            abortNow(new TimeoutException("idle timeout " + request.idleTimeoutMillis() + " ms elapsed"));
        }
    }

    @Override
    public void abort(Throwable cause) {
        if (Thread.currentThread() == loop.thread) {
            abortNow(cause);
        } else {
            loop.thread.execute(() -> abortNow(cause));
        }
    }

    /** Ends the exchange with {@code cause}, closing its connection; loop thread only. */
    void abortNow(Throwable cause) {
        if (!done) {
            fail(cause);
        } else {
            loop.unwatch(this);
        }
    }

    /** Ends the exchange with a failure in the phase it had reached, closing its connection. */
    void fail(Throwable cause) {
        if (done) {
            return;
        }
        BackendConnection current = connection;
        Throwable handshake = current == null ? null : current.handshakeFailure();
        if (handshake != null && !headed) {
            // The TLS conduit closed the connection and the exchange saw only its end: the handshake says why.
            cause = handshake;
        }
        failure = cause;
        Phase phase = headed ? Phase.BODY : !begun ? Phase.CONNECT : !sent ? Phase.SEND : Phase.AWAIT_HEAD;
        IoFuture<StreamConnection> future = connecting;
        connecting = null;
        if (future != null) {
            future.cancel();
        }
        HostPool origin = pool;
        if (!begun && origin != null) {
            origin.cancel(this);
        }
        BackendConnection on = connection;
        connection = null;
        if (on != null) {
            on.close();
        }
        writer.written();
        reader.release();
        Runnable callback = reader.takeDemand();
        finish(new Failure(phase, cause));
        if (callback != null) {
            // The engine waits for body: it reads the failure now.
            callback.run();
        }
    }

    /** Ends the exchange, once: {@code result} null when the response was whole. */
    void finish(@Nullable Failure result) {
        if (done) {
            return;
        }
        done = true;
        if (started) {
            loop.unwatch(this);
        }
        listener.completed(result);
    }
}
