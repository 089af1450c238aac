package dev.junction.undertow.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSourceChannel;

import io.undertow.connector.PooledByteBuffer;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.ChunkedDecoder;

/**
 * Reads one response from its backend connection: the head as its bytes come (interim heads told and skipped), then
 * the body as a {@link BodySource}, read from the channel only when the engine asks and cut into chunks that share
 * the buffers they were read into. The exchange completes when the engine releases the body's last chunk. Reads run
 * on the loop's thread; a read from another thread returns nothing and its demand moves to the loop.
 */
final class ResponseReader implements BodySource {

    private final BackendCall call;
    private final XnioIoThread thread;
    private final LoopBuffers buffers;
    private final boolean headRequest;
    private final boolean upgradeAsked;
    private @Nullable ReadBuffer read;
    private boolean headed;
    private ResponseHead.Framing framing = ResponseHead.Framing.NONE;
    private long remaining;
    private @Nullable ChunkedDecoder chunked;
    private boolean bodyEnded;
    private boolean extraBytes;
    private @Nullable Runnable demand;
    private final ChannelListener<ConduitStreamSourceChannel> headReadable = channel -> readHead();
    private final ChannelListener<ConduitStreamSourceChannel> bodyReadable = this::bodyReadable;

    ResponseReader(BackendCall call, XnioIoThread thread, LoopBuffers buffers, boolean headRequest,
            boolean upgradeAsked) {
        this.call = call;
        this.thread = thread;
        this.buffers = buffers;
        this.headRequest = headRequest;
        this.upgradeAsked = upgradeAsked;
    }

    /** Starts listening for the response on {@code connection}: a backend may answer before the request is whole. */
    void start(BackendConnection connection) {
        connection.head.reset();
        connection.source.getReadSetter().set(headReadable);
        connection.source.resumeReads();
    }

    /** Takes the demand waiting, if any: the exchange failed and the reader must be told. */
    @Nullable Runnable takeDemand() {
        Runnable callback = demand;
        demand = null;
        return callback;
    }

    /** Lets go of the buffer being read. */
    void release() {
        ReadBuffer buffer = read;
        if (buffer != null) {
            read = null;
            buffer.release();
        }
    }

    /** Reads the response head as its bytes come: interim heads are told and skipped. */
    void readHead() {
        BackendConnection on = call.connection();
        if (call.isDone() || on == null) {
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
                    call.responseBegun();
                    if (call.isDone()) {
                        return;
                    }
                }
                if (!on.head.read(bytes, headRequest, upgradeAsked)) {
                    continue;
                }
                ResponseHead head = on.head;
                if (head.interim()) {
                    call.listener.interim(head.status(), head.fields());
                    if (call.isDone()) {
                        return;
                    }
                    head.reset();
                    continue;
                }
                // Reads stay resumed: a body already read whole needs none, and one that is not suspends them the first
                // time it is readable with no demand (each toggle costs the selector an update).
                on.source.getReadSetter().set(bodyReadable);
                headed = true;
                call.headed();
                framing = head.framing();
                remaining = head.contentLength();
                chunked = framing == ResponseHead.Framing.CHUNKED
                        ? ChunkedDecoder.forResponseBody(BadResponseException::new) : null;
                call.listener.head(head.status(), head.fields());
                if (call.isDone()) {
                    return;
                }
                if (head.status() == 101) {
                    call.upgrade(bytes);
                    return;
                }
                if (framing == ResponseHead.Framing.NONE) {
                    extraBytes = bytes.hasRemaining();
                    bodyEnded = true;
                    call.releaseConnection(extraBytes);
                    call.finish(null);
                    return;
                }
                call.listener.body(this);
                return;
            }
        } catch (IOException | RuntimeException e) {
            call.fail(e);
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
        PooledByteBuffer pooled = buffers.allocate();
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
        call.active(System.nanoTime());
        bytes.flip();
        buffer = new ReadBuffer(pooled);
        read = buffer;
        return buffer;
    }

    @Override
    public @Nullable Chunk read() {
        Throwable failed = call.failure();
        if (failed != null) {
            return Chunk.failed(failed);
        }
        if (bodyEnded) {
            return Chunk.EOF;
        }
        BackendConnection on = call.connection();
        if (on == null || Thread.currentThread() != thread) {
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
            call.fail(e);
            Throwable cause = call.failure();
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
        call.releaseConnection(extraBytes);
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
            if (Thread.currentThread() == thread) {
                call.finish(null);
            } else {
                thread.execute(() -> call.finish(null));
            }
        }
    }

    @Override
    public void demand(Runnable callback) {
        if (Thread.currentThread() != thread) {
            thread.execute(() -> demand(callback));
            return;
        }
        ReadBuffer buffer = read;
        BackendConnection on = call.connection();
        if (call.failure() != null || bodyEnded || on == null || (buffer != null && buffer.buffer().hasRemaining())) {
            callback.run();
            return;
        }
        demand = callback;
        call.active(System.nanoTime());
        on.source.resumeReads();
    }

    private void bodyReadable(ConduitStreamSourceChannel channel) {
        Runnable callback = demand;
        if (callback == null) {
            // Bytes the engine has not asked for: they wait in the socket, and the backend waits for room.
            channel.suspendReads();
            return;
        }
        demand = null;
        callback.run();
    }

    @Override
    public long length() {
        return framing == ResponseHead.Framing.LENGTH ? remaining : -1;
    }
}
