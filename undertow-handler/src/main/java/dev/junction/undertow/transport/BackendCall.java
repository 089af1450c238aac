package dev.junction.undertow.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.IoFuture;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import io.undertow.connector.PooledByteBuffer;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.ResponseListener.Failure;
import dev.junction.core.spi.ResponseListener.Phase;
import dev.junction.core.spi.Transport;

/**
 * One request to a backend and its response, on one event loop's thread from start to end: the head and body written
 * as the request body is read on demand, the response head parsed (interim ones told and skipped), and the response
 * body handed out as the engine reads it, each read only when asked for. The listener's events come in order, from
 * this thread; {@link #abort} may come from any thread and moves here.
 *
 * <p>Phases: {@code CONNECT} until a connection is had and writing begins; {@code SEND} while the request is written;
 * {@code AWAIT_HEAD} until the final head is read; {@code BODY} after.
 */
final class BackendCall implements Transport.Exchange, BodySource {

    private static final ByteBuffer CRLF = ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.ISO_8859_1))
            .asReadOnlyBuffer();
    private static final ByteBuffer LAST_CHUNK = ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))
            .asReadOnlyBuffer();
    private static final ByteBuffer CRLF_LAST_CHUNK =
            ByteBuffer.wrap("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();

    private final EventLoop loop;
    private final BackendRequest request;
    private final ResponseListener listener;
    private final RequestHead requestHead;
    private final boolean headRequest;
    private final long startNanos;
    private final long idleNanos;
    private final long totalNanos;
    private final long connectNanos;

    // The loop's list of exchanges in flight.
    @Nullable BackendCall previousWatched;
    @Nullable BackendCall nextWatched;

    private @Nullable HostPool pool;
    private @Nullable IoFuture<StreamConnection> connecting;
    private @Nullable BackendConnection connection;
    private long lastActivityNanos;
    private boolean begun;
    private boolean sent;
    private boolean headed;
    private boolean done;
    private boolean started;

    // Writing the request.
    private final ByteBuffer[] out = new ByteBuffer[3];
    private int outCount;
    private @Nullable PooledByteBuffer headBuffer;
    private @Nullable Chunk writing;
    private boolean bodyWritten;
    private boolean writeBlocked;
    private long bodyLeft;
    private final Runnable bodyDemanded = this::bodyDemanded;
    private final ChannelListener<ConduitStreamSinkChannel> writable = channel -> {
        channel.suspendWrites();
        writeBlocked = false;
        write();
    };

    // Reading the response.
    private @Nullable ReadBuffer read;
    private ResponseHead.Framing framing = ResponseHead.Framing.NONE;
    private long remaining;
    private @Nullable ChunkedDecoder chunked;
    private boolean bodyEnded;
    private boolean extraBytes;
    private @Nullable Throwable failure;
    private @Nullable Runnable demand;
    private final ChannelListener<ConduitStreamSourceChannel> headReadable = channel -> readHead();
    private final ChannelListener<ConduitStreamSourceChannel> bodyReadable = this::bodyReadable;

    BackendCall(EventLoop loop, BackendRequest request, ResponseListener listener, RequestHead head,
            long connectNanos) {
        this.loop = loop;
        this.request = request;
        this.listener = listener;
        this.requestHead = head;
        this.headRequest = request.method().equals("HEAD");
        this.startNanos = System.nanoTime();
        this.lastActivityNanos = startNanos;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(request.idleTimeoutMillis());
        this.totalNanos = TimeUnit.MILLISECONDS.toNanos(request.totalTimeoutMillis());
        this.connectNanos = connectNanos;
    }

    /** Starts the exchange: asks the pool of its origin for a connection. Loop thread only. */
    void start() {
        if (done) {
            return;
        }
        started = true;
        loop.watch(this);
        HostPool origin = loop.pool(request.origin());
        pool = origin;
        origin.acquire(this);
    }

    boolean isDone() {
        return done;
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

    /** A connection is had: the request goes out on it. */
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
        // The response is read from the start: a backend may answer before it has the whole request.
        given.head.reset();
        given.source.getReadSetter().set(headReadable);
        given.source.resumeReads();
        PooledByteBuffer pooled = loop.transport.buffers.allocate();
        ByteBuffer head = pooled.getBuffer();
        if (requestHead.bytes.length <= head.capacity()) {
            head.put(requestHead.bytes).flip();
            headBuffer = pooled;
        } else {
            pooled.close();
            head = ByteBuffer.wrap(requestHead.bytes);
        }
        out[0] = head;
        outCount = 1;
        bodyWritten = requestHead.framing == RequestHead.Framing.NONE;
        bodyLeft = requestHead.length;
        write();
    }

    // ------------------------------------------------------------------------------------------ the request

    /** Writes what is pending and then the body, as it comes; waits for the channel or the body when they do. */
    private void write() {
        BackendConnection on = connection;
        if (done || on == null) {
            return;
        }
        ConduitStreamSinkChannel sink = on.sink;
        try {
            while (true) {
                if (outCount > 0) {
                    long wrote = sink.write(out, 0, outCount);
                    if (wrote > 0) {
                        lastActivityNanos = System.nanoTime();
                    }
                    if (out[outCount - 1].hasRemaining()) {
                        awaitWritable(sink);
                        return;
                    }
                    written();
                }
                if (bodyWritten) {
                    if (!sink.flush()) {
                        awaitWritable(sink);
                        return;
                    }
                    requestSent();
                    return;
                }
                BodySource body = request.body();
                Chunk chunk = body.read();
                if (chunk == null) {
                    body.demand(bodyDemanded);
                    return;
                }
                Throwable bodyFailure = chunk.failure();
                if (bodyFailure != null) {
                    chunk.release();
                    fail(bodyFailure);
                    return;
                }
                frame(chunk);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void awaitWritable(ConduitStreamSinkChannel sink) {
        if (!writeBlocked) {
            writeBlocked = true;
            waitingSince(System.nanoTime());
        }
        sink.getWriteSetter().set(writable);
        sink.resumeWrites();
    }

    /** The body has more: write it, on the loop's thread. */
    private void bodyDemanded() {
        if (Thread.currentThread() == loop.thread) {
            write();
        } else {
            loop.thread.execute(this::write);
        }
    }

    /** Queues a chunk of the request body for writing, framed. */
    private void frame(Chunk chunk) {
        ByteBuffer data = chunk.buffer();
        writing = chunk;
        int length = data.remaining();
        if (requestHead.framing == RequestHead.Framing.LENGTH) {
            if (length > bodyLeft) {
                throw new IllegalStateException("the request body is longer than its Content-Length");
            }
            bodyLeft -= length;
            out[0] = data;
            outCount = 1;
            if (chunk.last()) {
                if (bodyLeft != 0) {
                    throw new IllegalStateException("the request body ended " + bodyLeft + " bytes short of its"
                            + " Content-Length");
                }
                bodyWritten = true;
            }
            return;
        }
        outCount = 0;
        if (length > 0) {
            out[outCount++] = ByteBuffer.wrap((Integer.toHexString(length) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out[outCount++] = data;
            out[outCount++] = (chunk.last() ? CRLF_LAST_CHUNK : CRLF).duplicate();
        } else if (chunk.last()) {
            out[outCount++] = LAST_CHUNK.duplicate();
        }
        if (chunk.last()) {
            bodyWritten = true;
        }
    }

    /** What was pending is written: its buffers go back. */
    private void written() {
        outCount = 0;
        PooledByteBuffer head = headBuffer;
        if (head != null) {
            headBuffer = null;
            head.close();
        }
        Chunk chunk = writing;
        if (chunk != null) {
            writing = null;
            chunk.release();
        }
    }

    private void requestSent() {
        sent = true;
        BackendConnection on = connection;
        if (on != null) {
            on.sink.getWriteSetter().set(null);
            on.sink.suspendWrites();
        }
        waitingSince(System.nanoTime());
        listener.requestSent();
    }

    // ------------------------------------------------------------------------------------------ the response

    /** Reads the response head as its bytes come: interim heads are told and skipped. */
    private void readHead() {
        BackendConnection on = connection;
        if (done || on == null) {
            return;
        }
        try {
            while (true) {
                ReadBuffer buffer = fill(on.source);
                if (buffer == null) {
                    return;
                }
                ByteBuffer bytes = buffer.buffer();
                if (!on.head.begun()) {
                    listener.responseBegun();
                    if (done) {
                        return;
                    }
                }
                if (!on.head.read(bytes, headRequest)) {
                    continue;
                }
                ResponseHead head = on.head;
                if (head.interim()) {
                    listener.interim(head.status(), head.fields());
                    if (done) {
                        return;
                    }
                    head.reset();
                    continue;
                }
                on.source.suspendReads();
                on.source.getReadSetter().set(bodyReadable);
                headed = true;
                framing = head.framing();
                remaining = head.contentLength();
                chunked = framing == ResponseHead.Framing.CHUNKED ? new ChunkedDecoder() : null;
                listener.head(head.status(), head.fields());
                if (done) {
                    return;
                }
                if (framing == ResponseHead.Framing.NONE) {
                    extraBytes = bytes.hasRemaining();
                    bodyEnded = true;
                    releaseConnection();
                    finish(null);
                    return;
                }
                listener.body(this);
                return;
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Returns the read buffer with bytes to parse: what is left of the last read, or a fresh read. Null when the
     * channel has nothing now (reads stay resumed).
     *
     * @throws EOFException if the backend closed the connection
     */
    private @Nullable ReadBuffer fill(ConduitStreamSourceChannel source) throws IOException {
        ReadBuffer buffer = read;
        if (buffer != null && buffer.buffer().hasRemaining()) {
            return buffer;
        }
        if (buffer != null) {
            read = null;
            buffer.release();
        }
        PooledByteBuffer pooled = loop.transport.buffers.allocate();
        ByteBuffer bytes = pooled.getBuffer();
        int count;
        try {
            count = source.read(bytes);
        } catch (IOException | RuntimeException e) {
            pooled.close();
            throw e;
        }
        if (count <= 0) {
            pooled.close();
            if (count < 0) {
                throw new EOFException(headed ? "the backend closed the connection inside the body"
                        : "the backend closed the connection before a response");
            }
            return null;
        }
        lastActivityNanos = System.nanoTime();
        bytes.flip();
        buffer = new ReadBuffer(pooled);
        read = buffer;
        return buffer;
    }

    @Override
    public @Nullable Chunk read() {
        Throwable failed = failure;
        if (failed != null) {
            return Chunk.failed(failed);
        }
        if (bodyEnded) {
            return Chunk.EOF;
        }
        BackendConnection on = connection;
        if (on == null || Thread.currentThread() != loop.thread) {
            // Read on the loop's thread alone: the demand moves there.
            return null;
        }
        try {
            while (true) {
                ReadBuffer buffer;
                try {
                    buffer = fill(on.source);
                } catch (EOFException e) {
                    if (framing == ResponseHead.Framing.CLOSE) {
                        return endBody(new LastChunk(ByteBuffer.allocate(0), null));
                    }
                    throw e;
                }
                if (buffer == null) {
                    return null;
                }
                Chunk chunk = cut(buffer);
                if (chunk != null) {
                    return chunk;
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
            Throwable cause = failure;
            return Chunk.failed(cause != null ? cause : e);
        }
    }

    /** Cuts the next piece of body from the buffer; null if it held only framing. */
    private @Nullable Chunk cut(ReadBuffer buffer) {
        ByteBuffer bytes = buffer.buffer();
        switch (framing) {
            case LENGTH -> {
                int take = (int) Math.min(remaining, bytes.remaining());
                ByteBuffer piece = bytes.slice(bytes.position(), take);
                bytes.position(bytes.position() + take);
                remaining -= take;
                if (remaining > 0) {
                    return buffer.chunk(piece, false);
                }
                extraBytes = bytes.hasRemaining();
                return endBody(new LastChunk(piece, buffer.hold()));
            }
            case CHUNKED -> {
                ChunkedDecoder decoder = chunked;
                if (decoder == null) {
                    throw new IllegalStateException("no chunked decoder");
                }
                ByteBuffer data = decoder.next(bytes);
                if (data.hasRemaining()) {
                    decoder.framing(bytes);
                    if (!decoder.done()) {
                        return buffer.chunk(data, false);
                    }
                    extraBytes = bytes.hasRemaining();
                    return endBody(new LastChunk(data, buffer.hold()));
                }
                if (decoder.done()) {
                    extraBytes = bytes.hasRemaining();
                    return endBody(new LastChunk(data, null));
                }
                return null;
            }
            default -> {
                ByteBuffer piece = bytes.slice();
                bytes.position(bytes.limit());
                return buffer.chunk(piece, false);
            }
        }
    }

    /**
     * The response body is read to its end: the connection goes back (or closes) now, and the exchange completes once
     * the reader releases {@code last}, the chunk it is handed, so that completion follows the body's last bytes.
     */
    private Chunk endBody(LastChunk last) {
        bodyEnded = true;
        releaseConnection();
        return last;
    }

    /** The last chunk of a response body: its release completes the exchange, on the loop's thread. */
    private final class LastChunk extends Chunk {

        private final @Nullable ReadBuffer buffer;

        LastChunk(ByteBuffer bytes, @Nullable ReadBuffer buffer) {
            super(bytes, true, null);
            this.buffer = buffer;
        }

        @Override
        public void release() {
            if (buffer != null) {
                buffer.release();
            }
            if (Thread.currentThread() == loop.thread) {
                finish(null);
            } else {
                loop.thread.execute(() -> finish(null));
            }
        }
    }

    @Override
    public void demand(Runnable callback) {
        if (Thread.currentThread() != loop.thread) {
            loop.thread.execute(() -> demand(callback));
            return;
        }
        ReadBuffer buffer = read;
        BackendConnection on = connection;
        if (failure != null || bodyEnded || on == null || (buffer != null && buffer.buffer().hasRemaining())) {
            callback.run();
            return;
        }
        demand = callback;
        waitingSince(System.nanoTime());
        on.source.resumeReads();
    }

    private void bodyReadable(ConduitStreamSourceChannel channel) {
        channel.suspendReads();
        Runnable callback = demand;
        demand = null;
        if (callback != null) {
            callback.run();
        }
    }

    @Override
    public long length() {
        return framing == ResponseHead.Framing.LENGTH ? remaining : -1;
    }

    /**
     * The response is whole: the connection goes back to its pool, or closes if it cannot carry another exchange (the
     * backend said so, sent more than the response, or answered before the request was whole: what is left of the
     * request is not sent).
     */
    private void releaseConnection() {
        BackendConnection on = connection;
        connection = null;
        releaseRead();
        written();
        if (on != null) {
            if (on.head.keepAlive() && !extraBytes && sent) {
                on.source.getReadSetter().set(null);
                on.pool.release(on);
            } else {
                on.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ endings

    /** Whether a timeout has passed. */
    boolean expired(long now) {
        if (!begun && connectNanos > 0 && now - startNanos > connectNanos) {
            return true;
        }
        if (totalNanos > 0 && now - startNanos > totalNanos) {
            return true;
        }
        return idleNanos > 0 && waitingOnBackend() && now - lastActivityNanos > idleNanos;
    }

    /**
     * Whether the exchange waits on the backend now: to take more of the request, to answer, or for body the engine
     * asked for. Waiting on the client (its request body, or its reading of the response) is not the backend's idling.
     */
    private boolean waitingOnBackend() {
        if (headed) {
            return demand != null;
        }
        return begun && (sent || writeBlocked);
    }

    /** Marks the start of a wait on the backend: idle time counts from here. */
    private void waitingSince(long now) {
        lastActivityNanos = now;
    }

    /** Ends the exchange for the timeout that passed. */
    void timedOut(long now) {
        if (!begun && connectNanos > 0 && now - startNanos > connectNanos) {
            abortNow(new SocketTimeoutException("connect timeout after "
                    + TimeUnit.NANOSECONDS.toMillis(connectNanos) + " ms"));
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
    private void fail(Throwable cause) {
        if (done) {
            return;
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
        written();
        releaseRead();
        Runnable callback = demand;
        demand = null;
        finish(new Failure(phase, cause));
        if (callback != null) {
            callback.run();
        }
    }

    private void releaseRead() {
        ReadBuffer buffer = read;
        if (buffer != null) {
            read = null;
            buffer.release();
        }
    }

    private void finish(@Nullable Failure result) {
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
